"""Models by datamodel-code-generator, with a few lines of transport, against the mock: preview, rescue, unrescue, an error.

Inputs come from $FIXTURES (the article's requests, the contract's images); `mypy --strict` checks it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn, TypeVar

import httpx
from pydantic import BaseModel, SecretStr
from zomro_models import (
    ErrorDoc,
    OkAnswer,
    OkDoc,
    RescueForm,
    RescuePreviewAnswer,
    RescuePreviewDoc,
    RescuePreviewForm,
    SelectOption,
    UnrescueForm,
    Val,
)

Answer = TypeVar("Answer", bound=BaseModel)


def post(url: str, form: BaseModel, answer: type[Answer]) -> Answer:
    """The transport the generator leaves out: the form as multipart/form-data to `/`, the JSON answer as its model."""
    fields = form.model_dump(by_alias=True, exclude_none=True)
    values = {name: value.get_secret_value() if isinstance(value, SecretStr) else value for name, value in fields.items()}
    response = httpx.post(f"{url.rstrip('/')}/", files={name: (None, str(value)) for name, value in values.items()})
    response.raise_for_status()
    return answer.model_validate_json(response.content)


def fail(message: str) -> NoReturn:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    url = os.environ["ZOMRO_MOCK_URL"]
    fixtures: dict[str, Any] = json.loads(open(os.environ["FIXTURES"], encoding="utf-8").read())
    preview = post(url, RescuePreviewForm.model_validate(fixtures["preview"]["request"]), RescuePreviewAnswer).doc.root
    if not isinstance(preview, RescuePreviewDoc):
        fail(f"preview: not the rescue form: {preview!r:.200}")
    (boot,) = [select for select in preview.slist if select.field_name == "select_boot"]
    # One option comes as the object, several as an array (`Val`, the generator's name for that anyOf branch).
    options: list[SelectOption] = boot.val.root if isinstance(boot.val, Val) else [boot.val] if boot.val is not None else []
    got = [(option.field_key, option.field_, option.field_depend) for option in options]
    want = [(image["uuid"], image["os_name"], image["zone"]) for image in fixtures["images"]]
    if got != want:
        fail(f"preview: {len(got)} images, not the article's {len(want)}: {got[:2]}")
    print(f"ok: preview lists {len(got)} images")

    rescue = post(url, RescueForm.model_validate(fixtures["rescue"]["request"]), OkAnswer).doc.root
    if not isinstance(rescue, OkDoc):
        fail(f"rescue: not ok: {rescue!r:.200}")
    print("ok: rescue")
    unrescue_form = UnrescueForm.model_validate(fixtures["unrescue"]["request"])
    if not isinstance(post(url, unrescue_form, OkAnswer).doc.root, OkDoc):
        fail("unrescue: not ok")
    print("ok: unrescue")

    again = post(url, unrescue_form, OkAnswer).doc.root
    if not isinstance(again, ErrorDoc):
        fail(f"unrescue again: not the error document: {again!r:.200}")
    print(f"ok: unrescue again is an ErrorDoc: {again.error.field_type}: {again.error.msg.field_}")


if __name__ == "__main__":
    main()
