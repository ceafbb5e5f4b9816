// The generator matrix's program for Kubb 4 (plugin-client, its fetch client bundled into client/.kubb):
// four calls against ZOMRO_MOCK_URL (each call's `baseURL`), inputs from FIXTURES, every answer read
// through the generated types.
import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  previewRescueImages,
  rescueInstance,
  unrescueInstance,
  type ErrorDoc,
  type OkAnswer,
  type OkDoc,
  type RescueForm,
  type RescuePreviewAnswer,
  type RescuePreviewForm,
  type SelectOption,
  type UnrescueForm,
} from './client/index';

type Image = { uuid: string; image_name: string | null; os_name: string; zone: string };
type Fixtures = {
  preview: { request: RescuePreviewForm; answer: unknown };
  rescue: { request: RescueForm; answer: unknown };
  unrescue: { request: UnrescueForm; answer: unknown };
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

// The generated functions return the answer's body (the plugin's default `dataReturnType: 'data'`), typed
// as the operation's 200 answer; the fetch client does not throw on an HTTP status, and a body that is not
// JSON rejects, which main's catch reports.
function success(step: string, answer: OkAnswer, expected: unknown): OkDoc {
  const doc = answer.doc;
  if (isErrorDoc(doc)) fail(`${step}: error ${doc.error.$type}: ${doc.error.msg.$}`);
  deepStrictEqual(answer, expected);
  return doc;
}

async function main(): Promise<void> {
  const fixtures = JSON.parse(readFileSync(need('FIXTURES'), 'utf8')) as Fixtures;
  // The generated code calls fetch(baseURL + '/#func=...'); fetch drops the fragment, so the wire says POST /.
  const config = { baseURL: need('ZOMRO_MOCK_URL') };

  // 1. preview: the 15 images, read from the select list the rescue request's image field names.
  const preview = await previewRescueImages(fixtures.preview.request, config);
  const previewDoc = preview.doc;
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
  const rescued = success('rescue', await rescueInstance(fixtures.rescue.request, config), fixtures.rescue.answer);
  console.log(`ok: rescue: doc.ok ${JSON.stringify(rescued.ok)}`);
  const unrescued = success('unrescue', await unrescueInstance(fixtures.unrescue.request, config), fixtures.unrescue.answer);
  console.log(`ok: unrescue: doc.ok ${JSON.stringify(unrescued.ok)}`);

  // 4. unrescue again: BILLmanager's error document, told apart through the types.
  const again = await unrescueInstance(fixtures.unrescue.request, config);
  const againDoc = again.doc;
  if (!isErrorDoc(againDoc)) fail(`unrescue again: expected the error document, got ${JSON.stringify(again)}`);
  console.log(`ok: unrescue again: error ${againDoc.error.$type}: ${againDoc.error.msg.$}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
