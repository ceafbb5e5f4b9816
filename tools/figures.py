"""Measured figures, written into the README and the guide by the run that measured them, never by hand.

A run that measures (`make test`, `.ci/run`, `make bench`, `make mutation`) saves its figures in
build/figures/NAME.json. Asked to (`make test RECORD=1`, `make bench RECORD=1`,
`make mutation RECORD=1`, `.ci/run --record`), it also writes them into the page that holds their block (the README or a page of guide/), between the markers of
their block, as a Markdown table and one line saying when, at which commit and on
how busy a machine they were measured:

    <!-- figures NAME: begin (written by WRITER) -->
    | column | column |
    |---|---|
    | cell | cell |

    Measured 2026-12-01 14:05 UTC at commit 1de8c14, on 2 cores, load average 0.41 at the start and 2.07 at the end.
    <!-- figures NAME: end -->

A block is only ever rewritten where its markers are; tests/test_figures.py checks that every
block in the README and the guide is what this module writes. `python tools/figures.py record NAME...`
writes the blocks of figures saved by an earlier run (`.ci/run --record` does, after its check
that no target changed a committed file).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
GUIDE = ROOT / "guide"
SAVED = ROOT / "build" / "figures"

# Each block: who writes it, and its columns.
BLOCKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "make-targets": ("`.ci/run --record`", ("target", "what it does", "time in `.ci/run`")),
    "make-test": ("`make test RECORD=1`", ("part of `make test`", "time")),
    "bench-throughput": (
        "`make bench RECORD=1`",
        ("", "bare Prism", "Prism `-v warn`", "this mock", "mock / Prism `-v warn`"),
    ),
    "bench-world": ("`make bench RECORD=1`", ("", "default world", "10,000 instances", "ratio")),
    "bench-fairness": ("`make bench RECORD=1`", ("others' median latency", "time", "ratio to alone")),
    "bench-world-load": ("`make bench RECORD=1`", ("", "time", "ratio to alone")),
    "bench-starts": ("`make bench RECORD=1`", ("", "time", "ratio")),
    "mutation": (
        "`make mutation RECORD=1`",
        ("package", "killed / run", "score", "survived", "no tests", "timed out (killed)"),
    ),
}
MEASURED = re.compile(
    r"Measured (?P<date>\d{4}-\d\d-\d\d \d\d:\d\d UTC) at commit (?P<commit>[0-9a-f]{7,40})(?P<dirty> with uncommitted changes)?, "
    r"on (?P<cores>\d+) cores, load average (?P<load_start>\d+\.\d\d) at the start and (?P<load_end>\d+\.\d\d) at the end"
    r"(?:; (?P<conditions>[^\n]*))?\.$"
)


@dataclass
class Measurement:
    """When, where and on how busy a machine: taken at a run's start, finished at its end."""

    date: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    commit: str = field(default_factory=lambda: _git("rev-parse", "--short", "HEAD") or "0000000")
    dirty: bool = field(default_factory=lambda: bool(_git("status", "--porcelain", "--untracked-files=no")))
    cores: int = field(default_factory=lambda: os.cpu_count() or 1)
    load_start: float = field(default_factory=lambda: os.getloadavg()[0])
    load_end: float = 0.0
    conditions: str = ""

    def finish(self) -> Measurement:
        self.load_end = os.getloadavg()[0]
        return self

    def line(self) -> str:
        dirty = " with uncommitted changes" if self.dirty else ""
        conditions = f"; {self.conditions}" if self.conditions else ""
        return (
            f"Measured {self.date} at commit {self.commit}{dirty}, on {self.cores} cores, "
            f"load average {self.load_start:.2f} at the start and {self.load_end:.2f} at the end{conditions}."
        )


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


@dataclass
class Block:
    name: str
    rows: list[list[str]]
    measurement: Measurement | None  # None: not measured yet (its figures are "-")

    @property
    def writer(self) -> str:
        return BLOCKS[self.name][0]

    @property
    def columns(self) -> tuple[str, ...]:
        return BLOCKS[self.name][1]

    def begin(self) -> str:
        return begin_marker(self.name)

    def render(self) -> str:
        lines = [self.begin(), _row(self.columns), "|" + "---|" * len(self.columns)]
        for row in self.rows:
            assert len(row) == len(self.columns), f"{self.name}: {row} is not a row of {self.columns}"
            lines.append(_row(row))
        measured = self.measurement.line() if self.measurement else not_measured(self.name)
        return "\n".join([*lines, "", measured, end_marker(self.name)])


def begin_marker(name: str) -> str:
    return f"<!-- figures {name}: begin (written by {BLOCKS[name][0]}) -->"


def not_measured(name: str) -> str:
    return f"Not measured yet: {BLOCKS[name][0]} writes these figures."


def end_marker(name: str) -> str:
    return f"<!-- figures {name}: end -->"


def _row(cells: list[str] | tuple[str, ...]) -> str:
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def _cells(line: str) -> list[str]:
    assert line.startswith("|") and line.endswith("|"), f"not a table row: {line!r}"
    return [cell.strip() for cell in line[1:-1].split("|")]


BLOCK = re.compile(r"<!-- figures (?P<name>[a-z-]+): begin .*?<!-- figures (?P=name): end -->", re.S)


def blocks(text: str) -> list[str]:
    """The text of every figures block in `text`, markers included."""
    return [match.group(0) for match in BLOCK.finditer(text)]


def parse(text: str) -> Block:
    """A block as written by render(); AssertionError says where it is not."""
    lines = text.splitlines()
    name = re.fullmatch(r"<!-- figures ([a-z-]+): begin .*", lines[0])
    assert name and name.group(1) in BLOCKS, f"unknown block: {lines[0]!r}"
    assert lines[0] == begin_marker(name.group(1)), f"{lines[0]!r} is not {begin_marker(name.group(1))!r}"
    assert lines[-1] == end_marker(name.group(1)) and lines[-3] == "", f"{name.group(1)}: no measurement line before the end"
    rows = [_cells(line) for line in lines[3:-3]]
    if lines[-2] == not_measured(name.group(1)):
        return Block(name.group(1), rows, None)
    measured = MEASURED.fullmatch(lines[-2])
    assert measured, f"{name.group(1)}: not a measurement line: {lines[-2]!r}"
    fields = measured.groupdict()
    measurement = Measurement(
        date=fields["date"],
        commit=fields["commit"],
        dirty=bool(fields["dirty"]),
        cores=int(fields["cores"]),
        load_start=float(fields["load_start"]),
        load_end=float(fields["load_end"]),
        conditions=fields["conditions"] or "",
    )
    return Block(name.group(1), rows, measurement)


def documents() -> list[Path]:
    """Where the blocks are: the README and the guide's pages."""
    return [README, *sorted(GUIDE.glob("*.md"))]


def write(blocks_: list[Block], readme: Path | None = None) -> None:
    """Each block in place of the one between its markers, in the one page that has them (or in `readme`)."""
    pages = [readme] if readme else documents()
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    written: dict[Path, list[str]] = {}
    for block in blocks_:
        found = [(page, match) for page in pages for match in BLOCK.finditer(texts[page]) if match.group("name") == block.name]
        if len(found) != 1:
            raise SystemExit(
                f"{len(found)} blocks {block.name!r} in {', '.join(page.name for page in pages)}, not one: "
                f"its markers are {block.begin()} ... {end_marker(block.name)}"
            )
        page, match = found[0]
        texts[page] = texts[page][: match.start()] + block.render() + texts[page][match.end() :]
        written.setdefault(page, []).append(block.name)
    for page, names in written.items():
        page.write_text(texts[page], encoding="utf-8")
        print(f"figures written into {page.relative_to(ROOT) if page.is_relative_to(ROOT) else page.name}: {', '.join(names)}")


def current(name: str, readme: Path | None = None) -> Block:
    """The block as its page holds it now."""
    pages = [readme] if readme else documents()
    texts = [text for page in pages for text in blocks(page.read_text(encoding="utf-8"))]
    (text,) = [text for text in texts if BLOCK.match(text).group("name") == name]  # type: ignore[union-attr]
    return parse(text)


def save(name: str, data: dict[str, Any]) -> Path:
    SAVED.mkdir(parents=True, exist_ok=True)
    path = SAVED / f"{name}.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def saved(name: str) -> dict[str, Any]:
    path = SAVED / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"no figures saved by a run of {name} ({path})")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def measurement(data: dict[str, Any]) -> Measurement:
    return Measurement(**data["measurement"])


def duration(seconds: float) -> str:
    """12.3 s under a minute; 4 min 05 s above."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


# The blocks of runs of tools/run_parts.py: make test's parts, and .ci/run's targets in the table of make targets.


def parts_block(name: str, data: dict[str, Any], readme: Path | None = None) -> Block:
    parts = data["parts"]
    assert isinstance(parts, list)
    if name == "make-test":
        rows = [[part["label"], duration(part["seconds"])] for part in parts]
        return Block(name, [*rows, ["total", duration(float(data["total"]))]], measurement(data))
    if name == "make-targets":
        times = {part["label"]: duration(part["seconds"]) for part in parts}
        rows = [[target, what, times.get(target.strip("`"), "-")] for target, what, _ in current(name, readme).rows]
        ci = measurement(data)
        ci.conditions = f"`.ci/run` in all: {duration(float(data['total']))}"
        return Block(name, rows, ci)
    raise SystemExit(f"{name}: not a block of tools/run_parts.py")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "record":
        print(__doc__.split("\n\n")[0], "\n\nusage: python tools/figures.py record make-test make-targets", file=sys.stderr)
        return 2
    names = argv[1:]
    sources = {"make-test": "make-test", "make-targets": "ci"}
    unknown = [name for name in names if name not in sources]
    if unknown:
        raise SystemExit(f"can write {', '.join(sources)} from saved figures, not {', '.join(unknown)}")
    write([parts_block(name, saved(sources[name])) for name in names])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
