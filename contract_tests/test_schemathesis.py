"""Schemathesis over all four operations, against the mock: examples, coverage and fuzzing phases.

Every built-in check runs but those schemathesis.toml switches off (each with
its reason), plus the API's own rules from checks.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import schemathesis

schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_operation_conforms(case: Any, count_case: Callable[[], None]) -> None:
    count_case()
    case.call_and_validate()
