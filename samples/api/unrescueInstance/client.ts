// Leave rescue mode: boot instance 5203773 from its own disk again.
// With the client @hey-api/openapi-ts generates from openapi.yaml
// (Node.js 20 or newer):
//   npx @hey-api/openapi-ts@0.95.0 --input openapi.yaml \
//     --output client --client @hey-api/client-fetch
import { createClient } from './client/client';
import { unrescueInstance } from './client';

const client = createClient({ baseUrl: 'https://api.zomro.com' });

async function main(): Promise<void> {
  const { data } = await unrescueInstance({
    client,
    body: {
      func: 'instances.fleio.unrescue',
      auth: '0b31d69ab7b7b4839dfd6506',
      out: 'json',
      elid: 5203773,
    },
  });
  // BILLmanager answers errors with HTTP 200, and doc.error.
  if (!data || 'error' in data.doc) {
    throw new Error(`refused: ${JSON.stringify(data)}`);
  }
  console.log('5203773 is leaving rescue mode: list it until it is active');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
