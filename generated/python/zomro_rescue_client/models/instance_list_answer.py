from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.error_doc import ErrorDoc
    from ..models.instance_list_doc import InstanceListDoc


T = TypeVar("T", bound="InstanceListAnswer")


@_attrs_define
class InstanceListAnswer:
    """The answer of *list instances*: its `doc` is one page of instances, or the error.

    Attributes:
        doc (ErrorDoc | InstanceListDoc): `InstanceListDoc` or `ErrorDoc`: exactly one matches (the first requires
            its own key, the error requires `error`). Check for `error` first.
    """

    doc: ErrorDoc | InstanceListDoc

    def to_dict(self) -> dict[str, Any]:
        from ..models.instance_list_doc import InstanceListDoc  # noqa: PLC0415

        doc: dict[str, Any]
        if isinstance(self.doc, InstanceListDoc):
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
        from ..models.instance_list_doc import InstanceListDoc  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_doc(data: object) -> ErrorDoc | InstanceListDoc:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_instance_list_doc_or_error_type_0 = InstanceListDoc.from_dict(data)

                return componentsschemas_instance_list_doc_or_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_instance_list_doc_or_error_type_1 = ErrorDoc.from_dict(data)

            return componentsschemas_instance_list_doc_or_error_type_1

        doc = _parse_doc(d.pop("doc"))

        instance_list_answer = cls(
            doc=doc,
        )

        return instance_list_answer
