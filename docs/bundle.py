"""Make each page of the reference ready for Redoc: `python docs/bundle.py OUTDIR`.

For every page of docs/pages.yaml it writes OUTDIR/<page>.json, a copy of the page's contract with

- each operation's code samples (`x-codeSamples`), read from their files (<samples>/<operationId>/<file>);
- each image a description names by a local path (`![...](docs/lifecycle.svg)`) embedded as a
  `data:` URL: the page loads nothing, not even a file beside it;
- a last section of the overview that links the other page;

and OUTDIR/<page>.options.json, Redoc's options (the samples' languages, in their order). It prints
`<page>\t<title>` a line for docs/build.sh, which renders them.

The contracts keep no samples: a `$ref` to a code file (`source: {$ref: samples/...}`) is what
Redocly reads, but Spectral parses the file it names as YAML and fails, and the mock's Prism reads
the contract from a private copy, where the file is not (it exits). The samples are files, tested
as files (tests/test_samples.py), and join the contract only here.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "docs" / "pages.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# A Markdown image with a local path: `![alt](path)`, the path not a URL.
_IMAGE = re.compile(r"!\[([^\]]*)\]\((?![a-z][a-z0-9+.-]*:)([^)\s]+)\)")
_MEDIA = {".svg": "image/svg+xml", ".png": "image/png"}


@dataclass(frozen=True)
class Language:
    file: str
    lang: str
    label: str


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    contract: Path
    samples: Path
    url: str
    languages: tuple[Language, ...]
    see_also_title: str
    see_also: str

    def operations(self) -> dict[str, dict[str, Any]]:
        """The contract's operations, by operationId."""
        spec = yaml.safe_load(self.contract.read_text(encoding="utf-8"))
        return {op["operationId"]: op for item in spec["paths"].values() for method, op in item.items() if method in METHODS}

    def sample(self, operation_id: str, language: Language) -> Path:
        return self.samples / operation_id / language.file


def pages() -> list[Page]:
    """The reference's pages, as docs/pages.yaml lists them."""
    found = []
    for name, page in yaml.safe_load(PAGES.read_text(encoding="utf-8")).items():
        found.append(
            Page(
                name=name,
                title=page["title"],
                contract=ROOT / page["contract"],
                samples=ROOT / page["samples"],
                url=page["url"],
                languages=tuple(Language(**language) for language in page["languages"]),
                see_also_title=page["see_also"]["title"],
                see_also=page["see_also"]["text"],
            )
        )
    return found


def embed_images(text: str, base: Path) -> str:
    """The text with each image it names by a local path inlined as a `data:` URL (an HTML <img>: Redoc shows no data: URL in Markdown)."""

    def inline(match: re.Match[str]) -> str:
        path = (base / match.group(2)).resolve()
        if path.suffix not in _MEDIA:
            raise SystemExit(f"{match.group(0)}: only {', '.join(_MEDIA)} images can be embedded")
        if not path.is_file():
            raise SystemExit(f"{match.group(0)}: there is no {path}")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        alt = match.group(1).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        return f'<img alt="{alt}" src="data:{_MEDIA[path.suffix]};base64,{data}">'

    return _IMAGE.sub(inline, text)


def _descriptions(node: Any, base: Path) -> Any:
    """Every `description` under node, its images embedded."""
    if isinstance(node, dict):
        return {
            key: embed_images(value, base) if key == "description" and isinstance(value, str) else _descriptions(value, base)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_descriptions(item, base) for item in node]
    return node


def bundle(page: Page) -> dict[str, Any]:
    """The page's contract, with its samples, its images embedded and its link to the other page."""
    spec = yaml.safe_load(page.contract.read_text(encoding="utf-8"))
    for item in spec["paths"].values():
        for method, op in item.items():
            if method not in METHODS:
                continue
            samples = []
            for language in page.languages:
                path = page.sample(op["operationId"], language)
                if path.is_file():
                    samples.append({"lang": language.lang, "label": language.label, "source": path.read_text(encoding="utf-8")})
            if samples:
                op["x-codeSamples"] = samples
    spec = _descriptions(spec, page.contract.parent)
    spec["info"]["description"] = (
        spec["info"].get("description", "").rstrip("\n") + f"\n\n## {page.see_also_title}\n\n" + embed_images(page.see_also, ROOT) + "\n"
    )
    return dict(spec)


def options(page: Page) -> dict[str, Any]:
    """Redoc's options: the languages of the samples (Redoc shows only those listed), then the request's payload."""
    languages = [{"lang": language.lang, "label": language.label} for language in page.languages]
    return {
        "disableTelemetry": True,
        "jsonSamplesExpandLevel": "all",
        "codeSamples": {"languages": [*languages, {"lang": "Payload", "label": "Payload"}]},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for page in pages():
        (out / f"{page.name}.json").write_text(json.dumps(bundle(page), ensure_ascii=False, indent=1), encoding="utf-8")
        (out / f"{page.name}.options.json").write_text(json.dumps(options(page), indent=1), encoding="utf-8")
        print(f"{page.name}\t{page.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
