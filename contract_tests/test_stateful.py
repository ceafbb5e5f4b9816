"""Schemathesis's stateful phase against the emulated server: the contract's links chain real calls.

A login's session feeds the list and the preview, the list's instance the preview and
the unrescue, the preview's first image a rescue, a rescue its unrescue. Every answer is
checked as in the other phases (checks.py). The contract names a linked form field
`body.<field>`, as OpenAPI Generator's parser accepts it; schemathesis 4.32 would take
such a parameter as the whole body, so the links are handed to it as the `requestBody`
objects it merges into the form. Generated sessions and passwords are random,
so half of the calls use the default world's live session and account instead: without
them almost every sequence would stop at `badSession` and reach no state worth testing.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations, spec

from contract_tests.conftest import FUZZ_EXAMPLES, SEED

SESSION = article.curl_example("rescue").form["auth"]
ACCOUNT = operations()["logIn"].request_examples["login"]["value"]
STEPS = 20 if not FUZZ_EXAMPLES else 50
# `make fuzz`: some 5,000 calls in sequences, about as many as its stateless cases.
EXAMPLES = 15 if not FUZZ_EXAMPLES else 100


BODY = "body."


def _links_as_merged_bodies(document: dict[str, Any]) -> dict[str, Any]:
    linked = copy.deepcopy(document)
    for link in linked["components"]["links"].values():
        fields = {name.removeprefix(BODY): value for name, value in link.pop("parameters").items() if name.startswith(BODY)}
        link["requestBody"] = fields
    return linked


def test_stateful_sequences_find_nothing(api_schema: Any, mock: mock_process.RunningMock) -> None:
    schema = schemathesis.openapi.from_dict(_links_as_merged_bodies(spec()))
    schema.config.update(base_url=mock.url)
    base = schema.as_state_machine()
    chooser = random.Random(SEED or 20261128)
    done: Counter[str] = Counter()

    class Workflow(base):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            mock.reset()

        def before_call(self, case: Any) -> None:
            body = case.body
            if not isinstance(body, dict) or not chooser.getrandbits(1):
                return
            if case.operation.path == operations()["logIn"].path:
                body.update(username=ACCOUNT["username"], password=ACCOUNT["password"])
            elif "auth" in body or "authinfo" not in body:
                body["auth"] = SESSION

        def after_call(self, response: Any, case: Any) -> None:
            if response.status_code == 200 and "ok" in (response.json().get("doc") or {}):
                done[case.operation.label] += 1

    Workflow.run(
        settings=hypothesis.settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=SEED is None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
    # The links reached the lifecycle: rescues and unrescues were done, not only refused.
    rescued = sum(count for label, count in done.items() if "fleio.rescue&sok" in label)
    unrescued = sum(count for label, count in done.items() if "fleio.unrescue" in label)
    assert rescued and unrescued, f"no sequence got as far as a rescue and an unrescue: {dict(done)}"


@pytest.fixture(autouse=True)
def _reset_after(mock: mock_process.RunningMock) -> Any:
    yield
    mock.reset()
