// The first page of the account's instances and their status.
// With the client @hey-api/openapi-ts generates from openapi.yaml
// (Node.js 20 or newer):
//   npx @hey-api/openapi-ts@0.95.0 --input openapi.yaml \
//     --output client --client @hey-api/client-fetch
import { createClient } from './client/client';
import { listInstances } from './client';

const client = createClient({ baseUrl: 'https://api.zomro.com' });

async function main(): Promise<void> {
  const { data } = await listInstances({
    client,
    body: {
      func: 'instances',
      out: 'json',
      auth: '43137b5f35a6ba4ee01f4a4e',
      lang: 'en',
      p_cnt: 10,
      p_num: 1,
    },
  });
  // BILLmanager answers errors with HTTP 200, and doc.error.
  if (!data || 'error' in data.doc) {
    throw new Error(`refused: ${JSON.stringify(data)}`);
  }
  // A page of one instance comes as an object, of none without elem.
  const { elem } = data.doc;
  const page = Array.isArray(elem) ? elem : elem ? [elem] : [];
  console.log(`${data.doc.p_elems.$} instances in all`);
  for (const item of page) {
    // Every value is text, in $.
    console.log(item.id.$, item.instance_status?.$, item.name?.$);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
