// The generator matrix's program for @hey-api/openapi-ts (fetch client): four calls against
// ZOMRO_MOCK_URL, inputs from FIXTURES, every answer read through the generated types.
import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { createClient } from './client/client';
import { previewRescueImages, rescueInstance, unrescueInstance } from './client/sdk.gen';
import type {
  ErrorDoc,
  OkAnswer,
  OkDoc,
  RescueFormWritable,
  RescuePreviewAnswer,
  RescuePreviewFormWritable,
  SelectOption,
  UnrescueFormWritable,
} from './client/types.gen';

type Image = { uuid: string; image_name: string | null; os_name: string; zone: string };
type Fixtures = {
  preview: { request: RescuePreviewFormWritable; answer: unknown };
  rescue: { request: RescueFormWritable; answer: unknown };
  unrescue: { request: UnrescueFormWritable; answer: unknown };
  images: Image[];
};

// Every answer is HTTP 200; its `doc` is a generated union (`OkDocOrError = OkDoc | ErrorDoc`, ...),
// and a type guard tells BILLmanager's error document from success.
type Doc = (RescuePreviewAnswer | OkAnswer)['doc'];
function isErrorDoc(doc: Doc): doc is ErrorDoc {
  return 'error' in doc;
}

function fail(message: string): never {
  process.stderr.write(`FAIL: ${message}\n`);
  process.exit(1);
}

function need(name: string): string {
  return process.env[name] || fail(`set ${name}`);
}

function success(step: string, result: { data?: OkAnswer; response: Response }, expected: unknown): OkDoc {
  if (result.response.status !== 200 || result.data === undefined) fail(`${step}: HTTP ${result.response.status}`);
  const doc = result.data.doc;
  if (isErrorDoc(doc)) fail(`${step}: error ${doc.error.$type}: ${doc.error.msg.$}`);
  deepStrictEqual(result.data, expected);
  return doc;
}

async function main(): Promise<void> {
  const fixtures = JSON.parse(readFileSync(need('FIXTURES'), 'utf8')) as Fixtures;
  const client = createClient({ baseUrl: need('ZOMRO_MOCK_URL') });

  // 1. preview: the 15 images, read from the select list the rescue request's image field names.
  const preview = await previewRescueImages({ client, body: fixtures.preview.request });
  if (preview.response.status !== 200 || preview.data === undefined) fail(`preview: HTTP ${preview.response.status}`);
  const previewDoc = preview.data.doc;
  if (isErrorDoc(previewDoc)) fail(`preview: error ${previewDoc.error.$type}: ${previewDoc.error.msg.$}`);
  const imageField = Object.entries(fixtures.rescue.request).find(([, value]) =>
    fixtures.images.some((image) => image.uuid === value),
  )?.[0];
  const list = previewDoc.slist.find((select) => select.$name === imageField);
  const options: SelectOption[] = Array.isArray(list?.val) ? list.val : list?.val ? [list.val] : [];
  deepStrictEqual(
    options.map((option) => [option.$key, option.$, option.$depend, option.$name ?? null]),
    fixtures.images.map((image) => [image.uuid, image.os_name, image.zone, image.image_name]),
  );
  console.log(`ok: preview: ${options.length} images (key, name, zone) as in the fixtures`);

  // 2. rescue, 3. unrescue: the success document.
  const rescued = success('rescue', await rescueInstance({ client, body: fixtures.rescue.request }), fixtures.rescue.answer);
  console.log(`ok: rescue: doc.ok ${JSON.stringify(rescued.ok)}`);
  const unrescued = success('unrescue', await unrescueInstance({ client, body: fixtures.unrescue.request }), fixtures.unrescue.answer);
  console.log(`ok: unrescue: doc.ok ${JSON.stringify(unrescued.ok)}`);

  // 4. unrescue again: BILLmanager's error document, told apart through the types.
  const again = await unrescueInstance({ client, body: fixtures.unrescue.request });
  if (again.response.status !== 200 || again.data === undefined) fail(`unrescue again: HTTP ${again.response.status}`);
  const againDoc = again.data.doc;
  if (!isErrorDoc(againDoc)) fail(`unrescue again: expected the error document, got ${JSON.stringify(again.data)}`);
  console.log(`ok: unrescue again: error ${againDoc.error.$type}: ${againDoc.error.msg.$}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
