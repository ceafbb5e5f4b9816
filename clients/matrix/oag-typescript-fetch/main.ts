// OpenAPI Generator's typescript-fetch client against the mock (clients/matrix, issue 15).
// Inputs and expected answers come from $FIXTURES (clients/article_fixtures.py): nothing is restated here.
import { readFileSync } from "node:fs";
import {
  Configuration,
  ErrorDoc,
  instanceOfErrorDoc,
  Middleware,
  PreviewRescueImagesFuncEnum,
  PreviewRescueImagesOutEnum,
  RescueApi,
  RescueInstanceFuncEnum,
  RescueInstanceOutEnum,
  RescueInstanceSokEnum,
  RescueInstanceZoneEnum,
  SelectOption,
  SelectOptionFromJSON,
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

// Workaround 1 (OpenAPI Generator issue 9850): typescript-fetch sends a multipart/form-data body that has no
// file as URLSearchParams (urlencoded). This middleware turns it into FormData, so fetch sends multipart.
const multipart: Middleware = {
  async pre({ url, init }) {
    if (!(init.body instanceof URLSearchParams)) return;
    const form = new FormData();
    init.body.forEach((value, key) => form.append(key, value));
    return { url, init: { ...init, body: form } };
  },
};

function errorText(doc: ErrorDoc): string {
  return `${doc.error.$type}: ${doc.error.msg.value ?? ""}`;
}

async function main(): Promise<void> {
  const fixtures = JSON.parse(readFileSync(process.env.FIXTURES ?? fail("FIXTURES is not set"), "utf8")) as Fixtures;
  const basePath = process.env.ZOMRO_MOCK_URL ?? fail("ZOMRO_MOCK_URL is not set");
  const api = new RescueApi(new Configuration({ basePath, middleware: [multipart] }));

  // 1. preview: the 15 images, read through the generated types.
  const p = fixtures.preview.request;
  const previewResponse = await api.previewRescueImagesRaw({
    func: member(PreviewRescueImagesFuncEnum, p.func, "preview func"),
    out: member(PreviewRescueImagesOutEnum, p.out, "preview out"),
    elid: p.elid,
    auth: p.auth,
  });
  const raw: unknown = await previewResponse.raw.clone().json();
  const preview = await previewResponse.value();
  if (instanceOfErrorDoc(preview.doc)) fail(`preview: error document ${errorText(preview.doc)}`);
  const index = preview.doc.slist.findIndex((list) => list.$name === "select_boot");
  if (index < 0) fail(`preview: no select_boot list in ${JSON.stringify(preview.doc.slist.map((list) => list.$name))}`);
  // Workaround 2 (OpenAPI Generator issue 8894: anyOf [SelectOption, array of SelectOption] becomes an interface
  // of the object branch only, and an array is read as one empty option): read `val` from the answer's JSON with
  // the generated SelectOptionFromJSON. (With `oneOf` instead, 7.26.0's SelectListVal.ts imports SelectOption
  // twice and does not compile: issue 19909.)
  const val = (raw as { doc: { slist: { val?: unknown }[] } }).doc.slist[index].val;
  const options: SelectOption[] = (Array.isArray(val) ? val : val === undefined ? [] : [val]).map(SelectOptionFromJSON);
  if (options.length !== fixtures.images.length) fail(`preview: want ${fixtures.images.length} images, got ${options.length}`);
  fixtures.images.forEach((want, i) => {
    const got = options[i];
    if (got.$key !== want.uuid || got.value !== want.os_name || got.$depend !== want.zone) {
      fail(`preview image ${i}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  });
  console.log(`ok: preview lists ${options.length} images (key, name, zone as the fixtures)`);

  // 2. rescue: success read through the types.
  const r = fixtures.rescue.request;
  const rescue = await api.rescueInstance({
    func: member(RescueInstanceFuncEnum, r.func, "rescue func"),
    out: member(RescueInstanceOutEnum, r.out, "rescue out"),
    sok: member(RescueInstanceSokEnum, r.sok, "rescue sok"),
    elid: r.elid,
    selectBoot: r.select_boot,
    zone: member(RescueInstanceZoneEnum, r.zone, "rescue zone"),
    password: r.password,
    auth: r.auth,
  });
  if (instanceOfErrorDoc(rescue.doc)) fail(`rescue: error document ${errorText(rescue.doc)}`);
  console.log(`ok: rescue answered doc.ok ${JSON.stringify(rescue.doc.ok)}`);

  // 3. unrescue, then 4. the same unrescue again: the second gets BILLmanager's error document.
  const u = fixtures.unrescue.request;
  const unrescueRequest = {
    func: member(UnrescueInstanceFuncEnum, u.func, "unrescue func"),
    out: member(UnrescueInstanceOutEnum, u.out, "unrescue out"),
    elid: u.elid,
    auth: u.auth,
  };
  const unrescue = await api.unrescueInstance(unrescueRequest);
  if (instanceOfErrorDoc(unrescue.doc)) fail(`unrescue: error document ${errorText(unrescue.doc)}`);
  console.log(`ok: unrescue answered doc.ok ${JSON.stringify(unrescue.doc.ok)}`);

  const again = await api.unrescueInstance(unrescueRequest);
  if (!instanceOfErrorDoc(again.doc)) fail(`unrescue again: want an error document, got ${JSON.stringify(again.doc)}`);
  console.log(`ok: unrescue again is an ErrorDoc: ${errorText(again.doc)}`);
}

main().catch((error: unknown) => fail(`unexpected: ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
