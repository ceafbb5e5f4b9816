"""The custom checks fail where the API's rules are broken: they are not checks that cannot fail."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, find, settings
from zomro_testkit import article
from zomro_testkit.contract import SPEC_PATH, operations

from contract_tests.checks import filter_case, invalid_request_gets_error_document, valid_request_gets_success_document

UNRESCUE = operations()["unrescueInstance"]
SUCCESS = UNRESCUE.response_examples["ok"]["value"]
# An error document, but none of the operation's examples: what a valid request must never get.
ERROR = {"doc": {"error": {"$type": "value", "$object": "elid", "msg": {"$": "an error no example of the contract has"}}}}


def _response(status: int, document: Any) -> schemathesis.Response:
    return schemathesis.Response(
        status_code=status,
        headers={"Content-Type": ["application/json; charset=utf-8"]},
        content=json.dumps(document).encode(),
        request=requests.Request("POST", "http://127.0.0.1/").prepare(),
        elapsed=0.0,
        verify=True,
    )


def _case(mode: schemathesis.GenerationMode) -> Any:
    schema = schemathesis.openapi.from_path(SPEC_PATH)
    operation = schema[UNRESCUE.path]["POST"]
    strategy = operation.as_strategy(generation_mode=mode)
    # A negative case whose body lacks `elid`: invalid on the wire whatever the serialisation.
    wanted = (lambda c: isinstance(c.body, dict) and "elid" not in c.body) if mode.is_negative else (lambda c: True)
    quick = settings(database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))  # no shrinking
    return find(strategy, wanted, settings=quick)


@pytest.fixture(scope="module")
def valid_case() -> Any:
    return _case(schemathesis.GenerationMode.POSITIVE)


@pytest.fixture(scope="module")
def invalid_case() -> Any:
    return _case(schemathesis.GenerationMode.NEGATIVE)


def test_valid_request_with_success_passes(valid_case: Any) -> None:
    assert valid_request_gets_success_document(None, _response(200, SUCCESS), valid_case) is True


@pytest.mark.parametrize("name", [name for name, example in UNRESCUE.response_examples.items() if "error" in example["value"]["doc"]])
def test_valid_request_with_an_error_the_world_gives_passes(valid_case: Any, name: str) -> None:
    # The emulated server refuses valid requests in some states (notRescued, busy, badSession, ...).
    assert valid_request_gets_success_document(None, _response(200, UNRESCUE.response_examples[name]["value"]), valid_case) is True


@pytest.mark.parametrize(("status", "document"), [(200, ERROR), (422, SUCCESS), (200, {"doc": {}})])
def test_valid_request_with_anything_else_fails(valid_case: Any, status: int, document: Any) -> None:
    with pytest.raises(AssertionError):
        valid_request_gets_success_document(None, _response(status, document), valid_case)


def test_invalid_request_with_error_document_passes(invalid_case: Any) -> None:
    assert invalid_request_gets_error_document(None, _response(200, ERROR), invalid_case) is True


@pytest.mark.parametrize(("status", "document"), [(200, SUCCESS), (400, ERROR), (200, {"doc": {"error": {}}})])
def test_invalid_request_with_anything_else_fails(invalid_case: Any, status: int, document: Any) -> None:
    with pytest.raises(AssertionError):
        invalid_request_gets_error_document(None, _response(status, document), invalid_case)


def test_each_check_ignores_the_other_kind_of_case(valid_case: Any, invalid_case: Any) -> None:
    assert valid_request_gets_success_document(None, _response(200, ERROR), invalid_case) is None
    assert invalid_request_gets_error_document(None, _response(200, SUCCESS), valid_case) is None


def _rescue_case(body: dict[str, Any]) -> Any:
    schema = schemathesis.openapi.from_path(SPEC_PATH)
    operation = schema[operations()["rescueInstance"].path]["POST"]
    return operation.Case(body=body, media_type="multipart/form-data")


def test_a_rescue_case_that_is_a_preview_on_the_wire_is_dropped() -> None:
    # The article's preview, generated as a rescue that lost `sok` and the rescue fields.
    form = article.curl_example("preview").form
    preview = {**form, "elid": int(form["elid"])}
    assert filter_case(None, _rescue_case(preview)) is False


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            {"func": "instances.fleio.rescue", "out": "json", "elid": 1, "auth": "0", "zone": "pub"}, id="preview with a rescue field"
        ),
        pytest.param({"func": "instances.fleio.rescue", "out": "json", "sok": "no", "elid": 1, "auth": "0"}, id="rescue with a bad sok"),
        pytest.param({"out": "json", "elid": 1, "auth": "0"}, id="no func"),
    ],
)
def test_a_case_invalid_wherever_it_lands_is_kept(body: dict[str, Any]) -> None:
    assert filter_case(None, _rescue_case(body)) is True
