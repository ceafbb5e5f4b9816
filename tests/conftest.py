"""One mock for the tests that only talk to it, started as users start it (with --verbose, so that
the log tests have every request to read); each test gets its world as the mock started with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from zomro_testkit import mock_process


@pytest.fixture(scope="session")
def running_mock() -> Iterator[mock_process.RunningMock]:
    with mock_process.running("--port", str(mock_process.free_port()), "--verbose") as running:
        yield running


@pytest.fixture
def mock(running_mock: mock_process.RunningMock) -> mock_process.RunningMock:
    running_mock.reset()
    return running_mock
