from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.error_doc import ErrorDoc
    from ..models.rescue_preview_doc import RescuePreviewDoc


T = TypeVar("T", bound="RescuePreviewAnswer")


@_attrs_define
class RescuePreviewAnswer:
    """The answer of *preview rescue images*: its `doc` is the rescue form, or the error.

    Attributes:
        doc (ErrorDoc | RescuePreviewDoc): `RescuePreviewDoc` or `ErrorDoc`: exactly one matches (the first requires
            its own key, the error requires `error`). Check for `error` first.
    """

    doc: ErrorDoc | RescuePreviewDoc

    def to_dict(self) -> dict[str, Any]:
        from ..models.rescue_preview_doc import RescuePreviewDoc  # noqa: PLC0415

        doc: dict[str, Any]
        if isinstance(self.doc, RescuePreviewDoc):
            doc = self.doc.to_dict()
        else:
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
        from ..models.error_doc import ErrorDoc  # noqa: PLC0415
        from ..models.rescue_preview_doc import RescuePreviewDoc  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_doc(data: object) -> ErrorDoc | RescuePreviewDoc:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_rescue_preview_doc_or_error_type_0 = RescuePreviewDoc.from_dict(data)

                return componentsschemas_rescue_preview_doc_or_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_rescue_preview_doc_or_error_type_1 = ErrorDoc.from_dict(data)

            return componentsschemas_rescue_preview_doc_or_error_type_1

        doc = _parse_doc(d.pop("doc"))

        rescue_preview_answer = cls(
            doc=doc,
        )

        return rescue_preview_answer
