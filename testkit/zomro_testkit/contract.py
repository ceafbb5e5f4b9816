"""The contract, openapi.yaml, loaded once, with the look-ups tests share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from zomro_contract import CONTRACT, schemas
from zomro_contract import operations as operations_reader

SPEC_PATH = CONTRACT.resolve()
# The article's three requests, by the name zomro_testkit.article gives them, and the operation each is.
ARTICLE_OPERATIONS = {"preview": "previewRescueImages", "rescue": "rescueInstance", "unrescue": "unrescueInstance"}


def spec() -> dict[str, Any]:
    """The contract, loaded once (by zomro_contract.schemas, which builds its validators)."""
    return schemas.contract().spec


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
        """The component names of the `oneOf` of the 200 answer's `doc` (success first, then `ErrorDoc`)."""
        answer = resolve(self.raw["responses"]["200"]["content"]["application/json"]["schema"])
        choice = resolve(answer["properties"]["doc"])
        return [branch["$ref"].rsplit("/", 1)[1] for branch in choice["oneOf"]]


@cache
def operations() -> dict[str, ContractOperation]:
    """Every operation, by operationId."""
    found = {}
    for path, item in spec()["paths"].items():
        op = item["post"]
        base = f"/paths/{schemas.escape(path)}/post"
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


def validator(pointer: str) -> Draft202012Validator:
    """A JSON Schema validator for the schema at a JSON pointer into the contract."""
    return schemas.contract().validator(pointer)


def schema_validator(name: str) -> Draft202012Validator:
    return schemas.contract().schema_validator(name)


def answer_validator(doc: str) -> Draft202012Validator:
    """The validator of a whole answer whose `doc` is the named document (`ErrorDoc`, `LoginDoc`)."""
    return schemas.contract().answer_validator(doc)
