// OpenAPI Generator's typescript-axios client against the mock (clients/matrix, issue 15).
// Inputs and expected answers come from $FIXTURES (clients/article_fixtures.py): nothing is restated here.
import { readFileSync } from "node:fs";
import {
  Configuration,
  ErrorDoc,
  PreviewRescueImagesFuncEnum,
  PreviewRescueImagesOutEnum,
  RescueApi,
  RescueInstanceFuncEnum,
  RescueInstanceOutEnum,
  RescueInstanceSokEnum,
  RescueInstanceZoneEnum,
  SelectList,
  SelectOption,
  UnrescueInstanceFuncEnum,
  UnrescueInstanceOutEnum,
} from "./client";

interface Fixtures {
  preview: { request: { func: string; out: string; elid: number; auth: string } };
  rescue: {
    request: { func: string; out: string; sok: string; elid: number; select_boot: string; zone: string; password?: string; auth: string };
  };
  unrescue: { request: { func: string; out: string; elid: number; auth: string } };
  images: { uuid: string; os_name: string; zone: string }[];
}

function fail(message: string): never {
  process.stderr.write(`FAIL: ${message}\n`);
  process.exit(1);
}

// A fixture's string as the generated client's enum type, checked against the enum's values.
function member<T extends string>(choices: Record<string, T>, value: string, what: string): T {
  const found = Object.values(choices).find((choice) => choice === value);
  return found ?? fail(`${what}: ${value} is not one of the generated enum's values ${Object.values(choices).join(", ")}`);
}

function errorText(doc: ErrorDoc): string {
  return `${doc.error.$type}: ${doc.error.msg.$ ?? ""}`;
}

// The options of a select list: one option comes as an object, several as an array (out=json's one-element rule).
// With `oneOf` in the contract, SelectList.val is `Array<SelectOption> | SelectOption` and these lines are what the
// type asks for. With `anyOf` (OpenAPI Generator issue 8894) it is typed as one SelectOption only, and these lines
// are the workaround: the data is untouched (axios does not convert answers), only its type is too narrow.
function optionsOf(list: SelectList): SelectOption[] {
  const val = list.val;
  return val === undefined ? [] : Array.isArray(val) ? val : [val];
}

async function main(): Promise<void> {
  const fixtures = JSON.parse(readFileSync(process.env.FIXTURES ?? fail("FIXTURES is not set"), "utf8")) as Fixtures;
  const basePath = process.env.ZOMRO_MOCK_URL ?? fail("ZOMRO_MOCK_URL is not set");
  const api = new RescueApi(new Configuration({ basePath }));

  // 1. preview: the 15 images, read through the generated types.
  const p = fixtures.preview.request;
  const preview = (
    await api.previewRescueImages(
      member(PreviewRescueImagesFuncEnum, p.func, "preview func"),
      member(PreviewRescueImagesOutEnum, p.out, "preview out"),
      p.elid,
      p.auth,
    )
  ).data.doc;
  if ("error" in preview) fail(`preview: error document ${errorText(preview)}`);
  const list = preview.slist.find((candidate) => candidate.$name === "select_boot");
  if (list === undefined) fail(`preview: no select_boot list in ${JSON.stringify(preview.slist.map((l) => l.$name))}`);
  const options = optionsOf(list);
  if (options.length !== fixtures.images.length) fail(`preview: want ${fixtures.images.length} images, got ${options.length}`);
  fixtures.images.forEach((want, i) => {
    const got = options[i];
    if (got.$key !== want.uuid || got.$ !== want.os_name || got.$depend !== want.zone) {
      fail(`preview image ${i}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  });
  console.log(`ok: preview lists ${options.length} images (key, name, zone as the fixtures)`);

  // 2. rescue: success read through the types.
  const r = fixtures.rescue.request;
  const rescue = (
    await api.rescueInstance(
      member(RescueInstanceFuncEnum, r.func, "rescue func"),
      member(RescueInstanceOutEnum, r.out, "rescue out"),
      member(RescueInstanceSokEnum, r.sok, "rescue sok"),
      r.elid,
      r.select_boot,
      member(RescueInstanceZoneEnum, r.zone, "rescue zone"),
      r.password,
      undefined, // password_type
      undefined, // ssh_keys
      undefined, // clicked_button
      r.auth,
    )
  ).data.doc;
  if ("error" in rescue) fail(`rescue: error document ${errorText(rescue)}`);
  console.log(`ok: rescue answered doc.ok ${JSON.stringify(rescue.ok)}`);

  // 3. unrescue, then 4. the same unrescue again: the second gets BILLmanager's error document.
  const u = fixtures.unrescue.request;
  const unrescue = () =>
    api.unrescueInstance(
      member(UnrescueInstanceFuncEnum, u.func, "unrescue func"),
      member(UnrescueInstanceOutEnum, u.out, "unrescue out"),
      u.elid,
      undefined, // sok
      u.auth,
    );
  const first = (await unrescue()).data.doc;
  if ("error" in first) fail(`unrescue: error document ${errorText(first)}`);
  console.log(`ok: unrescue answered doc.ok ${JSON.stringify(first.ok)}`);

  const again = (await unrescue()).data.doc;
  if (!("error" in again)) fail(`unrescue again: want an error document, got ${JSON.stringify(again)}`);
  console.log(`ok: unrescue again is an ErrorDoc: ${errorText(again)}`);
}

main().catch((error: unknown) => fail(`unexpected: ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
