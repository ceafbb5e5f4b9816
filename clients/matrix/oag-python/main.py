"""OpenAPI Generator's python client against the mock (clients/matrix, issue 15).

Inputs and expected answers come from $FIXTURES (clients/article_fixtures.py): nothing is restated here.
Each call takes the fixture's request as keyword arguments: the generated methods' parameters are the wire's
field names (func, out, elid, select_boot, ...).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn

from openapi_client import ApiClient, Configuration, ErrorDoc, OkDoc, RescueApi, RescuePreviewDoc, SelectOption


def fail(message: str) -> NoReturn:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def error_text(doc: ErrorDoc) -> str:
    return f"{doc.error.type}: {doc.error.msg.value or ''}"


def main() -> None:
    fixtures: dict[str, Any] = json.loads(open(os.environ["FIXTURES"], encoding="utf-8").read())
    api = RescueApi(ApiClient(Configuration(host=os.environ["ZOMRO_MOCK_URL"])))

    # 1. preview: the 15 images, read through the generated types.
    preview = api.preview_rescue_images(**fixtures["preview"]["request"]).doc.actual_instance
    if isinstance(preview, ErrorDoc):
        fail(f"preview: error document {error_text(preview)}")
    if not isinstance(preview, RescuePreviewDoc):
        fail(f"preview: not a RescuePreviewDoc: {preview!r}")
    select_boot = next((candidate for candidate in preview.slist if candidate.name == "select_boot"), None)
    if select_boot is None:
        fail("preview: no select_boot list")
    val = select_boot.val.actual_instance if select_boot.val is not None else None
    # One option comes as an object, several as an array (out=json's one-element rule): SelectListVal holds either.
    options: list[SelectOption] = val if isinstance(val, list) else [val] if val is not None else []
    images: list[dict[str, Any]] = fixtures["images"]
    if len(options) != len(images):
        fail(f"preview: want {len(images)} images, got {len(options)}")
    for i, (want, got) in enumerate(zip(images, options, strict=True)):
        if (got.key, got.value, got.depend) != (want["uuid"], want["os_name"], want["zone"]):
            fail(f"preview image {i}: want {want}, got {got.to_dict()}")
    print(f"ok: preview lists {len(options)} images (key, name, zone as the fixtures)")

    # 2. rescue: success read through the types.
    rescue = api.rescue_instance(**fixtures["rescue"]["request"]).doc.actual_instance
    if not isinstance(rescue, OkDoc):
        fail(f"rescue: not an OkDoc: {rescue!r}")
    print(f"ok: rescue answered doc.ok {rescue.ok.to_json()}")

    # 3. unrescue, then 4. the same unrescue again: the second gets BILLmanager's error document.
    unrescue = api.unrescue_instance(**fixtures["unrescue"]["request"]).doc.actual_instance
    if not isinstance(unrescue, OkDoc):
        fail(f"unrescue: not an OkDoc: {unrescue!r}")
    print(f"ok: unrescue answered doc.ok {unrescue.ok.to_json()}")

    again = api.unrescue_instance(**fixtures["unrescue"]["request"]).doc.actual_instance
    if not isinstance(again, ErrorDoc):
        fail(f"unrescue again: want an ErrorDoc, got {again!r}")
    print(f"ok: unrescue again is an ErrorDoc: {error_text(again)}")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - any failure is the set-up's failure, reported on one line
        fail(f"unexpected {type(error).__name__}: {error}")
