"""After `mutmut run` in build/mutation: the score of each package, and the mutants no test killed.

.venv/bin/python tools/mutation/summary.py   # again, from what the last `make mutation` left
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

PACKAGES = {"sdk": "zomro_rescue", "mock": "zomro_mock"}
# A mutant is killed when a test failed with it, or when its tests ran out of time.
KILLED = ("killed", "timeout")
# The README's table (tools/figures.py, block "mutation"): a row for each package, then both.
LABELS = {"sdk": "SDK (`sdk/zomro_rescue`)", "mock": "mock (`mock/zomro_mock`)"}


def statuses(folder: Path) -> dict[str, Counter[str]]:
    """How many mutants of each package ended how ("not checked": not run, outside the sample)."""
    counts: dict[str, Counter[str]] = {}
    for label, package in PACKAGES.items():
        counts[label] = Counter()
        for meta in sorted((folder / "mutants" / "src" / package).glob("*.py.meta")):
            for code in json.loads(meta.read_text())["exit_code_by_key"].values():
                counts[label][status_by_exit_code[code]] += 1
    return counts


def _not_killed(folder: Path) -> list[str]:
    found = []
    for package in PACKAGES.values():
        for meta in sorted((folder / "mutants" / "src" / package).glob("*.py.meta")):
            for mutant, code in json.loads(meta.read_text())["exit_code_by_key"].items():
                status = status_by_exit_code[code]
                if status not in (*KILLED, "not checked"):
                    found.append(f"  {status}: {mutant}")
    return found


def not_checked(folder: Path) -> list[str]:
    """The mutants that did not run."""
    return [
        mutant
        for package in PACKAGES.values()
        for meta in sorted((folder / "mutants" / "src" / package).glob("*.py.meta"))
        for mutant, code in json.loads(meta.read_text())["exit_code_by_key"].items()
        if code is None
    ]


def summary(folder: Path) -> str:
    lines = []
    for label, counts in statuses(folder).items():
        counts = counts.copy()
        unrun = counts.pop("not checked", 0)
        total = sum(counts.values())
        killed = sum(counts[status] for status in KILLED)
        timeouts = f", {counts['timeout']} of them by a timeout" if counts["timeout"] else ""
        others = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()) if status not in KILLED) or "nothing else"
        sample = f" (run: {total} of its {total + unrun} mutants)" if unrun else ""
        lines.append(
            f"{label} ({PACKAGES[label]}){sample}: killed {killed} / {total} ({100 * killed / max(total, 1):.1f}%){timeouts}; {others}"
        )
    not_killed = _not_killed(folder)
    lines.append(f"\nNot killed ({len(not_killed)}); `cd {folder} && ../../.venv/bin/mutmut show NAME` shows one:")
    return "\n".join(lines + not_killed) + "\n"


def rows(folder: Path) -> list[list[str]]:
    """The README's rows: package, killed / run, score, survived, no tests, timed out (counted as killed)."""
    counts = statuses(folder)
    table = []
    for label, of in [*((LABELS[label], counts[label]) for label in PACKAGES), ("both", sum(counts.values(), Counter()))]:
        run = sum(count for status, count in of.items() if status != "not checked")
        killed = sum(of[status] for status in KILLED)
        table.append(
            [
                label,
                f"{killed:,} / {run:,}",
                _score(killed, run, sample=bool(of["not checked"])),
                f"{of['survived']:,}",
                f"{of['no tests']:,}",
                f"{of['timeout']:,}",
            ]
        )
    return table


def _score(killed: int, run: int, sample: bool) -> str:
    if not run:
        return "-"
    share = killed / run
    if not sample:
        return f"{100 * share:.1f}%"
    # What all the mutants would give is within this of the sample's, 95 times in 100 (the sample taken as random).
    return f"{100 * share:.1f}% ± {196 * math.sqrt(share * (1 - share) / run):.1f}"


def others(folder: Path) -> str:
    """Outcomes the table has no column for (suspicious, segfault...), or ""."""
    both = sum(statuses(folder).values(), Counter())
    return ", ".join(
        f"{count} {status}" for status, count in sorted(both.items()) if status not in (*KILLED, "survived", "no tests", "not checked")
    )


if __name__ == "__main__":
    print(summary(Path(__file__).resolve().parents[2] / "build" / "mutation"), end="")
    sys.exit(0)
