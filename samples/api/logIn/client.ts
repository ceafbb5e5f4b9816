// Log in and get a session id, to send as `auth` (it lives about an
// hour after its last use).
// With the client @hey-api/openapi-ts generates from openapi.yaml
// (Node.js 20 or newer):
//   npx @hey-api/openapi-ts@0.95.0 --input openapi.yaml \
//     --output client --client @hey-api/client-fetch
import { createClient } from './client/client';
import { logIn } from './client';

const client = createClient({ baseUrl: 'https://api.zomro.com' });

async function main(): Promise<void> {
  const { data } = await logIn({
    client,
    body: {
      func: 'auth',
      out: 'json',
      username: 'me@example.com',
      password: 'Secret123',
    },
  });
  // BILLmanager answers errors with HTTP 200, and doc.error.
  if (!data || 'error' in data.doc) {
    throw new Error(`refused: ${JSON.stringify(data)}`);
  }
  console.log(`session: ${data.doc.auth.$id}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
