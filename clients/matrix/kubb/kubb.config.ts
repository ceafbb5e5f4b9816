// Kubb 4 (plugin-oas, plugin-ts, plugin-client with its fetch client). The contract comes from run.sh's
// environment (CONTRACT); the base URL is given at run time, with each call (main.ts), not here.
import { defineConfig } from '@kubb/core';
import { pluginClient } from '@kubb/plugin-client';
import { pluginOas } from '@kubb/plugin-oas';
import { pluginTs } from '@kubb/plugin-ts';

const contract = process.env.CONTRACT;
if (!contract) throw new Error('set CONTRACT');

export default defineConfig({
  root: '.',
  input: { path: contract },
  output: {
    path: './client',
    clean: true,
    // Option 1 of 2: Kubb writes `from '../types/RescueForm.ts'`, which tsc refuses when it emits JavaScript
    // (TS5097; Node 20 cannot run TypeScript itself). '' drops the extension, as Kubb's issue 1422 shows.
    extension: { '.ts': '' },
    // Not needed, only quiet: no formatter or linter is installed here, and Kubb's default formatter
    // (Prettier) prints "✗ Prettier not found" though the run succeeds.
    format: false,
    lint: false,
  },
  plugins: [
    pluginOas(),
    pluginTs(),
    // Option 2 of 2: `bundle` copies the fetch client's source into client/.kubb/fetch.ts (Kubb 5 always
    // does). Without it the code imports @kubb/plugin-client/clients/fetch, whose published declaration
    // imports a chunk that has none (TS7016 under --strict unless skipLibCheck hides it).
    pluginClient({ client: 'fetch', bundle: true }),
  ],
});
