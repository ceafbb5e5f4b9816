"""A form checked against its operation's schema in the contract, before the world acts on it.

Prism checks what it forwards, but the emulator must know a request is valid
before it changes the world (a rescue that Prism then refused would have
happened all the same). Messages name the field and the rule, never the
value: a value may be a secret.
"""

from __future__ import annotations

from typing import Any

from zomro_contract.operations import Operation
from zomro_contract.schemas import Schemas, escape

from .errors import MISSED, VALUE, Rejection


def body_pointer(path: str) -> str:
    return f"/paths/{escape(path)}/post/requestBody/content/multipart~1form-data/schema"


class FormCheck:
    def __init__(self, spec: dict[str, Any], operations: list[Operation]) -> None:
        schemas = Schemas(spec)
        paths = {item["post"]["operationId"]: path for path, item in spec["paths"].items()}
        self.validators: dict[str, Any] = {op.operation_id: schemas.validator(body_pointer(paths[op.operation_id])) for op in operations}

    def check(self, operation: Operation, fields: dict[str, str]) -> None:
        """Nothing when the form is valid; the Rejection the server would answer otherwise."""
        typed: dict[str, Any] = {name: int(value) if name in operation.integer_fields else value for name, value in fields.items()}
        errors = sorted(self.validators[operation.operation_id].iter_errors(typed), key=_order)
        if errors:
            raise _rejection(errors[0])


def _order(error: Any) -> tuple[int, str]:
    return (0 if error.validator == "required" else 1, str(list(error.absolute_path)))


def _rejection(error: Any) -> Rejection:
    rule, expected = error.validator, error.validator_value
    if rule == "required":
        missing = next(name for name in expected if name not in error.instance)
        return Rejection(MISSED, missing, f"Request body must have required property '{missing}'")
    field = str(error.absolute_path[0]) if error.absolute_path else ""
    where = f"Request body property {field}" if field else "Request body"
    if rule == "const":
        return Rejection(VALUE, field, f"{where} must be equal to constant {expected!r}")
    if rule == "enum":
        return Rejection(VALUE, field, f"{where} must be equal to one of the allowed values: {', '.join(map(str, expected))}")
    if rule == "pattern":
        return Rejection(VALUE, field, f'{where} must match pattern "{expected}"')
    if rule == "format":
        return Rejection(VALUE, field, f'{where} must match format "{expected}"')
    if rule in ("minLength", "maxLength"):
        bound = "fewer" if rule == "minLength" else "more"
        return Rejection(VALUE, field, f"{where} must NOT have {bound} than {expected} characters")
    if rule in ("minimum", "maximum"):
        return Rejection(VALUE, field, f"{where} must be {'>=' if rule == 'minimum' else '<='} {expected}")
    return Rejection(VALUE, field, f"{where} breaks the contract's rule `{rule}`")
