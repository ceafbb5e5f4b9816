"""The rendered reference, opened in headless Chromium: it shows the API, each operation's code samples
and the rescue lifecycle, links its two pages, loads nothing from outside, and logs no error of its own.

Run by `make docs`, which installs Debian's chromium first (conftest.py launches it through Playwright).
Each page (docs/index.html, docs/control-api.html) is opened in a browser context of its own, each
route in a tab, and read once Redoc has drawn it: its section, its samples' panel and the fonts are
there. The screenshots are taken once the page holds still and left in build/docs/ to be looked at (the
page at each route, each sample in its panel, the lifecycle at each width); a blank one fails.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

import pytest
from playwright.sync_api import BrowserContext, CDPSession, Locator, Page, WebSocketRoute, expect
from playwright.sync_api import Route as Interception
from zomro_testkit import article, scripts
from zomro_testkit.contract import operations

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
OUT = ROOT / "build" / "docs"
# The lifecycle must be legible at a laptop's width: its smallest text at least LEGIBLE_PX pixels high.
NORMAL_WIDTHS = (1280, 1366, 1400)
LEGIBLE_PX = 11
PAYLOAD = "Payload"  # Redoc's own entry of the samples' menu: the request's example
# What the template's Content-Security-Policy (docs/template.hbs) says when it stops Redoc loading its logo: the
# page's one expected console error, the very refusal that keeps it from loading anything from outside.
CSP_REFUSAL = re.compile(r"^Loading the image 'https://[^']+' violates the following Content Security Policy directive")

NewContext = Callable[[], BrowserContext]
BUNDLE = scripts.load(DOCS / "bundle.py", "docs_bundle")  # knows the pages, their samples and languages (docs/pages.yaml)
PAGES = {page.name: page for page in BUNDLE.pages()}
DRAWING = scripts.load(DOCS / "lifecycle.py", "docs_lifecycle")


def _section(route: str) -> str:
    """The CSS selector of the section Redoc draws for a route (`#/rescue/rescueinstance` -> `/rescue/rescueinstance`)."""
    return f'[data-section-id="{route.removeprefix("#") or "/"}"]'


def _js(value: str) -> str:
    """A JavaScript string literal."""
    return json.dumps(value)


def _routes(page: Any) -> dict[str, str]:
    """Each operation's route on its page: #/<tag>/<operationid>."""
    return {operation_id: f"#/{op['tags'][0]}/{operation_id.lower()}" for operation_id, op in page.operations().items()}


# What the page shows: the DOM's text without its scripts and styles (the page embeds the whole contract in a script),
# each tag read as a space, each run of white space (but a no-break space) as one.
_VISIBLE_TEXT = """() => {
  const parts = [];
  const read = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return parts.push(node.data);
    parts.push(' ');
    if (node.nodeType === Node.ELEMENT_NODE && !['SCRIPT', 'STYLE'].includes(node.nodeName.toUpperCase())) node.childNodes.forEach(read);
    parts.push(' ');
  };
  read(document.documentElement);
  return parts.join('').replace(/[^\\S\\u00a0]+/g, ' ');
}"""


def visible_text(tab: Page) -> str:
    return str(tab.evaluate(_VISIBLE_TEXT))


@dataclass(frozen=True)
class Picture:
    """What a PNG shows, as Chromium decodes it."""

    width: int
    height: int
    ink: float  # the share of pixels clearly unlike the most common colour (the background)
    deviation: float  # the standard deviation of the pixels' luminance, 0 to 255

    @property
    def blank(self) -> bool:
        """Nothing drawn, or next to nothing: a page of text and frames has far more ink than this."""
        return self.ink < 0.01 or self.deviation < 4


# Decodes a PNG (a data: URL) in a page and measures it: Python has no PNG decoder fast enough
# (Chromium's screenshots use the Paeth filter), the browser has one.
_MEASURE = """async (source) => {
  const image = new Image();
  image.src = source;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const counts = new Map();
  let sum = 0, squares = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
    const luminance = 0.2126 * pixels[i] + 0.7152 * pixels[i + 1] + 0.0722 * pixels[i + 2];
    sum += luminance;
    squares += luminance * luminance;
  }
  let background = 0, most = -1;
  for (const [key, n] of counts) if (n > most) { most = n; background = key; }
  const [r, g, b] = [background >> 16, (background >> 8) & 255, background & 255];
  let near = 0;
  for (const [key, n] of counts) {
    if (Math.max(Math.abs((key >> 16) - r), Math.abs(((key >> 8) & 255) - g), Math.abs((key & 255) - b)) <= 24) near += n;
  }
  const total = pixels.length / 4, mean = sum / total;
  return {width: canvas.width, height: canvas.height, ink: 1 - near / total, deviation: Math.sqrt(Math.max(0, squares / total - mean * mean))};
}"""


def measure(context: BrowserContext, pngs: list[bytes]) -> list[Picture]:
    """What each PNG shows, decoded in a blank tab of the context."""
    blank = context.new_page()
    try:
        found = [blank.evaluate(_MEASURE, "data:image/png;base64," + base64.b64encode(png).decode()) for png in pngs]
    finally:
        blank.close()
    return [Picture(int(f["width"]), int(f["height"]), float(f["ink"]), float(f["deviation"])) for f in found]


@dataclass
class Watched:
    """A context whose pages may reach nothing over the network: each request they make is refused and noted, and
    so is each error they log. Chromium's own background requests are not the pages' and are not seen here."""

    context: BrowserContext
    outside_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context.route(re.compile(r"^https?:"), self._refuse)
        self.context.route_web_socket(re.compile(r"^wss?:"), self._refuse_socket)
        self.context.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))

    def _refuse(self, route: Interception) -> None:
        self.outside_requests.append(route.request.url)
        route.abort()

    def _refuse_socket(self, socket: WebSocketRoute) -> None:
        self.outside_requests.append(socket.url)
        socket.close()


@contextmanager
def watched(new_context: NewContext) -> Iterator[Watched]:
    with new_context() as context:
        yield Watched(context)


def _drawn(context: BrowserContext, url: str, ready: str, width: int | None = None) -> Page:
    """A tab at url (in a window `width` pixels wide, if given), once `ready` (JavaScript) holds and the fonts are in."""
    tab = context.new_page()
    if width is not None:
        window = tab.viewport_size
        assert window is not None
        tab.set_viewport_size({"width": width, "height": window["height"]})
    tab.goto(url)
    tab.wait_for_function(ready)
    tab.evaluate("document.fonts.ready.then(() => true)")
    _painted(tab)
    return tab


def _painted(tab: Page) -> None:
    """Two animation frames: the page has been drawn once (the page Redoc renders on the server has every section at
    once, so `ready` can hold before the first frame, which Chromium cannot capture)."""
    tab.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")


def _box(element: Locator) -> dict[str, float]:
    """Where the element is in the page, in CSS pixels, once scrolled into view."""
    element.scroll_into_view_if_needed()
    return dict(
        element.evaluate(
            "(e) => { const r = e.getBoundingClientRect(); return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }"
        )
    )


_SESSIONS: WeakKeyDictionary[Page, CDPSession] = WeakKeyDictionary()  # a tab's, for _capture


def _capture(tab: Page, clip: dict[str, float] | None = None) -> bytes:
    """A PNG of the window, or of `clip` (a box in the page), as Chromium draws it.

    Chromium's own capture, asked for through Playwright's CDP session, not Playwright's `screenshot`: that one clips
    the page at the scroll offset Chromium's compositor last reported, which lags while Redoc scrolls and draws a page
    in steps (for a second or so after it opens at a route), and then comes out white (1 route in 20 or so, tried)."""
    params: dict[str, Any] = {"format": "png"}
    if clip is not None:
        window = tab.viewport_size
        inside = window is not None and clip["width"] <= window["width"] and clip["height"] <= window["height"]
        params |= {"clip": clip | {"scale": 1}, "captureBeyondViewport": not inside}  # beyond: 4 times slower
    if tab not in _SESSIONS:
        _SESSIONS[tab] = tab.context.new_cdp_session(tab)
    return base64.b64decode(_SESSIONS[tab].send("Page.captureScreenshot", params)["data"])


def _still(tab: Page, path: Path | None, clip: dict[str, float] | None = None) -> bytes:
    """A screenshot of the window (or of `clip`) once two in a row are the same, written to `path` if given: what the
    page shows once Redoc has done drawing it (Playwright Test's `toHaveScreenshot` waits for a page the same way)."""
    shots = [_capture(tab, clip)]
    while len(shots) < 20 and (len(shots) < 2 or shots[-1] != shots[-2]):
        shots.append(_capture(tab, clip))
    assert shots[-1] == shots[-2], f"{tab.url} kept changing: {len(shots)} screenshots, no two in a row alike"
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(shots[-1])
    return shots[-1]


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
    errors: list[str] = field(default_factory=list)  # what its tabs logged as errors, or threw


def _read_samples(tab: Page, route: str, name: str, found: Route) -> None:
    """Each entry of the operation's samples menu chosen in turn: the code the panel then shows, and a screenshot of it."""
    panel = tab.locator(f"{_section(route)} .panel-request-samples").first
    menu = panel.locator('[data-component-name="Panel/PanelHeader"] > [data-testid=dropdown]:last-child > button').first
    items = tab.locator("[role=menuitem]:visible")
    menu.click()
    items.first.wait_for()
    found.samples_menu = [item.strip() for item in items.all_inner_texts()]
    for label in found.samples_menu:
        if label == PAYLOAD:
            continue
        if menu.get_attribute("aria-expanded") != "true":
            menu.click()
        items.filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()
        expect(menu).to_have_text(label)
        found.samples[label] = panel.locator("pre").first.inner_text()
        shot = OUT / "samples" / f"{name}-{re.sub(r'[^a-z]+', '-', label.lower()).strip('-')}.png"
        _still(tab, shot, clip=_box(panel))
        found.sample_shots[label] = shot


def _read_site(new_context: NewContext, name: str) -> Site:
    page = PAGES[name]
    uri = (DOCS / f"{name}.html").as_uri()
    site = Site()
    with watched(new_context) as browser:
        context = browser.context
        # The overview, and its link to the other page.
        tab = _drawn(
            context, uri, f"document.querySelector({_js(_section(''))}) && document.body.innerText.includes({_js(page.see_also_title)})"
        )
        overview = site.routes[""] = Route(screenshot=OUT / f"{name}-overview.png")
        _still(tab, overview.screenshot)
        overview.text = visible_text(tab)
        other = "control-api.html" if name == "index" else "index.html"
        tab.locator(f'a[href="{other}"]').first.click()
        tab.wait_for_url(f"**/{other}")
        site.link = urlsplit(tab.url).path
        tab.close()
        # Each operation, with its samples.
        for operation_id, route in _routes(page).items():
            ready = f"document.querySelector({_js(_section(route) + ' .panel-request-samples pre')})"
            tab = _drawn(context, uri + route, ready)
            found = Route(screenshot=OUT / f"{name}-{route.strip('#/').replace('/', '-')}.png")
            _still(tab, found.screenshot)
            found.text = visible_text(tab)
            _read_samples(tab, route, f"{name}-{operation_id}", found)
            site.routes[operation_id] = found
            tab.close()
        # The lifecycle, where the page shows it, at each normal width.
        where = "#/rescue" if name == "index" else ""
        selector = f'{_section(where) + " " if where else ""}img[src^="data:image/svg+xml"]'
        drawn: dict[Path, bytes] = {}
        for width in NORMAL_WIDTHS:
            ready = f"(() => {{ const image = document.querySelector({_js(selector)}); return image && image.complete && image.naturalWidth > 0; }})()"
            tab = _drawn(context, uri + where, ready, width=width)
            _still(tab, None)  # Redoc has drawn the page: the image stays where it is
            image = tab.locator(selector).first
            box = _box(image)
            site.sections = tab.evaluate("[...document.querySelectorAll('[data-section-id]')].map((e) => e.dataset.sectionId)")
            site.diagram_section = image.evaluate("(image) => image.closest('[data-section-id]').dataset.sectionId")
            site.diagram[width] = {
                "natural": image.evaluate("(image) => image.naturalWidth"),
                "rendered": box["width"],
                "height": box["height"],
            }
            shot = OUT / f"{name}-lifecycle-{width}.png"
            drawn[shot] = _still(tab, shot, clip=box)
            tab.close()
        shots = [route.screenshot for route in site.routes.values() if route.screenshot]
        shots += [shot for route in site.routes.values() for shot in route.sample_shots.values()]
        drawn |= {shot: shot.read_bytes() for shot in shots}
        site.pictures = dict(zip(drawn, measure(context, list(drawn.values())), strict=True))
    site.outside_requests = browser.outside_requests
    site.errors = browser.errors
    return site


@pytest.fixture(scope="module")
def site(new_context: NewContext) -> Callable[[str], Site]:
    """Reads a page of the reference once, when a test first asks for it."""
    return cache(lambda name: _read_site(new_context, name))


@pytest.fixture(scope="module", autouse=True)
def _fresh_screenshots() -> None:
    """build/docs/ holds this run's screenshots only: an old one left there could pass for a new one."""
    shutil.rmtree(OUT, ignore_errors=True)


# -- the API's page ------------------------------------------------------------------------------------------


def test_the_overview_explains_the_path_keys(site: Callable[[str], Site]) -> None:
    assert "The part after # is not sent" in site("index").routes[""].text


@pytest.mark.parametrize("operation_id", sorted(operations()))
def test_operation_and_its_fields_are_on_its_page(site: Callable[[str], Site], operation_id: str) -> None:
    op = operations()[operation_id]
    text = site("index").routes[operation_id].text
    assert op.raw["summary"] in text
    for name in op.request_schema["properties"]:
        assert re.search(rf"(?<![\w$]){re.escape(name)}(?!\w)", text), f"field {name!r} is not shown"


def test_the_preview_example_is_on_the_page(site: Callable[[str], Site]) -> None:
    text = site("index").routes["previewRescueImages"].text
    for image in article.images():
        assert image.uuid in text and image.os_name in text, f"image {image} is not shown"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_operation_shows_its_samples_each_under_its_language(site: Callable[[str], Site], name: str) -> None:
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
def test_the_lifecycle_is_drawn_legibly_at_a_normal_width(site: Callable[[str], Site], name: str, width: int) -> None:
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


def test_the_lifecycle_is_next_to_the_rescue_operations(site: Callable[[str], Site]) -> None:
    """It is in the rescue tag's section, which the page draws right before the rescue operations."""
    index = site("index")
    assert index.diagram_section == "/rescue"
    rescue = [route.removeprefix("#") for op, route in _routes(PAGES["index"]).items() if operations()[op].raw["tags"] == ["rescue"]]
    after = [section for section in index.sections[index.sections.index("/rescue") + 1 :] if section.startswith("/")]
    assert after[: len(rescue)] == rescue, f"the sections after the lifecycle: {after}"


def test_the_lifecycles_text_fits_its_layout(new_context: NewContext) -> None:
    """docs/lifecycle.py sizes boxes and columns by its own width of a character: each text, as Chromium draws it, is no wider."""
    with new_context() as context:
        tab = context.new_page()
        tab.goto((DOCS / "lifecycle.svg").as_uri())
        texts = tab.evaluate(
            "[...document.querySelectorAll('text')].map((t) => [t.textContent, t.getComputedTextLength(), t.getBBox().x + t.getBBox().width])"
        )
    assert texts, "docs/lifecycle.svg has no text"
    for text, length, right in texts:
        assert length <= DRAWING.text_width(text) + 0.5, f"{text!r} is {length:.1f} px wide, wider than docs/lifecycle.py allows"
        assert right <= DRAWING.WIDTH, f"{text!r} runs off the picture"


# -- the control API's page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("operation_id", sorted(PAGES["control-api"].operations()))
def test_the_control_api_operation_is_on_its_page(site: Callable[[str], Site], operation_id: str) -> None:
    op = PAGES["control-api"].operations()[operation_id]
    assert op["summary"] in site("control-api").routes[operation_id].text


@pytest.mark.parametrize(("name", "other"), [("index", "control-api.html"), ("control-api", "index.html")])
def test_each_page_links_the_other(site: Callable[[str], Site], name: str, other: str) -> None:
    assert site(name).link.endswith("/docs/" + other)


# -- what the pages load, and what the screenshots show -------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_pages_load_nothing_from_outside(site: Callable[[str], Site], name: str) -> None:
    assert site(name).outside_requests == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_pages_log_no_error(site: Callable[[str], Site], name: str) -> None:
    """Nothing on the page failed: no script threw, nothing was logged as an error but the CSP's refusal of Redoc's logo."""
    assert [error for error in site(name).errors if not CSP_REFUSAL.match(error)] == []


def test_the_outside_request_check_can_fail(new_context: NewContext, tmp_path: Path) -> None:
    """A page that asks for an image and opens a WebSocket: both noted (and refused), and so are what it logs and throws."""
    control = tmp_path / "control.html"
    control.write_text(
        '<html><body><img src="https://zomro-docs-control.invalid/x.png"><script>'
        'const socket = new WebSocket("wss://zomro-docs-control.invalid/socket");'
        'socket.onclose = () => { document.title = "closed"; }; console.error("control"); null.x;'
        "</script></body></html>"
    )
    with watched(new_context) as browser:
        tab = browser.context.new_page()
        tab.goto(control.as_uri())  # once loaded, the image has been asked for
        tab.wait_for_function("document.title === 'closed'")  # the socket, too
    assert sorted(browser.outside_requests) == ["https://zomro-docs-control.invalid/x.png", "wss://zomro-docs-control.invalid/socket"]
    assert "control" in browser.errors and any(error.startswith("uncaught: Cannot read properties of null") for error in browser.errors)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_screenshot_is_blank(site: Callable[[str], Site], name: str) -> None:
    pictures = site(name).pictures
    assert len(pictures) >= len(PAGES[name].operations()) * (1 + len(PAGES[name].languages)) + 1, "screenshots are missing"
    blank = {str(path.relative_to(ROOT)): picture for path, picture in pictures.items() if picture.blank}
    assert not blank, f"blank screenshots: {blank}"


def test_the_blank_check_can_fail(new_context: NewContext, tmp_path: Path) -> None:
    """A page that draws nothing, and one that draws a line of text: the first is blank, the second is not."""
    empty, text = tmp_path / "empty.html", tmp_path / "text.html"
    empty.write_text("<html><body></body></html>")
    text.write_text("<html><body><p>" + "The part after # is not sent. " * 200 + "</p></body></html>")
    with new_context() as context:
        tab = context.new_page()
        pngs = []
        for page in (empty, text):
            tab.goto(page.as_uri())
            _painted(tab)
            pngs.append(_capture(tab))
        blank, drawn = measure(context, pngs)
    assert blank.blank and (blank.width, blank.height) == (1400, 1000)
    assert not drawn.blank, drawn


def test_the_screenshots_show_the_pages_text(site: Callable[[str], Site]) -> None:
    """Pages are drawn, not blank: a page of text has ink on a tenth of its pixels or so, never next to none."""
    overview = site("index").pictures[OUT / "index-overview.png"]
    assert overview.ink > 0.03 and overview.deviation > 20, overview
