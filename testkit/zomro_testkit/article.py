"""The provider's article, as facts: read from its English digest in reference/.

Tests compare the contract with these facts, so the article's curl examples,
field tables and image table are parsed here rather than copied into tests.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIGEST = Path(__file__).resolve().parents[2] / "reference" / "rescue-api.en.md"


@dataclass(frozen=True)
class FieldRow:
    name: str
    example: str
    required: bool


@dataclass(frozen=True)
class Image:
    uuid: str
    image_name: str | None
    os_name: str
    zone: str


@dataclass(frozen=True)
class CurlExample:
    """One `curl --form` example: its URL and its form fields, in order."""

    url: str
    fields: tuple[tuple[str, str], ...]
    text: str

    @property
    def form(self) -> dict[str, str]:
        return dict(self.fields)


@cache
def _text() -> str:
    return DIGEST.read_text(encoding="utf-8")


def _sections() -> dict[str, str]:
    parts = re.split(r"^## ", _text(), flags=re.M)
    return {p.splitlines()[0].strip(): p for p in parts[1:]}


def _section(prefix: str) -> str:
    matches = [body for title, body in _sections().items() if title.startswith(prefix)]
    if len(matches) != 1:
        raise LookupError(f"the digest has {len(matches)} sections starting {prefix!r}; expected one")
    return matches[0]


def _table_rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        rows.append([cell.strip().strip("`") for cell in line.strip().strip("|").split("|")])
    return rows[1:]  # the header


def _curls(section: str) -> list[CurlExample]:
    examples = []
    for block in re.findall(r"```\n(curl .*?)```", section, flags=re.S):
        words = shlex.split(block.replace("\\\n", " "))
        url = next(w for w in words if w.startswith("http"))
        fields = []
        for flag, value in zip(words, words[1:], strict=False):
            if flag == "--form":
                name, _, quoted = value.partition("=")
                fields.append((name, quoted.strip('"')))
        examples.append(CurlExample(url=url, fields=tuple(fields), text=block.strip()))
    return examples


def field_table(operation: str) -> list[FieldRow]:
    """The article's parameter table of `rescue` or `unrescue`."""
    section = _section({"rescue": "Rescue:", "unrescue": "Unrescue:"}[operation])
    return [FieldRow(name, example, required == "yes") for name, example, required, _ in _table_rows(section)]


def curl_example(operation: str) -> CurlExample:
    """The article's curl example of `rescue`, `preview` or `unrescue`."""
    section = _section({"rescue": "Rescue:", "preview": "Preview:", "unrescue": "Unrescue:"}[operation])
    (example,) = _curls(section)
    return example


def images() -> list[Image]:
    """The article's table of the 15 rescue images, in its order."""
    return [Image(uuid, None if name == "-" else name, os_name, zone) for uuid, name, os_name, zone in _table_rows(_section("Preview:"))]


def mistaken_image_field() -> str:
    """The image field's wrong name, from the errata (`select_boot_from_iso`)."""
    errata = _section("Errata")
    return re.search(r"names the image field `(\w+)`", errata).group(1)
