"""One mock for the tests that only talk to it, started as users start it (with --verbose, so that
the log tests have every request to read)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from zomro_testkit import mock_process


@pytest.fixture(scope="session")
def mock() -> Iterator[mock_process.RunningMock]:
    with mock_process.running("--port", str(mock_process.free_port()), "--verbose") as running:
        yield running
