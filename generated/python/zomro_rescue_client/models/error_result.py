from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.error_doc import ErrorDoc


T = TypeVar("T", bound="ErrorResult")


@_attrs_define
class ErrorResult:
    """How BILLmanager reports every error: HTTP 200 with `doc.error`.
    Source: ISPsystem's error builder and public clients of BILLmanager.

        Attributes:
            doc (ErrorDoc): `error` describes the error; other keys are BILLmanager metadata.
    """

    doc: ErrorDoc

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
        from ..models.error_doc import ErrorDoc  # noqa: PLC0415

        d = dict(src_dict)
        doc = ErrorDoc.from_dict(d.pop("doc"))

        error_result = cls(
            doc=doc,
        )

        return error_result
