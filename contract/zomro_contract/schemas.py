"""The contract's schemas as JSON Schema: validators, and the walk of a document alongside them.

openapi.yaml is OpenAPI 3.1, whose schemas are JSON Schema 2020-12. A validator
here checks a value against the schema at any JSON pointer into the contract,
every `$ref` resolved within it (jsonschema, with a `referencing` registry that
holds the whole document). `follow` and `one_or_many_item` are for readers that
walk a document alongside its schema, as the drift probe does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from jsonschema import Draft202012Validator, validators  # type: ignore[import-untyped]  # no py.typed marker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from . import CONTRACT

# The contract's URI in the registry: `$ref`s such as `#/components/schemas/Text` resolve against it.
BASE = "urn:zomro-rescue:openapi"
COMPONENT = "/components/schemas/"
# JSON Schema counts 2.0 as an integer; a document that a program reads (the mock's control API) may want 2.
_WholeIntegers = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda checker, value: isinstance(value, int) and not isinstance(value, bool)
    ),
)


def escape(token: str) -> str:
    """A key as a JSON pointer token."""
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


@dataclass(frozen=True)
class Schemas:
    """One contract document, its validators, and the look-ups a walk alongside its schemas needs."""

    spec: dict[str, Any]
    # Only a JSON integer is an `integer`, not a number with a zero fraction (2.0), which JSON Schema also takes.
    integers_written_whole: bool = False
    _registry: Registry[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        registry: Registry[Any] = Registry().with_resource(BASE, Resource.from_contents(self.spec, default_specification=DRAFT202012))
        object.__setattr__(self, "_registry", registry)

    def validator(self, pointer: str) -> Draft202012Validator:
        """A JSON Schema validator for the schema at a JSON pointer into the contract (`/components/schemas/Text`)."""
        kind = _WholeIntegers if self.integers_written_whole else Draft202012Validator
        return kind(
            {"$ref": f"{BASE}#{pointer}"},
            registry=self._registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    def schema_validator(self, name: str) -> Draft202012Validator:
        """The validator of a component schema, by name."""
        return self.validator(COMPONENT + escape(name))

    def answer_validator(self, doc: str) -> Draft202012Validator:
        """The validator of a whole answer, `{"doc": ...}`, whose `doc` is the named component (`ErrorDoc`, `LoginDoc`).

        Every operation's answer is that object; its `doc` is a `oneOf` of the success document
        and `ErrorDoc`, so this checks one branch of it.
        """
        answer = {
            "type": "object",
            "additionalProperties": False,
            "required": ["doc"],
            "properties": {"doc": {"$ref": f"{BASE}#{COMPONENT}{escape(doc)}"}},
        }
        return Draft202012Validator(answer, registry=self._registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def at(self, pointer: str) -> Any:
        """The node at a JSON pointer into the contract, `$ref`s not followed."""
        node: Any = self.spec
        for token in pointer.removeprefix("/").split("/") if pointer else ():
            node = node[int(token)] if isinstance(node, list) else node[_unescape(token)]
        return node

    def follow(self, pointer: str) -> tuple[str, dict[str, Any]]:
        """The schema at a pointer, its `$ref`s followed: where it really is, and what it is."""
        node = self.at(pointer)
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
            pointer = node["$ref"].removeprefix("#")
            node = self.at(pointer)
        if not isinstance(node, dict):
            raise ValueError(f"{pointer} is not a schema")
        return pointer, node

    def one_or_many_item(self, pointer: str) -> str | None:
        """Where BILLmanager's one-element rule applies, the item's schema; else None.

        The contract says so with `anyOf: [X, {type: array, minItems: 2, items: X}]`:
        one element comes as the object, several as an array.
        """
        pointer, node = self.follow(pointer)
        branches = node.get("anyOf")
        if not isinstance(branches, list) or len(branches) != 2:
            return None
        for single, many in ((0, 1), (1, 0)):
            array = self.follow(f"{pointer}/anyOf/{many}")[1]
            if array.get("type") != "array" or array.get("minItems") != 2 or "items" not in array:
                continue
            item = self.follow(f"{pointer}/anyOf/{single}")[0]
            if self.follow(f"{pointer}/anyOf/{many}/items")[0] == item:
                return item
        return None

    def name(self, pointer: str) -> str:
        """A schema's place as people read it: `SelectList.val` for `/components/schemas/SelectList/properties/val`."""
        return pointer.removeprefix(COMPONENT).replace("/properties/", ".").replace("~1", "/").replace("~0", "~")


@cache
def contract() -> Schemas:
    """The project's contract (openapi.yaml), loaded once."""
    return Schemas(yaml.safe_load(CONTRACT.read_text(encoding="utf-8")))
