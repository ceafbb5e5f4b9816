"""Draw the rescue lifecycle as an SVG, from the emulator's own transition table: `python docs/lifecycle.py OUTPUT.svg`.

The picture is made from `zomro_mock.world.LIFECYCLE` (which call moves an instance from which
statuses, through which passing status, to which; what it is refused with elsewhere) and the
contract's list of statuses (InstanceStatus): change the table and the picture follows. `make docs`
writes docs/lifecycle.svg, which the reference embeds next to the rescue operations and the README
shows; a test fails when the committed file is not what this script draws.

The SVG is written directly (no Graphviz): one layout, a column at a width the reference's middle
panel shows unscaled from 1,366 px windows up, in a monospace font, whose width per character is
known, so that boxes and the table fit their text on any machine.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from zomro_contract.schemas import contract
from zomro_mock.world import LIFECYCLE, Move

WIDTH = 440  # CSS pixels: the reference's middle panel is 444 px wide in a 1,366 px window
FONT_SIZE = 13
CHAR = 0.62 * FONT_SIZE  # the advance of one character in a monospace font (DejaVu Sans Mono: 0.602 em), with room
LINE = 17  # the height of a line of text
FONT = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace"
PAD = 10  # inside a box
MARGIN = 12
CHANNEL = 24  # x of the return arrow, left of the boxes
BOX_HEIGHT = 30
STEP = 64  # from one row of boxes to the next
INK, MUTED, RULE = "#1f2328", "#57606a", "#d0d7de"
SETTLED_FILL, PASSING_FILL, HEAD_FILL = "#ddf4ff", "#fff8c5", "#f6f8fa"
SETTLES = "settles"
LONG_GROUP = 4  # a group of more statuses is shown by its first two in the table, the others below it


@dataclass(frozen=True)
class Box:
    status: str
    x: float
    y: float
    width: float
    passing: bool

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + BOX_HEIGHT


def text_width(text: str) -> float:
    return len(text) * CHAR


def _text(x: float, y: float, text: str, *, anchor: str = "start", weight: str = "normal", fill: str = INK, italic: bool = False) -> str:
    style = ' font-style="italic"' if italic else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-weight="{weight}" fill="{fill}"{style}>{escape(text)}</text>'


def _box(box: Box) -> str:
    dash = ' stroke-dasharray="5 3"' if box.passing else ""
    fill = PASSING_FILL if box.passing else SETTLED_FILL
    return (
        f'<rect x="{box.x:g}" y="{box.y:g}" width="{box.width:g}" height="{BOX_HEIGHT}" rx="6" fill="{fill}" stroke="{INK}"{dash}/>'
        + _text(box.cx, box.y + 20, box.status, anchor="middle", weight="bold")
    )


def _arrow(points: Sequence[tuple[float, float]]) -> str:
    path = " ".join(f"{x:g},{y:g}" for x, y in points)
    return f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="1.5" marker-end="url(#head)"/>'


def _wrap(words: Sequence[str], width: float) -> list[str]:
    """Words joined by ", " into lines no wider than `width`."""
    lines: list[str] = []
    for index, word in enumerate(words):
        word = word + ("," if index < len(words) - 1 else "")
        if lines and text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _paragraph(text: str) -> list[str]:
    """Text wrapped to the picture's width."""
    return textwrap.wrap(text, int((WIDTH - 2 * MARGIN) // CHAR), break_on_hyphens=False)


def _cycle(lifecycle: Sequence[Move]) -> tuple[Move, Move]:
    """The table's shape this layout draws: a call out of some statuses, and one that leads back into one of them."""
    if len(lifecycle) != 2:
        raise SystemExit(f"docs/lifecycle.py draws a lifecycle of two calls, a move and its return; the table has {len(lifecycle)}")
    out, back = lifecycle
    if out.settled not in back.start or back.settled not in out.start:
        raise SystemExit("docs/lifecycle.py draws a move and its return: the second call must start where the first settles, and lead back")
    return out, back


def _outcome(move: Move, status: str) -> str:
    refused = move.refusal(status)
    return f"→ {move.passing}" if refused is None else refused


def _rows(lifecycle: Sequence[Move], known: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    """The statuses grouped by what each call gets in them: starting statuses first, in the table's order."""
    order = [status for move in lifecycle for status in sorted(move.start, key=known.index)]
    order += [status for status in known if status not in order]
    groups: dict[tuple[str, ...], list[str]] = {}
    for status in order:
        groups.setdefault(tuple(_outcome(move, status) for move in lifecycle), []).append(status)
    return [(names, list(outcomes)) for outcomes, names in groups.items()]


def draw(lifecycle: Sequence[Move], known: Sequence[str]) -> str:
    """The SVG of the lifecycle: the statuses and calls as a graph, then what each call gets in every status."""
    out, back = _cycle(lifecycle)
    known = [*known, *(s for move in lifecycle for s in (*sorted(move.start), move.passing, move.settled) if s not in known)]
    middle = (CHANNEL + WIDTH) / 2 + 10
    parts: list[str] = []

    def box(status: str, cx: float, y: float, passing: bool = False) -> Box:
        width = text_width(status) + 2 * PAD
        return Box(status, cx - width / 2, y, width, passing)

    # The graph: the first call's statuses in a row, then down the column, and the return on the left.
    starts = sorted(out.start, key=known.index)
    top = MARGIN
    widths = [text_width(status) + 2 * PAD for status in starts]
    x = middle - (sum(widths) + 24 * (len(starts) - 1)) / 2
    start_boxes = []
    for status, width in zip(starts, widths, strict=True):
        start_boxes.append(Box(status, x, top, width, False))
        x += width + 24
    column = [
        box(out.passing, middle, top + STEP, passing=True),
        box(out.settled, middle, top + 2 * STEP),
        box(back.passing, middle, top + 3 * STEP, passing=True),
    ]
    for start in start_boxes:
        parts.append(_arrow([(start.cx, start.bottom), (middle, column[0].y - 1)]))
    labels = [(out.operation, "bold", INK, False), (SETTLES, "normal", MUTED, True), (back.operation, "bold", INK, False)]
    for upper, lower, (label, weight, fill, italic) in zip([None, *column[:-1]], column, labels, strict=True):
        if upper is not None:
            parts.append(_arrow([(middle, upper.bottom), (middle, lower.y - 1)]))
        y = (lower.y - (upper.bottom if upper else top + BOX_HEIGHT)) / 2 + (upper.bottom if upper else top + BOX_HEIGHT) + 5
        # The first call's label clears the arrows that converge on its box.
        x = max(middle, *(start.cx for start in start_boxes)) if upper is None else middle
        parts.append(_text(x + 10, y, label, weight=weight, fill=fill, italic=italic))
    # Back to where the return settles: out of the passing box's left, up the channel, into that status's box.
    passing, home = column[2], next(b for b in start_boxes if b.status == back.settled)
    home_y = home.y + BOX_HEIGHT / 2
    parts.append(
        _arrow([(passing.x, passing.y + BOX_HEIGHT / 2), (CHANNEL, passing.y + BOX_HEIGHT / 2), (CHANNEL, home_y), (home.x - 1, home_y)])
    )
    parts.append(_text(CHANNEL + 6, (home_y + passing.y) / 2 + 20, SETTLES, fill=MUTED, italic=True))
    parts += [_box(b) for b in (*start_boxes, *column)]
    bottom = column[-1].bottom

    # Settling, in words.
    y = bottom + 28
    for line in _paragraph(
        f"Dashed: a passing status, while the call runs. It {SETTLES} at once (the mock's default), or after N reads of "
        "the instance list or N seconds (zomro-rescue-mock --transitions) of the world's clock, which follows real time "
        "unless a test freezes it; POST /_mock/clock/advance moves it at once."
    ):
        parts.append(_text(MARGIN, y, line, fill=MUTED))
        y += LINE

    # What each call gets, by status: the table's refusals, as the contract's error examples.
    y += 14
    label_width = WIDTH - 2 * MARGIN - 2 * (text_width("x" * 16) + 12)
    columns = [MARGIN, MARGIN + label_width + 12, MARGIN + label_width + 12 + text_width("x" * 16) + 12]
    parts.append(_text(MARGIN, y, "What each call gets, by status:", weight="bold"))
    y += 12
    parts.append(f'<rect x="{MARGIN / 2:g}" y="{y:g}" width="{WIDTH - MARGIN:g}" height="{LINE + 8}" fill="{HEAD_FILL}"/>')
    y += LINE
    parts.append(_text(columns[0], y, "status", weight="bold"))
    for column_x, move in zip(columns[1:], lifecycle, strict=True):
        parts.append(_text(column_x, y, move.operation, weight="bold"))
    y += 8
    also: list[str] = []
    for names, outcomes in _rows(lifecycle, known):
        if len(names) > LONG_GROUP:  # the first few here, the rest below the table
            also += names[2:]
            names = [*names[:2], f"and {len(names) - 2} more*"]
        lines = _wrap(names, label_width)
        parts.append(f'<line x1="{MARGIN / 2:g}" x2="{WIDTH - MARGIN / 2:g}" y1="{y:g}" y2="{y:g}" stroke="{RULE}"/>')
        y += LINE
        for index, line in enumerate(lines):
            parts.append(_text(columns[0], y + index * LINE, line))
        for column_x, outcome in zip(columns[1:], outcomes, strict=True):
            parts.append(_text(column_x, y, outcome, weight="bold" if outcome.startswith("→") else "normal"))
        y += (len(lines) - 1) * LINE + 8
    y += 20
    notes = [
        *([f"* {', '.join(also)}."] if also else []),
        "→: the call starts. Otherwise it is refused: HTTP 200 with doc.error, as the contract's example of that name.",
        "previewRescueImages and listInstances answer in every status.",
    ]
    for note in notes:
        for line in _paragraph(note):
            parts.append(_text(MARGIN, y, line, fill=MUTED))
            y += LINE
        y += 4
    height = y - LINE + MARGIN - 4

    title = "The rescue lifecycle of a Cloud VPS instance"
    summary = (
        f"{out.operation} takes an instance in {' or '.join(starts)} to {out.passing}, then {out.settled}; "
        f"{back.operation} takes a {' or '.join(sorted(back.start))} one to {back.passing}, then {back.settled}. "
        "The table below it says what each call gets in every status."
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:g}" viewBox="0 0 {WIDTH} {height:g}"'
        f' font-family={quoteattr(FONT)} font-size="{FONT_SIZE}" role="img" aria-labelledby="title desc">\n'
        f'<title id="title">{escape(title)}</title>\n<desc id="desc">{escape(summary)}</desc>\n'
        '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>\n'
        f'<rect width="{WIDTH}" height="{height:g}" fill="#ffffff"/>\n'
    )
    return head + "\n".join(parts) + "\n</svg>\n"


def known_statuses() -> list[str]:
    """Every status the contract knows (InstanceStatus's examples), in its order."""
    schema = contract().spec["components"]["schemas"]["InstanceStatus"]
    return [str(status) for status in schema["properties"]["$"]["examples"]]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    Path(argv[0]).write_text(draw(LIFECYCLE, known_statuses()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
