"""The mock, started once for the contract tests as users start it, and the schema aimed at it.

`make test` runs schemathesis as schemathesis.toml sets it: a fixed seed and a
bounded depth. `make fuzz` sets CONTRACT_FUZZ_EXAMPLES (and a random
CONTRACT_SEED, or the one given to replay a failure) to go far deeper.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from zomro_testkit import mock_process
from zomro_testkit.contract import SPEC_PATH

from contract_tests import checks  # noqa: F401  (registers the custom checks)

FUZZ_EXAMPLES = int(os.environ.get("CONTRACT_FUZZ_EXAMPLES", "0"))
FUZZ_MIN_CASES = int(os.environ.get("CONTRACT_FUZZ_MIN_CASES", "0"))
SEED = int(os.environ.get("CONTRACT_SEED") or random.SystemRandom().randrange(2**32)) if FUZZ_EXAMPLES else None
CASES = {"count": 0}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # In `make test` (pytest -n 2 --dist loadgroup, beside tests/), one worker runs them all, with one mock, while
    # the other runs tests/.
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.xdist_group("contract"))


@pytest.fixture(scope="session")
def mock() -> Iterator[mock_process.RunningMock]:
    with mock_process.running() as running:
        yield running


@pytest.fixture(scope="session")
def api_schema(mock: mock_process.RunningMock) -> Any:
    schema = schemathesis.openapi.from_path(SPEC_PATH)
    schema.config.update(base_url=mock.url)
    if FUZZ_EXAMPLES:
        schema.config.seed = SEED
        schema.config.generation.update(max_examples=FUZZ_EXAMPLES)
    return schema


@pytest.fixture
def count_case() -> Any:
    def count() -> None:
        CASES["count"] += 1

    return count


def pytest_report_header() -> str:
    mode = f"fuzz: {FUZZ_EXAMPLES} examples per operation and mode, seed {SEED}" if FUZZ_EXAMPLES else "schemathesis.toml"
    return f"contract tests: {mode}"


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker (`make test` runs these beside tests/): its count to the controller
        workeroutput["schemathesis_cases"] = CASES["count"]
        return
    if FUZZ_EXAMPLES and CASES["count"] < FUZZ_MIN_CASES:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist's controller: the cases each worker sent, summed."""
    CASES["count"] += getattr(node, "workeroutput", {}).get("schemathesis_cases", 0)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int) -> None:
    if FUZZ_EXAMPLES and CASES["count"] < FUZZ_MIN_CASES:
        terminalreporter.write_line(
            f"fuzz ran {CASES['count']} cases, fewer than {FUZZ_MIN_CASES}: raise FUZZ_EXAMPLES", red=True, bold=True
        )
    if CASES["count"]:
        terminalreporter.write_line(f"schemathesis: {CASES['count']} generated cases sent to the mock")
    if FUZZ_EXAMPLES and exitstatus != 0:
        terminalreporter.write_line(f"fuzz failed with seed {SEED}: replay it with `make fuzz SEED={SEED}`", red=True, bold=True)
