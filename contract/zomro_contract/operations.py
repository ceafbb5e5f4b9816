"""The one reader of openapi.yaml: its operations, what selects each, their fields and secrets.

Everything here is read from the contract. A path key such as
`/#func=instances.fleio.rescue&sok=ok` names after `#` the form fields that
select its operation; the router matches requests against those. The
generator script, the contract tests and the test kit read the contract
through `resolve`, `is_secret`, `selector` and `secret_refs` too: nothing else
parses path keys, follows `$ref` or says what a secret is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import yaml

# The field that names the function, and the one whose presence confirms it (ISPsystem's `sok`).
FUNC = "func"
CONFIRM = "sok"
# Room a form field takes beyond its value: a multipart part's boundary and headers, or `&name=`.
_FIELD_ROOM = 128
# A string format that bounds its own length (a uuid's 36 characters, RFC 9562's hex-and-hyphens form): the
# contract gives such a field no maxLength (aiopenapi3 refuses a uuid with one), and the mock caps it by this.
_FORMAT_LENGTHS = {"uuid": 36}
# Bodies are bounded in steps of this size, so that a new field rarely moves the bound.
_BODY_STEP = 16 * 1024


@dataclass(frozen=True)
class Operation:
    operation_id: str
    func: str
    confirmed: bool
    # The contract's path key (`/#func=instances.fleio.rescue&sok=ok`), for tools that find an operation by its key.
    path_key: str
    prism_path: str
    fields: frozenset[str]
    secret_fields: frozenset[str]
    integer_fields: frozenset[str]
    max_lengths: dict[str, int]
    # The longest valid body, every value at its longest and percent-escaped (3 bytes a character).
    max_body: int
    examples: tuple[str, ...]
    # The examples that are error documents, each by its `$type` and `$object`: the errors the server answers with.
    error_examples: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Catalogue:
    """The operations, looked up by the fields that select them."""

    by_selector: dict[tuple[str, bool], Operation]
    by_func: dict[str, list[Operation]]

    @property
    def funcs(self) -> list[str]:
        return sorted(self.by_func)

    @property
    def all_fields(self) -> frozenset[str]:
        """Every field some operation takes."""
        return frozenset().union(*(op.fields for op in self.by_selector.values()))

    @property
    def public_fields(self) -> frozenset[str]:
        """Fields no operation marks secret (`format: password` or `writeOnly`): safe to log."""
        return self.all_fields - frozenset().union(*(op.secret_fields for op in self.by_selector.values()))

    @property
    def body_limit(self) -> int:
        """A bound on request bodies that every valid request of every operation fits in."""
        longest = max(op.max_body for op in self.by_selector.values())
        return -(-longest // _BODY_STEP) * _BODY_STEP

    def select(self, func: str, confirmed: bool) -> Operation | None:
        """The operation for `func`, with or without `sok`; None for an unknown function.

        A function that exists only one way (unrescue has no `sok`) is selected either
        way, so that its schema, not the router, decides about the extra field.
        """
        found = self.by_selector.get((func, confirmed))
        if found is None and len(self.by_func.get(func, ())) == 1:
            found = self.by_func[func][0]
        return found


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s to the node they name."""
    while "$ref" in node:
        target: Any = spec
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def is_secret(schema: dict[str, Any]) -> bool:
    """A secret is `format: password` or `writeOnly`: never logged, never in a repr."""
    return schema.get("format") == "password" or schema.get("writeOnly") is True


def selector(path: str) -> tuple[str, bool]:
    """The `func` a path key names after `#`, and whether it names `sok`."""
    fields = dict(parse_qsl(path.partition("#")[2], keep_blank_values=True))
    if FUNC not in fields:
        raise ValueError(f"path key {path!r} names no `{FUNC}` after `#`")
    return fields[FUNC], bool(fields.get(CONFIRM))


def secret_refs(spec: dict[str, Any]) -> list[str]:
    """The `$ref`s of the component schemas that are secrets."""
    schemas = spec.get("components", {}).get("schemas", {})
    return sorted(f"#/components/schemas/{name}" for name, schema in schemas.items() if is_secret(schema))


def _max_length(schema: dict[str, Any]) -> int | None:
    """The most characters the schema allows, from its maxLength or its format's own bound."""
    if isinstance(schema.get("maxLength"), int):
        return int(schema["maxLength"])
    return _FORMAT_LENGTHS.get(schema.get("format", ""))


def _longest_value(name: str, schema: dict[str, Any]) -> int:
    """The most characters a valid value of the field has."""
    if "const" in schema or "enum" in schema:
        return max(len(str(value)) for value in schema.get("enum", [schema.get("const")]))
    if schema.get("type") == "integer":
        return max(len(str(schema.get(bound, -(2**63)))) for bound in ("minimum", "maximum"))
    if (length := _max_length(schema)) is not None:
        return length
    raise ValueError(f"field {name!r} has no maxLength: the mock bounds request bodies by the contract's")


def _operation(spec: dict[str, Any], path: str, item: dict[str, Any]) -> Operation:
    op = item["post"]
    func, confirmed = selector(path)
    body = resolve(spec, op["requestBody"]["content"]["multipart/form-data"]["schema"])
    properties = {name: resolve(spec, schema) for name, schema in body["properties"].items()}
    examples = op["responses"]["200"]["content"]["application/json"].get("examples", {})
    return Operation(
        operation_id=op["operationId"],
        func=func,
        confirmed=confirmed,
        path_key=path,
        # Prism matches a path key holding `#` when the request carries it percent-encoded; `=` and `&`
        # stay as they are: Prism routes such a path for about 6% less CPU (measured at -v warn).
        prism_path="/" + quote(path.removeprefix("/"), safe="=&"),
        fields=frozenset(properties),
        secret_fields=frozenset(name for name, schema in properties.items() if is_secret(schema)),
        integer_fields=frozenset(name for name, schema in properties.items() if schema.get("type") == "integer"),
        max_lengths={name: length for name, schema in properties.items() if (length := _max_length(schema)) is not None},
        max_body=sum(_FIELD_ROOM + len(name) + 3 * _longest_value(name, schema) for name, schema in properties.items()),
        examples=tuple(examples),
        error_examples={
            name: (str(error.get("$type", "")), str(error.get("$object", "")))
            for name, example in examples.items()
            if isinstance(error := resolve(spec, example).get("value", {}).get("doc", {}).get("error"), dict)
        },
    )


class ContractError(Exception):
    """The contract cannot be served: it is not YAML, or not shaped as the mock expects."""


def load(spec_path: Path) -> Catalogue:
    try:
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        by_selector: dict[tuple[str, bool], Operation] = {}
        by_func: dict[str, list[Operation]] = {}
        for path, item in spec["paths"].items():
            operation = _operation(spec, path, item)
            by_selector[(operation.func, operation.confirmed)] = operation
            by_func.setdefault(operation.func, []).append(operation)
    except (yaml.YAMLError, UnicodeDecodeError, LookupError, TypeError, AttributeError, ValueError) as exc:
        reason = f"it has no {exc.args[0]!r}" if isinstance(exc, KeyError) else (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ContractError(f"cannot serve the contract: {reason}; check it with `make lint`") from None
    return Catalogue(by_selector=by_selector, by_func=by_func)
