// Boot instance 5203773 from a rescue image: select_boot and zone are
// an image's $key and $depend in the preview.
// With the client @hey-api/openapi-ts generates from openapi.yaml
// (Node.js 20 or newer):
//   npx @hey-api/openapi-ts@0.95.0 --input openapi.yaml \
//     --output client --client @hey-api/client-fetch
import { createClient } from './client/client';
import { rescueInstance } from './client';

const client = createClient({ baseUrl: 'https://api.zomro.com' });

async function main(): Promise<void> {
  const { data } = await rescueInstance({
    client,
    body: {
      func: 'instances.fleio.rescue',
      auth: '43137b5f35a6ba4ee01f4a4e',
      out: 'json',
      elid: 5203773,
      sok: 'ok',
      select_boot: 'f8f2573f-56c4-44c5-8469-84eee4aa64e7',
      password: 'MyPassword1',
      zone: 'pub',
    },
  });
  // BILLmanager answers errors with HTTP 200, and doc.error.
  if (!data || 'error' in data.doc) {
    throw new Error(`refused: ${JSON.stringify(data)}`);
  }
  console.log('5203773 is being rescued: list it until it shows rescued');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
