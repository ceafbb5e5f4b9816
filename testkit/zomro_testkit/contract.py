"""The contract, openapi.yaml, loaded once, with the look-ups tests share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from zomro_contract import CONTRACT
from zomro_contract import operations as operations_reader

SPEC_PATH = CONTRACT.resolve()
# The article's three requests, by the name zomro_testkit.article gives them, and the operation each is.
ARTICLE_OPERATIONS = {"preview": "previewRescueImages", "rescue": "rescueInstance", "unrescue": "unrescueInstance"}
_BASE = "urn:zomro-rescue:openapi"


@cache
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ContractOperation:
    """An operation as tests look into it: its raw parts, examples and schemas."""

    path: str
    operation_id: str
    body_pointer: str
    response_pointer: str

    @property
    def raw(self) -> dict[str, Any]:
        return spec()["paths"][self.path]["post"]

    @property
    def request_schema(self) -> dict[str, Any]:
        return resolve(self.raw["requestBody"]["content"]["multipart/form-data"]["schema"])

    @property
    def request_examples(self) -> dict[str, Any]:
        return self.raw["requestBody"]["content"]["multipart/form-data"]["examples"]

    @property
    def response_examples(self) -> dict[str, dict[str, Any]]:
        examples = self.raw["responses"]["200"]["content"]["application/json"]["examples"]
        return {name: resolve(example) for name, example in examples.items()}

    @property
    def response_branches(self) -> list[str]:
        """The component names of the 200 response's oneOf (success first, then error)."""
        schema = resolve(self.raw["responses"]["200"]["content"]["application/json"]["schema"])
        return [branch["$ref"].rsplit("/", 1)[1] for branch in schema["oneOf"]]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@cache
def operations() -> dict[str, ContractOperation]:
    """Every operation, by operationId."""
    found = {}
    for path, item in spec()["paths"].items():
        op = item["post"]
        base = f"/paths/{_escape(path)}/post"
        found[op["operationId"]] = ContractOperation(
            path=path,
            operation_id=op["operationId"],
            body_pointer=f"{base}/requestBody/content/multipart~1form-data/schema",
            response_pointer=f"{base}/responses/200/content/application~1json/schema",
        )
    return found


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` to the node it names (the contract's one reader does it)."""
    return operations_reader.resolve(spec(), node)


@cache
def body_limit() -> int:
    """The mock's bound on a request body, which it takes from the contract."""
    return operations_reader.load(CONTRACT).body_limit


@cache
def _registry() -> Registry:
    return Registry().with_resource(_BASE, Resource.from_contents(spec(), default_specification=DRAFT202012))


def validator(pointer: str) -> Draft202012Validator:
    """A JSON Schema validator for the schema at a JSON pointer into the contract."""
    return Draft202012Validator(
        {"$ref": f"{_BASE}#{pointer}"},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def schema_validator(name: str) -> Draft202012Validator:
    return validator(f"/components/schemas/{name}")
