// The images instance 5203773 can be rescued with (a preview).
// With the client @hey-api/openapi-ts generates from openapi.yaml
// (Node.js 20 or newer):
//   npx @hey-api/openapi-ts@0.95.0 --input openapi.yaml \
//     --output client --client @hey-api/client-fetch
import { createClient } from './client/client';
import { previewRescueImages } from './client';

const client = createClient({ baseUrl: 'https://api.zomro.com' });

async function main(): Promise<void> {
  const { data } = await previewRescueImages({
    client,
    body: {
      func: 'instances.fleio.rescue',
      auth: '43137b5f35a6ba4ee01f4a4e',
      out: 'json',
      elid: 5203773,
    },
  });
  // BILLmanager answers errors with HTTP 200, and doc.error.
  if (!data || 'error' in data.doc) {
    throw new Error(`refused: ${JSON.stringify(data)}`);
  }
  const boot = data.doc.slist.find((l) => l.$name === 'select_boot');
  // A list of one option comes as an object.
  const val = boot?.val;
  const options = Array.isArray(val) ? val : val ? [val] : [];
  for (const option of options) {
    // "null" is the form's "nothing chosen" placeholder.
    if (option.$key === 'null') continue;
    console.log(option.$key, option.$depend, option.$);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
