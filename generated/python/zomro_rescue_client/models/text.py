from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Text")


@_attrs_define
class Text:
    """An XML element with text only, as `out=json` maps it (`"$"` is the text).

    Attributes:
        text (str | Unset): The element's text.
    """

    text: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if text is not UNSET:
            field_dict["$"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("$", UNSET)

        text = cls(
            text=text,
        )

        return text
