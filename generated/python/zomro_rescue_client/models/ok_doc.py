from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.text import Text


T = TypeVar("T", bound="OkDoc")


@_attrs_define
class OkDoc:
    """`ok` marks success; other keys are BILLmanager metadata.

    Attributes:
        ok (Text): An XML element with text only, as `out=json` maps it (`"$"` is the text).
    """

    ok: Text
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        ok = Text.from_dict(d.pop("ok"))

        ok_doc = cls(
            ok=ok,
        )

        ok_doc.additional_properties = d
        return ok_doc

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
