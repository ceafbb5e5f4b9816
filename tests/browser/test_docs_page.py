"""The rendered reference, opened in headless Chromium: it shows the API and loads nothing from outside.

Run by `make docs`, which installs Debian's chromium first; the screenshot is
left in build/docs/ to be looked at.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from zomro_testkit import article
from zomro_testkit.chromium import Visit, visit
from zomro_testkit.contract import operations

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "index.html"
OUT = ROOT / "build" / "docs"


def _route(operation_id: str) -> str:
    """The page's own (hash) route of an operation: #/<tag>/<operationid>."""
    op = operations()[operation_id].raw
    return f"#/{op['tags'][0]}/{operation_id.lower()}"


@cache
def page(route: str = "") -> Visit:
    name = route.strip("#/").replace("/", "-") or "overview"
    return visit(PAGE.as_uri() + route, OUT / f"{name}.png")


def test_the_overview_explains_the_path_keys() -> None:
    assert "The part after # is not sent" in page().text


@pytest.mark.parametrize("operation_id", sorted(operations()))
def test_operation_and_its_fields_are_on_its_page(operation_id: str) -> None:
    op = operations()[operation_id]
    text = page(_route(operation_id)).text
    assert op.raw["summary"] in text
    for field in op.request_schema["properties"]:
        assert re.search(rf"(?<![\w$]){re.escape(field)}(?!\w)", text), f"field {field!r} is not shown"


def test_the_preview_example_is_on_the_page() -> None:
    text = page(_route("previewRescueImages")).text
    for image in article.images():
        assert image.uuid in text and image.os_name in text, f"image {image} is not shown"


def test_the_pages_load_nothing_from_outside() -> None:
    for route in ["", *map(_route, sorted(operations()))]:
        assert page(route).outside_requests == [], route


def test_the_outside_request_check_can_fail(tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="https://zomro-docs-control.invalid/x.png"></body></html>')
    assert visit(control.as_uri()).outside_requests == ["https://zomro-docs-control.invalid/x.png"]


def test_screenshots_were_taken() -> None:
    page(_route("previewRescueImages"))
    assert (OUT / "overview.png").stat().st_size > 10_000
    assert (OUT / "rescue-previewrescueimages.png").stat().st_size > 10_000
