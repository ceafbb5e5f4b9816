"""After `mutmut run` in build/mutation: the score of each package, and the mutants no test killed.

.venv/bin/python tools/mutation/summary.py   # again, from what the last `make mutation` left
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

PACKAGES = {"sdk": "zomro_rescue", "mock": "zomro_mock"}
# A mutant is killed when a test failed with it, or when its tests ran out of time.
KILLED = ("killed", "timeout")


def summary(folder: Path) -> str:
    lines, not_killed = [], []
    for label, package in PACKAGES.items():
        statuses: Counter[str] = Counter()
        for meta in sorted((folder / "mutants" / "src" / package).glob("*.py.meta")):
            for mutant, code in json.loads(meta.read_text())["exit_code_by_key"].items():
                status = status_by_exit_code[code]
                statuses[status] += 1
                if status not in (*KILLED, "not checked"):
                    not_killed.append(f"  {status}: {mutant}")
        unrun = statuses.pop("not checked", 0)
        total = sum(statuses.values())
        killed = sum(statuses[status] for status in KILLED)
        timeouts = f", {statuses['timeout']} of them by a timeout" if statuses["timeout"] else ""
        others = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()) if status not in KILLED) or "nothing else"
        sample = f" (run: {total} of its {total + unrun} mutants)" if unrun else ""
        lines.append(f"{label} ({package}){sample}: killed {killed} / {total} ({100 * killed / max(total, 1):.1f}%){timeouts}; {others}")
    lines.append(f"\nNot killed ({len(not_killed)}); `cd {folder} && ../../.venv/bin/mutmut show NAME` shows one:")
    return "\n".join(lines + not_killed) + "\n"


if __name__ == "__main__":
    print(summary(Path(__file__).resolve().parents[2] / "build" / "mutation"), end="")
    sys.exit(0)
