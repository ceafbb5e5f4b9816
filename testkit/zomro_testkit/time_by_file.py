"""A pytest plugin for `make test`: where the time went, test file by test file, summed over the workers.

`make test` loads it (`-p zomro_testkit.time_by_file`) and ends with the slowest files: the seconds
their tests took (setup, call and teardown, as pytest's --durations counts them), which under
pytest-xdist add up to about the workers' count times the wall time.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

SHOWN = 12
_seconds: defaultdict[str, float] = defaultdict(float)
_tests: defaultdict[str, set[str]] = defaultdict(set)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = report.nodeid.split("::", 1)[0]
    _seconds[path] += report.duration
    _tests[path].add(report.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _seconds or hasattr(terminalreporter.config, "workerinput"):
        return
    total = sum(_seconds.values())
    ranked = sorted(_seconds.items(), key=lambda item: -item[1])
    terminalreporter.section("time by test file, summed over the workers")
    for path, seconds in ranked[:SHOWN]:
        terminalreporter.write_line(f"{seconds:7.1f} s  {seconds / total:4.0%}  {path} ({len(_tests[path])} tests)")
    rest = ranked[SHOWN:]
    if rest:
        terminalreporter.write_line(f"{sum(s for _, s in rest):7.1f} s  {sum(s for _, s in rest) / total:4.0%}  {len(rest)} other files")
    terminalreporter.write_line(f"{total:7.1f} s  in all")
