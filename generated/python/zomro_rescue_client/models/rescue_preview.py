from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.rescue_preview_doc import RescuePreviewDoc


T = TypeVar("T", bound="RescuePreview")


@_attrs_define
class RescuePreview:
    """The rescue form (success of *preview rescue images*).

    Attributes:
        doc (RescuePreviewDoc): The form: its select lists, and the current value of its fields
            (the panel reads the default image from `select_boot.$`). Other keys
            are BILLmanager metadata.
    """

    doc: RescuePreviewDoc

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
        from ..models.rescue_preview_doc import RescuePreviewDoc  # noqa: PLC0415

        d = dict(src_dict)
        doc = RescuePreviewDoc.from_dict(d.pop("doc"))

        rescue_preview = cls(
            doc=doc,
        )

        return rescue_preview
