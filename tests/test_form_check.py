"""The mock's compiled form check says what jsonschema says of the contract's forms, value for value.

The emulator decides validity itself (the world must not act on a request Prism would
refuse), so its check must agree with the contract exactly. Every field of every form
is tried with the contract's example values and with values around each of its rules.
"""

from __future__ import annotations

from typing import Any

import pytest
from zomro_contract.operations import Operation, load
from zomro_mock.errors import Rejection
from zomro_mock.form_check import FormCheck
from zomro_testkit.contract import SPEC_PATH, operations, resolve, spec, validator

CATALOGUE = {op.operation_id: op for op in load(SPEC_PATH).by_selector.values()}
CHECK = FormCheck(spec(), list(CATALOGUE.values()))


def _values(schema: dict[str, Any]) -> list[Any]:
    """Values on both sides of each rule of a field."""
    values: list[Any] = ["", "a", " ", "\x00", "é", "#", "A1b2C3d4", "a" * 300]
    values += [schema.get("const")] if "const" in schema else []
    values += list(schema.get("enum", [])) + [v.upper() for v in schema.get("enum", []) if isinstance(v, str)]
    for bound in ("minLength", "maxLength"):
        if bound in schema:
            values += ["a" * (schema[bound] + d) for d in (-1, 0, 1) if schema[bound] + d >= 0]
    for bound in ("minimum", "maximum"):
        if bound in schema:
            values += [schema[bound] + d for d in (-1, 0, 1)]
    if schema.get("format") == "uuid":
        value = "6f1c2a4e-8b3d-4c5e-9f70-a1b2c3d4e5f6"
        values += [value, value.upper(), value[:-1], value + "0", value.replace("-", "")]
    values += list(schema.get("examples", []))
    return values


def _cases() -> list[Any]:
    cases = []
    for operation_id, op in sorted(operations().items()):
        base = dict(next(iter(op.request_examples.values()))["value"])
        for name, schema in op.request_schema["properties"].items():
            field = resolve(schema)
            for value in _values(field):
                if field.get("type") == "integer" and not (isinstance(value, int) and value >= 0):
                    continue  # the router refuses what is not digits before this check
                if field.get("type") != "integer" and not isinstance(value, str):
                    continue
                cases.append(pytest.param(operation_id, {**base, name: value}, id=f"{operation_id}-{name}-{str(value)[:12]!r}"))
        for name in op.request_schema.get("required", []):
            cases.append(pytest.param(operation_id, {k: v for k, v in base.items() if k != name}, id=f"{operation_id}-without-{name}"))
    return cases


def _as_sent(operation: Operation, form: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in form.items()}


@pytest.mark.parametrize(("operation_id", "form"), _cases())
def test_the_check_agrees_with_the_contract(operation_id: str, form: dict[str, Any]) -> None:
    valid = validator(operations()[operation_id].body_pointer).is_valid(form)
    try:
        CHECK.check(CATALOGUE[operation_id], _as_sent(CATALOGUE[operation_id], form))
        accepted = True
    except Rejection as rejection:
        accepted = False
        assert all(
            str(value) not in rejection.message
            for value in form.values()
            if len(str(value)) >= 6 and str(value) != "instances.fleio.rescue"
        ), "a message names the rule, never the value"
    assert accepted == valid, f"jsonschema says {'valid' if valid else 'invalid'}"
