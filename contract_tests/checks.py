"""The API's own rules, as schemathesis checks: every answer is HTTP 200, and its document says which.

A valid request gets the operation's success document, or one of the errors
that the server answers in a given state (the operation's error examples:
`badSession`, `alreadyRescued`, ...), never another error; an invalid one gets
the error document (`doc.error` with `$type` and `msg.$`), never a success and
never a 4xx or 5xx. They replace schemathesis's
`negative_data_rejection`, whose "invalid data gets a 4xx" cannot hold here.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.specs.openapi import checks as builtin
from zomro_contract.operations import selector
from zomro_testkit.contract import answer_validator, operations, validator

_SUCCESS = {op.path: op.response_branches[0] for op in operations().values()}
# The errors a valid request may get, as the emulated world answers it: the operation's error examples.
_STATE_ERRORS = {
    op.path: [example["value"] for example in op.response_examples.values() if "error" in example["value"]["doc"]]
    for op in operations().values()
}


# Per operation: what selects it on the wire, and the validator of its form.
_WIRE = {op.path: (selector(op.path), validator(op.body_pointer)) for op in operations().values()}


@schemathesis.hook
def filter_case(ctx: Any, case: Any) -> bool:
    """Drop a case that, as sent, is a valid request of another operation.

    The path key's fragment never reaches the server: only `func` and `sok` in the body
    select the operation. A rescue without `sok`, `select_boot`, `zone` and `password` is,
    on the wire, a valid preview, and the server rightly answers with the images; that is
    the preview's case, tested there, and no answer could be rescue's. Negative cases that
    stay invalid whichever operation they reach are kept.
    """
    body = case.body
    if not isinstance(body, dict):
        return True
    selected = (body.get("func"), bool(body.get("sok")))
    return not any(path != case.operation.path and selects == selected and form.is_valid(body) for path, (selects, form) in _WIRE.items())


def _negation_vanished(response: Any, case: Any) -> bool:
    """True where schemathesis's own rejection check knows a negative case reaches the wire valid.

    (A mutated value that serialises to a valid form value, for instance.) These are the
    exceptions of `negative_data_rejection` in schemathesis 4.32.5, pinned in uv.lock.
    """
    return (
        builtin.has_only_additional_properties_in_non_body_parameters(case)
        or builtin._body_negation_becomes_valid_after_serialization(response, case)
        or builtin._single_element_array_becomes_valid_after_serialization(response, case)
        or builtin._type_mutations_become_valid_after_serialization(case)
        or builtin._non_body_negative_values_match_schema(response, case)
    )


def _document(response: Any) -> Any:
    assert response.status_code == 200, f"every answer is HTTP 200; got {response.status_code}: {response.text[:300]}"
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/json"), f"every answer is JSON; got {content_type!r}"
    return response.json()


def _errors_against(name: str, document: Any) -> list[str]:
    return [error.message for error in answer_validator(name).iter_errors(document)][:3]


@schemathesis.check
def valid_request_gets_success_document(ctx: Any, response: Any, case: Any) -> bool | None:
    if case.meta is None or case.meta.generation.mode.is_negative:
        return None
    document = _document(response)
    if document in _STATE_ERRORS[case.operation.path]:
        return True
    expected = _SUCCESS[case.operation.path]
    problems = _errors_against(expected, document)
    assert not problems, f"a valid request must get {expected} or one of its error examples, not {document!r:.300}: {problems}"
    return True


@schemathesis.check
def invalid_request_gets_error_document(ctx: Any, response: Any, case: Any) -> bool | None:
    if case.meta is None or not case.meta.generation.mode.is_negative or _negation_vanished(response, case):
        return None
    document = _document(response)
    problems = _errors_against("ErrorDoc", document)
    assert not problems, f"an invalid request must get the error document, not {document!r:.300}: {problems}"
    return True
