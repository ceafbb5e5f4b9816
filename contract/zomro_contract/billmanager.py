"""BILLmanager's `out=json` one-element rule, written once for those who write documents and those who read them.

An element that occurs several times becomes an array, once an object, never
an absent key. The contract's one-or-many schemas (`anyOf` of an item and an
array of two or more) say where it applies.
"""

from __future__ import annotations

from typing import Any


def one_or_many(items: list[Any]) -> Any:
    """As the server writes a repeated element: the object when there is one, the array otherwise."""
    return items[0] if len(items) == 1 else items


def as_list(value: Any) -> list[Any]:
    """As a reader wants it: always a list, empty when the element is absent."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]
