"""`make bench`'s options (bench/*.py): a value that cannot work is a usage error, exit 2 in one line, before anything runs.

`make bench BENCH_ARGS="--warmup 0"` was a traceback from wrk's refusal of 0 seconds, after a minute of starts.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from zomro_testkit.arguments import whole_number

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("text", ["0", "-1", "601", "x", "1.5", "", "1e3", "nan"])
def test_a_whole_number_out_of_bounds_or_none_is_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        whole_number(1, 600, "seconds")(text)
    assert str(refused.value).startswith("give a whole number of seconds from 1 to 600, not ")


def test_a_whole_number_in_bounds_is_taken() -> None:
    assert [whole_number(1, 600)(text) for text in ("1", "600", " 7 ", "+2")] == [1, 600, 7, 2]


# Each option of each script, with a value that crashed it (0 seconds or connections, a median of 0 rounds or starts)
# or that is no number at all; a process for each, as `make bench` starts it: `make proofs`.
@pytest.mark.proof
@pytest.mark.parametrize(
    ("script", "args", "says"),
    [
        ("mock_bench.py", ["--warmup", "0"], "argument --warmup: give a whole number of seconds from 1 to 600, not 0"),
        ("mock_bench.py", ["--seconds", "0"], "argument --seconds: give a whole number of seconds from 1 to 3600, not 0"),
        ("mock_bench.py", ["--connections", "-1"], "argument --connections: give a whole number from 1 to 1000, not -1"),
        ("mock_bench.py", ["--rounds", "0"], "argument --rounds: give a whole number from 1 to 100, not 0"),
        ("mock_bench.py", ["--starts", "x"], "argument --starts: give a whole number from 1 to 100, not 'x'"),
        ("mock_bench.py", ["--parts", "speed"], "--parts: give some of throughput, fairness, starts, world-load"),
        ("fairness.py", ["0"], "argument rounds: give a whole number from 1 to 100, not 0"),
        ("starts.py", ["1.5"], "argument starts: give a whole number from 1 to 100, not '1.5'"),
        ("world_load.py", ["5"], "unrecognized arguments: 5"),
    ],
)
def test_a_bad_value_is_a_usage_error(script: str, args: list[str], says: str) -> None:
    # As `make bench` runs them: modules of the package bench, from the checkout's root.
    module = f"bench.{script.removesuffix('.py')}"
    result = subprocess.run([sys.executable, "-m", module, *args], cwd=BENCH.parent, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    *usage, last = result.stderr.strip().splitlines()
    assert last == f"{script}: error: {says}"
    assert usage and usage[0].startswith(f"usage: {script} ") and all(line.startswith(" ") for line in usage[1:]), result.stderr
