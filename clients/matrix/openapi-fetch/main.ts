// The generator matrix's program for openapi-typescript + openapi-fetch: four calls against
// ZOMRO_MOCK_URL, inputs from FIXTURES, every answer read through the generated types.
import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import createClient from 'openapi-fetch';

import type { components, paths } from './client/schema';

type Schemas = components['schemas'];
type Image = { uuid: string; image_name: string | null; os_name: string; zone: string };
type Fixtures = {
  preview: { request: Schemas['RescuePreviewForm']; answer: unknown };
  rescue: { request: Schemas['RescueForm']; answer: unknown };
  unrescue: { request: Schemas['UnrescueForm']; answer: unknown };
  images: Image[];
};

// The workaround: openapi-fetch sends every body as JSON unless given a bodySerializer; for the
// contract's multipart/form-data bodies it must return FormData (fetch then sets the boundary).
function formDataBody(body: unknown): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body as Record<string, string | number | undefined>)) {
    if (value !== undefined) form.append(name, String(value));
  }
  return form;
}

// Every answer is HTTP 200; its `doc` is a generated union (`OkDocOrError = OkDoc | ErrorDoc`, ...),
// and a type guard tells BILLmanager's error document from success.
type Doc = (Schemas['RescuePreviewAnswer'] | Schemas['OkAnswer'])['doc'];
function isErrorDoc(doc: Doc): doc is Schemas['ErrorDoc'] {
  return 'error' in doc;
}

function fail(message: string): never {
  process.stderr.write(`FAIL: ${message}\n`);
  process.exit(1);
}

function need(name: string): string {
  return process.env[name] || fail(`set ${name}`);
}

function success(
  step: string,
  result: { data?: Schemas['OkAnswer']; response: Response },
  expected: unknown,
): Schemas['OkDoc'] {
  if (result.response.status !== 200 || result.data === undefined) fail(`${step}: HTTP ${result.response.status}`);
  const doc = result.data.doc;
  if (isErrorDoc(doc)) fail(`${step}: error ${doc.error.$type}: ${doc.error.msg.$}`);
  deepStrictEqual(result.data, expected);
  return doc;
}

async function main(): Promise<void> {
  const fixtures = JSON.parse(readFileSync(need('FIXTURES'), 'utf8')) as Fixtures;
  const client = createClient<paths>({ baseUrl: need('ZOMRO_MOCK_URL'), bodySerializer: formDataBody });

  // 1. preview: the 15 images, read from the select list the rescue request's image field names.
  const preview = await client.POST('/#func=instances.fleio.rescue', { body: fixtures.preview.request });
  if (preview.response.status !== 200 || preview.data === undefined) fail(`preview: HTTP ${preview.response.status}`);
  const previewDoc = preview.data.doc;
  if (isErrorDoc(previewDoc)) fail(`preview: error ${previewDoc.error.$type}: ${previewDoc.error.msg.$}`);
  const imageField = Object.entries(fixtures.rescue.request).find(([, value]) =>
    fixtures.images.some((image) => image.uuid === value),
  )?.[0];
  const list = previewDoc.slist.find((select) => select.$name === imageField);
  const options: Schemas['SelectOption'][] = Array.isArray(list?.val) ? list.val : list?.val ? [list.val] : [];
  deepStrictEqual(
    options.map((option) => [option.$key, option.$, option.$depend, option.$name ?? null]),
    fixtures.images.map((image) => [image.uuid, image.os_name, image.zone, image.image_name]),
  );
  console.log(`ok: preview: ${options.length} images (key, name, zone) as in the fixtures`);

  // 2. rescue, 3. unrescue: the success document.
  const rescue = await client.POST('/#func=instances.fleio.rescue&sok=ok', { body: fixtures.rescue.request });
  console.log(`ok: rescue: doc.ok ${JSON.stringify(success('rescue', rescue, fixtures.rescue.answer).ok)}`);
  const unrescue = await client.POST('/#func=instances.fleio.unrescue', { body: fixtures.unrescue.request });
  console.log(`ok: unrescue: doc.ok ${JSON.stringify(success('unrescue', unrescue, fixtures.unrescue.answer).ok)}`);

  // 4. unrescue again: BILLmanager's error document, told apart through the types.
  const again = await client.POST('/#func=instances.fleio.unrescue', { body: fixtures.unrescue.request });
  if (again.response.status !== 200 || again.data === undefined) fail(`unrescue again: HTTP ${again.response.status}`);
  const againDoc = again.data.doc;
  if (!isErrorDoc(againDoc)) fail(`unrescue again: expected the error document, got ${JSON.stringify(again.data)}`);
  console.log(`ok: unrescue again: error ${againDoc.error.$type}: ${againDoc.error.msg.$}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
