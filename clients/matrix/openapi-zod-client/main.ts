// The generator matrix's program for openapi-zod-client (zod schemas and a zodios client on axios):
// four calls against ZOMRO_MOCK_URL, inputs from FIXTURES, every answer validated by the generated
// zod schemas and read through the types they infer (z.infer; see setup.json on --export-types).
import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import type { z } from 'zod';

import { createApiClient, schemas } from './client/api';

type Schema<K extends keyof typeof schemas> = z.infer<(typeof schemas)[K]>;
type Image = { uuid: string; image_name: string | null; os_name: string; zone: string };
type Fixtures = {
  preview: { request: Schema<'RescuePreviewForm'>; answer: unknown };
  rescue: { request: Schema<'RescueForm'>; answer: unknown };
  unrescue: { request: Schema<'UnrescueForm'>; answer: unknown };
  images: Image[];
};

// Every answer is HTTP 200; its `doc` is the generated `OkDocOrError` union (`RescuePreviewDocOrError`, ...),
// and the generated ErrorDoc schema tells BILLmanager's error document from success.
type Doc = Schema<'RescuePreviewAnswer'>['doc'] | Schema<'OkAnswer'>['doc'];
function isErrorDoc(doc: Doc): doc is Schema<'ErrorDoc'> {
  return schemas.ErrorDoc.safeParse(doc).success;
}

function fail(message: string): never {
  process.stderr.write(`FAIL: ${message}\n`);
  process.exit(1);
}

function need(name: string): string {
  return process.env[name] || fail(`set ${name}`);
}

function success(step: string, answer: Schema<'OkAnswer'>, expected: unknown): Schema<'OkDoc'> {
  const doc = answer.doc;
  if (isErrorDoc(doc)) fail(`${step}: error ${doc.error.$type}: ${doc.error.msg.$}`);
  deepStrictEqual(answer, expected);
  return doc;
}

async function main(): Promise<void> {
  const fixtures = JSON.parse(readFileSync(need('FIXTURES'), 'utf8')) as Fixtures;
  const api = createApiClient(need('ZOMRO_MOCK_URL'));

  // 1. preview: the 15 images, read from the select list the rescue request's image field names.
  const preview = await api.previewRescueImages(fixtures.preview.request);
  const previewDoc = preview.doc;
  if (isErrorDoc(previewDoc)) fail(`preview: error ${previewDoc.error.$type}: ${previewDoc.error.msg.$}`);
  const imageField = Object.entries(fixtures.rescue.request).find(([, value]) =>
    fixtures.images.some((image) => image.uuid === value),
  )?.[0];
  const list = previewDoc.slist.find((select) => select.$name === imageField);
  const options: Schema<'SelectOption'>[] = Array.isArray(list?.val) ? list.val : list?.val ? [list.val] : [];
  deepStrictEqual(
    options.map((option) => [option.$key, option.$, option.$depend, option.$name ?? null]),
    fixtures.images.map((image) => [image.uuid, image.os_name, image.zone, image.image_name]),
  );
  console.log(`ok: preview: ${options.length} images (key, name, zone) as in the fixtures`);

  // 2. rescue, 3. unrescue: the success document.
  const rescued = success('rescue', await api.rescueInstance(fixtures.rescue.request), fixtures.rescue.answer);
  console.log(`ok: rescue: doc.ok ${JSON.stringify(rescued.ok)}`);
  const unrescued = success('unrescue', await api.unrescueInstance(fixtures.unrescue.request), fixtures.unrescue.answer);
  console.log(`ok: unrescue: doc.ok ${JSON.stringify(unrescued.ok)}`);

  // 4. unrescue again: BILLmanager's error document, told apart through the generated schema.
  const again = await api.unrescueInstance(fixtures.unrescue.request);
  const againDoc = again.doc;
  if (!isErrorDoc(againDoc)) fail(`unrescue again: expected the error document, got ${JSON.stringify(again)}`);
  console.log(`ok: unrescue again: error ${againDoc.error.$type}: ${againDoc.error.msg.$}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
