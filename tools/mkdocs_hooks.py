"""MkDocs hooks (mkdocs.yml): the README is the site's home page, guide/README.md its page "guide.md", and the reference
pages ride along under reference/. A link to any other file of the checkout works on a forge but has no page in the site:
it is checked here (the file must exist) and shown as its path. No plugin on PyPI does both (mkdocs-include-markdown
copies text, not links; mkdocs-same-dir serves a folder, not the README beside the guide)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "guide"
# A page of the checkout -> its page in the site.
PAGES = {"README.md": "index.md", "guide/README.md": "guide.md"}
REFERENCE = {f"docs/{name}": f"reference/{name}" for name in ("index.html", "control-api.html", "lifecycle.svg")}
LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")


def on_files(files: Files, config: Any) -> Files:
    readme = files.get_file_from_path("README.md")
    if readme is not None:
        files.remove(readme)
    for source, site in {**PAGES, **REFERENCE}.items():
        files.append(File.generated(config, site, abs_src_path=str(ROOT / source)))
    return files


def _source(page: Page) -> Path:
    """The page's Markdown in the checkout."""
    for source, site in PAGES.items():
        if page.file.src_uri == site:
            return ROOT / source
    return GUIDE / page.file.src_uri


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    source = _source(page)

    def fix(match: re.Match[str]) -> str:
        bang, text, target = match.groups()
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            return match.group(0)
        path, _, anchor = target.partition("#")
        file = (source.parent / path).resolve()
        if not file.is_relative_to(ROOT) or not file.exists():
            raise PluginError(f"{source.relative_to(ROOT)}: a link to {target}, which is not a file of the checkout")
        name = file.relative_to(ROOT).as_posix()
        site = PAGES.get(name) or REFERENCE.get(name)
        if site is None and name.startswith("guide/") and name.endswith(".md"):
            site = name.removeprefix("guide/")
        if site is None:  # a file of the checkout: its path, which a reader of the site finds in their clone
            shown = text.strip("`")
            return text if shown.rstrip("/") == name.rstrip("/") else f"{text} (`{name}`)"
        return f"{bang}[{text}]({site}{'#' + anchor if anchor else ''})"

    return LINK.sub(fix, markdown)
