from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Session")


@_attrs_define
class Session:
    """The session. `$id` and `$` both hold its id; pass it as `auth`.

    Attributes:
        id (str): The session id. A secret: never log it.
        text (str): The session id again, as the element's text. A secret: never log it.
        level (str | Unset): The account's access level (BILLmanager's numeric level, as text).
    """

    id: str = _attrs_field(repr=False)
    text: str = _attrs_field(repr=False)
    level: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        text = self.text

        level = self.level

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "$id": id,
                "$": text,
            }
        )
        if level is not UNSET:
            field_dict["$level"] = level

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("$id")

        text = d.pop("$")

        level = d.pop("$level", UNSET)

        session = cls(
            id=id,
            text=text,
            level=level,
        )

        return session
