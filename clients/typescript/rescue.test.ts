// The generated TypeScript client against the running mock (ZOMRO_MOCK_URL): `make regen-ts`.
// Inputs and expected answers come from build/ts/fixtures.json, written from the article and openapi.yaml.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { createClient } from '../../build/ts/client/client';
import { previewRescueImages, rescueInstance, unrescueInstance } from '../../build/ts/client/sdk.gen';
import type { ErrorDoc, RescueForm, RescuePreviewDoc, RescuePreviewForm, SelectOption, UnrescueForm } from '../../build/ts/client/types.gen';

type Fixtures = {
  preview: { request: RescuePreviewForm; answer: unknown };
  rescue: { request: RescueForm; answer: unknown };
  unrescue: { request: UnrescueForm; answer: unknown };
  images: { uuid: string; image_name: string | null; os_name: string; zone: string }[];
  badElid: UnrescueForm;
};

const fixtures: Fixtures = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'fixtures.json'), 'utf8'));
const baseUrl = process.env.ZOMRO_MOCK_URL;
if (!baseUrl) throw new Error('set ZOMRO_MOCK_URL to a running mock (make regen-ts does)');
const client = createClient({ baseUrl });

// Every answer is `{doc: ...}`, its doc the success document or ErrorDoc (the contract's oneOf inside doc).
function isError<T extends object>(doc: T | ErrorDoc): doc is ErrorDoc {
  return 'error' in doc;
}

function success<T extends object>(answer: { doc: T | ErrorDoc } | undefined): T {
  if (answer === undefined || isError(answer.doc)) throw new Error(`expected a success document, got ${JSON.stringify(answer)}`);
  return answer.doc;
}

function error<T extends object>(answer: { doc: T | ErrorDoc } | undefined): ErrorDoc {
  if (answer === undefined || !isError(answer.doc)) throw new Error(`expected the error document, got ${JSON.stringify(answer)}`);
  return answer.doc;
}

test('preview lists the 15 images with their zones', async () => {
  const { data, response } = await previewRescueImages({ client, body: fixtures.preview.request });
  assert.equal(response.status, 200);
  const preview: RescuePreviewDoc = success(data);
  const boot = preview.slist.find((list) => list.$name === 'select_boot');
  const options: SelectOption[] = Array.isArray(boot?.val) ? boot.val : boot?.val ? [boot.val] : [];
  assert.equal(options.length, 15);
  assert.deepEqual(
    options.map((o) => [o.$key, o.$, o.$depend, o.$name ?? null]),
    fixtures.images.map((i) => [i.uuid, i.os_name, i.zone, i.image_name]),
  );
});

test('rescue answers ok', async () => {
  const { data } = await rescueInstance({ client, body: fixtures.rescue.request });
  assert.deepEqual(data, fixtures.rescue.answer);
});

test('unrescue answers ok', async () => {
  const { data } = await unrescueInstance({ client, body: fixtures.unrescue.request });
  assert.deepEqual(data, fixtures.unrescue.answer);
});

test('a bad elid gets the error document', async () => {
  const { data, response } = await unrescueInstance({ client, body: fixtures.badElid });
  assert.equal(response.status, 200);
  assert.equal(error(data).error.$object, 'elid');
});
