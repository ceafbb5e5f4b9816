"""openapi.yaml is a valid OpenAPI 3.1 document, and every example in it is valid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator
from zomro_testkit.contract import answer_validator, operations, spec, validator

OPERATIONS = sorted(operations())


def test_document_is_valid_openapi_3_1() -> None:
    validate(spec(), cls=OpenAPIV31SpecValidator)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_is_documented(operation_id: str) -> None:
    op = operations()[operation_id].raw
    declared_tags = {tag["name"] for tag in spec()["tags"]}
    assert op["summary"] and op["description"], "every operation needs a summary and a description"
    assert op["tags"] and set(op["tags"]) <= declared_tags, "tag every operation with a tag declared at the top"


def _example_cases() -> Iterator[Any]:
    for operation_id, op in sorted(operations().items()):
        for name in op.request_examples:
            yield pytest.param(operation_id, "request", name, id=f"{operation_id}-request-{name}")
        for name in op.response_examples:
            yield pytest.param(operation_id, "response", name, id=f"{operation_id}-response-{name}")


@pytest.mark.parametrize(("operation_id", "kind", "name"), list(_example_cases()))
def test_example_is_valid(operation_id: str, kind: str, name: str) -> None:
    op = operations()[operation_id]
    if kind == "request":
        example, pointer = op.request_examples[name], op.body_pointer
    else:
        example, pointer = op.response_examples[name], op.response_pointer
    assert example.get("summary") and example.get("description"), f"example {name!r} needs a summary and a description"
    errors = [e.message for e in validator(pointer).iter_errors(example["value"])]
    assert not errors, f"{operation_id} {kind} example {name!r} does not match its schema: {errors}"


@pytest.mark.parametrize(("operation_id", "kind", "name"), [c for c in _example_cases() if c.values[1] == "response"])
def test_response_example_matches_exactly_one_branch(operation_id: str, kind: str, name: str) -> None:
    op = operations()[operation_id]
    value = op.response_examples[name]["value"]
    matching = [branch for branch in op.response_branches if answer_validator(branch).is_valid(value)]
    expected = "ErrorDoc" if "error" in value["doc"] else op.response_branches[0]
    assert matching == [expected], f"{name!r} must match {expected} alone; it matches {matching}"


def test_error_examples_say_what_is_documented_and_what_is_illustrative() -> None:
    for name, example in spec()["components"]["examples"].items():
        if "error" in example["value"]["doc"]:
            text = example["description"]
            assert "Documented" in text and "Illustrative" in text, (
                f"error example {name!r} must say what is documented and what is illustrative"
            )


def test_every_shared_example_is_used() -> None:
    used = {
        ref["$ref"].rsplit("/", 1)[1]
        for op in operations().values()
        for ref in op.raw["responses"]["200"]["content"]["application/json"]["examples"].values()
    }
    assert set(spec()["components"]["examples"]) == used


def _schema_examples(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("examples"), list) and ("type" in node or "$ref" in node):
            for index, value in enumerate(node["examples"]):
                yield f"{pointer}[{index}]", value
        for key, child in node.items():
            yield from _schema_examples(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _schema_examples(child, f"{pointer}/{index}")


def _schema_example_cases() -> list[Any]:
    return [
        pytest.param(pointer.rsplit("[", 1)[0], value, id=pointer)
        for pointer, value in _schema_examples(spec()["components"]["schemas"], "/components/schemas")
    ]


@pytest.mark.parametrize(("pointer", "value"), _schema_example_cases())
def test_schema_example_is_valid(pointer: str, value: Any) -> None:
    errors = [e.message for e in validator(pointer).iter_errors(value)]
    assert not errors, f"example {value!r} at {pointer} is invalid: {errors}"


def test_schema_examples_were_found() -> None:
    assert len(_schema_example_cases()) >= 10


def _patterns(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield pointer, node["pattern"]
        for key, child in node.items():
            yield from _patterns(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _patterns(child, f"{pointer}/{index}")


# Escapes and `.` mean different things in ECMA-262 (Prism, ajv), Python (schemathesis),
# Go RE2 and Java: `.` and `\s` differ on line and Unicode separators, `\u` is not RE2.
# `make fuzz` found the first of these; patterns spell their classes out instead.
NON_PORTABLE_ESCAPES = set("sSdDwWbBu")


def _non_portable(pattern: str) -> list[str]:
    found, in_class, index = [], False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            if pattern[index + 1 : index + 2] in NON_PORTABLE_ESCAPES:
                found.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "." and not in_class:
            found.append(".")
        index += 1
    return found


def test_the_portability_check_can_fail() -> None:
    assert _non_portable("^[^:]+:.+$") == ["."] and _non_portable(r"^\S+$") == [r"\S"]
    assert _non_portable(r"^[a.\-]+\x00$") == []


@pytest.mark.parametrize(("pointer", "pattern"), list(_patterns(spec())), ids=[p for p, _ in _patterns(spec())])
def test_pattern_means_the_same_in_every_regex_dialect(pointer: str, pattern: str) -> None:
    assert not _non_portable(pattern), f"{pointer}: {pattern!r} uses {_non_portable(pattern)}; spell the class out"
