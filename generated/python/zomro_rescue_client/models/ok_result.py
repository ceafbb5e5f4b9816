from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.ok_doc import OkDoc


T = TypeVar("T", bound="OkResult")


@_attrs_define
class OkResult:
    """A confirmed operation's success (`doc.ok`).

    Attributes:
        doc (OkDoc): `ok` marks success; other keys are BILLmanager metadata.
    """

    doc: OkDoc

    def to_dict(self) -> dict[str, Any]:
        doc = self.doc.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "doc": doc,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ok_doc import OkDoc  # noqa: PLC0415

        d = dict(src_dict)
        doc = OkDoc.from_dict(d.pop("doc"))

        ok_result = cls(
            doc=doc,
        )

        return ok_result
