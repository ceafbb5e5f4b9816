"""The freshly generated Python client against the mock: the article's preview, rescue, unrescue, then an error.

Inputs come from $FIXTURES (the article's requests, the contract's images); `mypy --strict` checks it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn

from zomro_rescue_client import Client
from zomro_rescue_client.api.rescue import preview_rescue_images, rescue_instance, unrescue_instance
from zomro_rescue_client.models import ErrorDoc, OkDoc, RescueForm, RescuePreviewDoc, RescuePreviewForm, SelectOption, UnrescueForm


def fail(message: str) -> NoReturn:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    fixtures: dict[str, Any] = json.loads(open(os.environ["FIXTURES"], encoding="utf-8").read())
    with Client(base_url=os.environ["ZOMRO_MOCK_URL"]) as client:
        preview = preview_rescue_images.sync(client=client, body=RescuePreviewForm.from_dict(fixtures["preview"]["request"]))
        if preview is None or not isinstance(preview.doc, RescuePreviewDoc):
            fail(f"preview: not the rescue form: {preview!r:.200}")
        (boot,) = [select for select in preview.doc.slist if select.name == "select_boot"]
        options: list[SelectOption] = boot.val if isinstance(boot.val, list) else [boot.val] if isinstance(boot.val, SelectOption) else []
        got = [(option.key, option.text, option.depend) for option in options]
        want = [(image["uuid"], image["os_name"], image["zone"]) for image in fixtures["images"]]
        if got != want:
            fail(f"preview: {len(got)} images, not the article's {len(want)}: {got[:2]}")
        print(f"ok: preview lists {len(got)} images")

        rescue = rescue_instance.sync(client=client, body=RescueForm.from_dict(fixtures["rescue"]["request"]))
        if rescue is None or not isinstance(rescue.doc, OkDoc):
            fail(f"rescue: not ok: {rescue!r:.200}")
        print("ok: rescue")
        unrescue_form = UnrescueForm.from_dict(fixtures["unrescue"]["request"])
        unrescue = unrescue_instance.sync(client=client, body=unrescue_form)
        if unrescue is None or not isinstance(unrescue.doc, OkDoc):
            fail(f"unrescue: not ok: {unrescue!r:.200}")
        print("ok: unrescue")

        again = unrescue_instance.sync(client=client, body=unrescue_form)
        if again is None or not isinstance(again.doc, ErrorDoc):
            fail(f"unrescue again: not the error document: {again!r:.200}")
        print(f"ok: unrescue again is an ErrorDoc: {again.doc.error.type_}: {again.doc.error.msg.text}")


if __name__ == "__main__":
    main()
