"""The project's prose, as the tests that run its examples read it: the README, then the guide's pages in the order
of mkdocs.yml's nav (the order a reader meets them, and so the order of the state their examples leave in a mock)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "guide"
# mkdocs.yml's names of the pages that tools/mkdocs_hooks.py takes from elsewhere.
_ELSEWHERE = {"index.md": ROOT / "README.md", "guide.md": GUIDE / "README.md"}


def pages() -> list[Path]:
    """Every page, README first; a page of guide/ that the nav leaves out is still a page."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = [_ELSEWHERE.get(name) or GUIDE / name for entry in config["nav"] for name in entry.values()]
    return listed + sorted(set(GUIDE.glob("*.md")) - set(listed))


def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def section(title: str) -> tuple[Path, str]:
    """The page with the section `## title`, and the section up to the next `## `."""
    heading = f"\n## {title}\n"
    texts = {page: text(page) for page in pages()}  # each page read once
    found = [(page, body.split(heading, 1)[1].split("\n## ", 1)[0]) for page, body in texts.items() if heading in body]
    assert len(found) == 1, f"{len(found)} sections '## {title}' in the README and the guide, not one"
    return found[0]


def blocks(language: str, page: Path | None = None) -> list[tuple[Path, str]]:
    """The fenced blocks of `language` (```sh ... ```), with their page, in reading order."""
    return [
        (each, block) for each in ([page] if page else pages()) for block in re.findall(rf"```{language}\n(.*?)```", text(each), flags=re.S)
    ]
