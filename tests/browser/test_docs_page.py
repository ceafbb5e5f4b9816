"""The rendered reference, opened in headless Chromium: it shows the API, each operation's code samples
and the rescue lifecycle, links its two pages, and loads nothing from outside.

Run by `make docs`, which installs Debian's chromium first. Each page (docs/index.html,
docs/control-api.html) is opened in a browser of its own, each route in a tab, and read once Redoc
has drawn it: its section, its samples' panel and the fonts are there. The screenshots are taken
then and left in build/docs/ to be looked at (the page at each route, each sample in its panel, the
lifecycle at each width); a blank one fails.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from zomro_testkit import article, scripts
from zomro_testkit.chromium import Browser, Page, Picture, browser, visit
from zomro_testkit.contract import operations

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
OUT = ROOT / "build" / "docs"
# The lifecycle must be legible at a laptop's width: its smallest text at least LEGIBLE_PX pixels high.
NORMAL_WIDTHS = (1280, 1366, 1400)
LEGIBLE_PX = 11
PAYLOAD = "Payload"  # Redoc's own entry of the samples' menu: the request's example


BUNDLE = scripts.load(DOCS / "bundle.py", "docs_bundle")  # knows the pages, their samples and languages (docs/pages.yaml)
PAGES = {page.name: page for page in BUNDLE.pages()}
DRAWING = scripts.load(DOCS / "lifecycle.py", "docs_lifecycle")


def _section(route: str) -> str:
    """The JavaScript for the section Redoc draws for a route (`#/rescue/rescueinstance` -> `/rescue/rescueinstance`)."""
    return f"document.querySelector('[data-section-id=\"{route.removeprefix('#') or '/'}\"]')"


def _routes(page: Any) -> dict[str, str]:
    """Each operation's route on its page: #/<tag>/<operationid>."""
    return {operation_id: f"#/{op['tags'][0]}/{operation_id.lower()}" for operation_id, op in page.operations().items()}


@dataclass
class Route:
    text: str = ""
    screenshot: Path | None = None
    samples_menu: list[str] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)  # label -> the code the panel shows
    sample_shots: dict[str, Path] = field(default_factory=dict)


@dataclass
class Site:
    """A page of the reference, as Chromium drew it."""

    routes: dict[str, Route] = field(default_factory=dict)
    pictures: dict[Path, Picture] = field(default_factory=dict)  # every screenshot taken, measured
    diagram: dict[int, dict[str, float]] = field(default_factory=dict)  # by window width: the lifecycle image's sizes
    link: str = ""  # where the overview's link to the other page leads
    sections: list[str] = field(default_factory=list)  # the sections of the page the lifecycle is on, in order
    diagram_section: str = ""  # the section the lifecycle is in
    outside_requests: list[str] = field(default_factory=list)


def _drawn(chromium: Browser, url: str, ready: str, width: int = 1400) -> Page:
    """A tab at url, once `ready` holds and the fonts are in: what Redoc draws then is what a person sees."""
    tab = chromium.open(url, ready, width=width)
    tab.evaluate("document.fonts.ready.then(() => true)")
    tab.settle()
    return tab


def _read_samples(tab: Page, route: str, name: str, found: Route) -> None:
    """Each entry of the operation's samples menu chosen in turn: the code the panel then shows, and a screenshot of it."""
    panel = f"{_section(route)}.querySelector('.panel-request-samples')"
    menu = f"{panel}.querySelector('[data-component-name=\"Panel/PanelHeader\"] > [data-testid=dropdown]:last-child > button')"
    items = "[...document.querySelectorAll('[role=menuitem]')].filter((item) => item.offsetParent)"
    tab.click(menu)
    found.samples_menu = tab.evaluate(f"{items}.map((item) => item.innerText.trim())")
    for label in found.samples_menu:
        if label == PAYLOAD:
            continue
        if tab.evaluate(f"{menu}.getAttribute('aria-expanded')") != "true":
            tab.click(menu)
        tab.click(f"{items}.find((item) => item.innerText.trim() === {json.dumps(label)})")
        tab.wait_for(f"{menu}.innerText.trim() === {json.dumps(label)}")
        tab.settle()
        found.samples[label] = tab.evaluate(f"{panel}.querySelector('pre').innerText")
        box = tab.box(panel)
        shot = OUT / "samples" / f"{name}-{re.sub(r'[^a-z]+', '-', label.lower()).strip('-')}.png"
        tab.screenshot(shot, clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]})
        found.sample_shots[label] = shot


def _read_site(name: str) -> Site:
    page = PAGES[name]
    uri = (DOCS / f"{name}.html").as_uri()
    site = Site()
    shots: list[Path] = []
    with browser() as chromium:
        # The overview, and its link to the other page.
        tab = _drawn(chromium, uri, f"{_section('')} && document.body.innerText.includes({json.dumps(page.see_also_title)})")
        site.routes[""] = Route(text=tab.text, screenshot=OUT / f"{name}-overview.png")
        tab.screenshot(site.routes[""].screenshot)
        other = "control-api.html" if name == "index" else "index.html"
        tab.click(f"[...document.querySelectorAll('a')].find((a) => a.getAttribute('href') === {json.dumps(other)})")
        site.link = str(tab.wait_for(f"location.pathname.endsWith({json.dumps('/' + other)}) && location.pathname"))
        tab.close()
        # Each operation, with its samples.
        for operation_id, route in _routes(page).items():
            ready = f"{_section(route)} && {_section(route)}.querySelector('.panel-request-samples pre')"
            tab = _drawn(chromium, uri + route, ready)
            found = Route(text=tab.text, screenshot=OUT / f"{name}-{route.strip('#/').replace('/', '-')}.png")
            tab.screenshot(found.screenshot)
            _read_samples(tab, route, f"{name}-{operation_id}", found)
            site.routes[operation_id] = found
            tab.close()
        # The lifecycle, where the page shows it, at each normal width.
        where = "#/rescue" if name == "index" else ""
        scope = _section(where) if where else "document"
        image = f"{scope}.querySelector('img[src^=\"data:image/svg+xml\"]')"
        for width in NORMAL_WIDTHS:
            tab = _drawn(chromium, uri + where, f"{image} && {image}.complete && {image}.naturalWidth > 0", width=width)
            box = tab.box(image)
            site.sections = tab.evaluate("[...document.querySelectorAll('[data-section-id]')].map((e) => e.dataset.sectionId)")
            site.diagram_section = tab.evaluate(f"{image}.closest('[data-section-id]').dataset.sectionId")
            site.diagram[width] = {"natural": tab.evaluate(f"{image}.naturalWidth"), "rendered": box["width"], "height": box["height"]}
            shot = OUT / f"{name}-lifecycle-{width}.png"
            png = tab.screenshot(shot, clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]})
            site.pictures[shot] = chromium.measure(png)
            tab.close()
        shots += [route.screenshot for route in site.routes.values() if route.screenshot]
        shots += [shot for route in site.routes.values() for shot in route.sample_shots.values()]
        for shot in shots:
            site.pictures[shot] = chromium.measure(shot.read_bytes())
    site.outside_requests = chromium.outside_requests
    return site


@cache
def site(name: str) -> Site:
    return _read_site(name)


@pytest.fixture(scope="module", autouse=True)
def _fresh_screenshots() -> None:
    """build/docs/ holds this run's screenshots only: an old one left there could pass for a new one."""
    shutil.rmtree(OUT, ignore_errors=True)


# -- the API's page ------------------------------------------------------------------------------------------


def test_the_overview_explains_the_path_keys() -> None:
    assert "The part after # is not sent" in site("index").routes[""].text


@pytest.mark.parametrize("operation_id", sorted(operations()))
def test_operation_and_its_fields_are_on_its_page(operation_id: str) -> None:
    op = operations()[operation_id]
    text = site("index").routes[operation_id].text
    assert op.raw["summary"] in text
    for name in op.request_schema["properties"]:
        assert re.search(rf"(?<![\w$]){re.escape(name)}(?!\w)", text), f"field {name!r} is not shown"


def test_the_preview_example_is_on_the_page() -> None:
    text = site("index").routes["previewRescueImages"].text
    for image in article.images():
        assert image.uuid in text and image.os_name in text, f"image {image} is not shown"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_operation_shows_its_samples_each_under_its_language(name: str) -> None:
    """The samples' menu lists the page's languages in order, and each entry shows its sample file, as it is."""
    page = PAGES[name]
    labels = [language.label for language in page.languages]
    for operation_id, op in page.operations().items():
        found = site(name).routes[operation_id]
        expected = [*labels, *([PAYLOAD] if "requestBody" in op else [])]  # Redoc adds the body's example, when there is a body
        assert found.samples_menu == expected, f"{operation_id}: the samples' menu lists {found.samples_menu}"
        for language in page.languages:
            shown = found.samples[language.label]
            source = Path(page.sample(operation_id, language)).read_text(encoding="utf-8")
            assert shown.rstrip() == source.rstrip(), f"{operation_id}: the {language.label} sample shown is not {language.file}"


# -- the lifecycle ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("width", NORMAL_WIDTHS)
def test_the_lifecycle_is_drawn_legibly_at_a_normal_width(name: str, width: int) -> None:
    """The picture is there, decoded, not blank, and scaled so that its smallest text stays at least LEGIBLE_PX high."""
    sizes = site(name).diagram[width]
    assert sizes["natural"] == DRAWING.WIDTH, "the page shows another picture than docs/lifecycle.svg"
    smallest = DRAWING.FONT_SIZE * sizes["rendered"] / sizes["natural"]
    assert smallest >= LEGIBLE_PX, f"at {width} px the lifecycle's text is {smallest:.1f} px high: too small to read"
    picture = site(name).pictures[OUT / f"{name}-lifecycle-{width}.png"]
    # The layout's size is fractional, the screenshot's whole pixels, rounded either way by Chromium.
    assert abs(picture.width - sizes["rendered"]) < 1 and abs(picture.height - sizes["height"]) < 1, (
        "the screenshot is not the picture's size"
    )
    assert not picture.blank, f"the lifecycle drawn at {width} px shows nothing: {picture}"


def test_the_lifecycle_is_next_to_the_rescue_operations() -> None:
    """It is in the rescue tag's section, which the page draws right before the rescue operations."""
    index = site("index")
    assert index.diagram_section == "/rescue"
    rescue = [route.removeprefix("#") for op, route in _routes(PAGES["index"]).items() if operations()[op].raw["tags"] == ["rescue"]]
    after = [section for section in index.sections[index.sections.index("/rescue") + 1 :] if section.startswith("/")]
    assert after[: len(rescue)] == rescue, f"the sections after the lifecycle: {after}"


def test_the_lifecycles_text_fits_its_layout() -> None:
    """docs/lifecycle.py sizes boxes and columns by its own width of a character: each text, as Chromium draws it, is no wider."""
    with browser() as chromium:
        tab = chromium.open((DOCS / "lifecycle.svg").as_uri())
        texts = tab.evaluate(
            "[...document.querySelectorAll('text')].map((t) => [t.textContent, t.getComputedTextLength(), t.getBBox().x + t.getBBox().width])"
        )
    assert texts, "docs/lifecycle.svg has no text"
    for text, length, right in texts:
        assert length <= DRAWING.text_width(text) + 0.5, f"{text!r} is {length:.1f} px wide, wider than docs/lifecycle.py allows"
        assert right <= DRAWING.WIDTH, f"{text!r} runs off the picture"


# -- the control API's page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("operation_id", sorted(PAGES["control-api"].operations()))
def test_the_control_api_operation_is_on_its_page(operation_id: str) -> None:
    op = PAGES["control-api"].operations()[operation_id]
    assert op["summary"] in site("control-api").routes[operation_id].text


@pytest.mark.parametrize(("name", "other"), [("index", "control-api.html"), ("control-api", "index.html")])
def test_each_page_links_the_other(name: str, other: str) -> None:
    assert site(name).link.endswith("/docs/" + other)


# -- what the pages load, and what the screenshots show -------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_pages_load_nothing_from_outside(name: str) -> None:
    assert site(name).outside_requests == []


def test_the_outside_request_check_can_fail(tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="https://zomro-docs-control.invalid/x.png"></body></html>')
    assert visit(control.as_uri()).outside_requests == ["https://zomro-docs-control.invalid/x.png"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_screenshot_is_blank(name: str) -> None:
    pictures = site(name).pictures
    assert len(pictures) >= len(PAGES[name].operations()) * (1 + len(PAGES[name].languages)) + 1, "screenshots are missing"
    blank = {str(path.relative_to(ROOT)): picture for path, picture in pictures.items() if picture.blank}
    assert not blank, f"blank screenshots: {blank}"


def test_the_blank_check_can_fail(tmp_path: Path) -> None:
    """A page that draws nothing, and one that draws a line of text: the first is blank, the second is not."""
    empty, text = tmp_path / "empty.html", tmp_path / "text.html"
    empty.write_text("<html><body></body></html>")
    text.write_text("<html><body><p>" + "The part after # is not sent. " * 200 + "</p></body></html>")
    with browser() as chromium:
        blank = chromium.measure(chromium.open(empty.as_uri()).screenshot())
        drawn = chromium.measure(chromium.open(text.as_uri()).screenshot())
    assert blank.blank and (blank.width, blank.height) == (1400, 1000)
    assert not drawn.blank, drawn


def test_the_screenshots_show_the_pages_text() -> None:
    """Pages are drawn, not blank: a page of text has ink on a tenth of its pixels or so, never next to none."""
    overview = site("index").pictures[OUT / "index-overview.png"]
    assert overview.ink > 0.03 and overview.deviation > 20, overview
