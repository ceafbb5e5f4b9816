"""A form checked against its operation's schema in the contract, before the world acts on it.

Prism checks what it forwards, but the emulator must know a request is valid
before it changes the world (a rescue that Prism then refused would have
happened all the same). The check is compiled from the contract once, field
by field, for the keywords the forms use; a keyword it does not know stops the
mock at start rather than be skipped. (jsonschema takes 150 to 220 µs a form,
more than all the rest of the router; this takes a few.) Messages name the
field and the rule, never the value: a value may be a secret.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zomro_contract.operations import Operation, resolve

from .errors import MISSED, VALUE, Rejection

# Keywords that say nothing about validity, and those the compiled check enforces.
_ANNOTATIONS = frozenset({"description", "examples", "default", "title", "writeOnly", "readOnly", "deprecated"})
_CHECKED = frozenset({"type", "const", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "format"})
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# JSON Schema's formats that assert nothing about a string here (annotations only).
_FREE_FORMATS = frozenset({"password", "int32", "int64"})

Rule = Callable[[str, Any], str | None]  # (field, value) -> what is wrong, or None


class UnsupportedSchema(ValueError):
    """The contract uses a keyword in a form that the compiled check does not know."""


def _rules(name: str, schema: dict[str, Any]) -> list[Rule]:
    unknown = set(schema) - _ANNOTATIONS - _CHECKED
    if unknown:
        raise UnsupportedSchema(f"form field {name!r} uses {', '.join(sorted(unknown))}, which the mock's form check does not know")
    where = f"Request body property {name}"
    rules: list[Rule] = []
    kind = schema.get("type")
    if kind == "integer":
        rules.append(lambda f, v: None if isinstance(v, int) else f"{where} must be integer")
    elif kind == "string":
        rules.append(lambda f, v: None if isinstance(v, str) else f"{where} must be string")
    elif kind is not None:
        raise UnsupportedSchema(f"form field {name!r} is of type {kind!r}, which a form cannot carry")
    if "const" in schema:
        const = schema["const"]
        rules.append(lambda f, v: None if v == const else f"{where} must be equal to constant {const!r}")
    if "enum" in schema:
        allowed = list(schema["enum"])
        rules.append(
            lambda f, v: None if v in allowed else f"{where} must be equal to one of the allowed values: {', '.join(map(str, allowed))}"
        )
    if "minLength" in schema:
        shortest = int(schema["minLength"])
        rules.append(lambda f, v: None if len(v) >= shortest else f"{where} must NOT have fewer than {shortest} characters")
    if "maxLength" in schema:
        longest = int(schema["maxLength"])
        rules.append(lambda f, v: None if len(v) <= longest else f"{where} must NOT have more than {longest} characters")
    if "pattern" in schema:
        pattern = schema["pattern"]
        compiled = re.compile(pattern)
        rules.append(lambda f, v: None if compiled.search(v) else f'{where} must match pattern "{pattern}"')
    if "minimum" in schema:
        low = schema["minimum"]
        rules.append(lambda f, v: None if v >= low else f"{where} must be >= {low}")
    if "maximum" in schema:
        high = schema["maximum"]
        rules.append(lambda f, v: None if v <= high else f"{where} must be <= {high}")
    if schema.get("format") == "uuid":
        rules.append(lambda f, v: None if _UUID.fullmatch(v) else f'{where} must match format "uuid"')
    elif "format" in schema and schema["format"] not in _FREE_FORMATS:
        raise UnsupportedSchema(f"form field {name!r} has format {schema['format']!r}, which the mock's form check does not know")
    return rules


@dataclass(frozen=True)
class _Form:
    required: tuple[str, ...]
    fields: dict[str, list[Rule]]


class FormCheck:
    def __init__(self, spec: dict[str, Any], operations: list[Operation]) -> None:
        by_id = {item["post"]["operationId"]: item["post"] for item in spec["paths"].values()}
        self.forms: dict[str, _Form] = {}
        for operation in operations:
            body = resolve(spec, by_id[operation.operation_id]["requestBody"]["content"]["multipart/form-data"]["schema"])
            unknown = set(body) - _ANNOTATIONS - {"type", "properties", "required", "additionalProperties"}
            if unknown:
                raise UnsupportedSchema(f"{operation.operation_id}'s form uses {', '.join(sorted(unknown))}, which the mock does not know")
            fields = {name: _rules(name, resolve(spec, schema)) for name, schema in body["properties"].items()}
            self.forms[operation.operation_id] = _Form(tuple(body.get("required", ())), fields)

    def check(self, operation: Operation, fields: dict[str, str]) -> None:
        """Nothing when the form is valid; the Rejection the server would answer otherwise.

        The router has already refused unknown fields, and integers not in digits.
        """
        form = self.forms[operation.operation_id]
        for name in form.required:
            if name not in fields:
                raise Rejection(MISSED, name, f"Request body must have required property '{name}'")
        for name in sorted(fields):
            value: Any = int(fields[name]) if name in operation.integer_fields else fields[name]
            for rule in form.fields.get(name, ()):
                wrong = rule(name, value)
                if wrong is not None:
                    raise Rejection(VALUE, name, wrong)
