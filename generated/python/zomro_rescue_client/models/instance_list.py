from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.instance_list_doc import InstanceListDoc


T = TypeVar("T", bound="InstanceList")


@_attrs_define
class InstanceList:
    """One page of instances (success of *list instances*).

    Attributes:
        doc (InstanceListDoc): The page: `elem` its instances (an object when there is one, absent
            when there is none), and the paging counters, which the provider's
            panel reads from every list and which therefore are required here.
            Other keys are BILLmanager metadata.
    """

    doc: InstanceListDoc

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
        from ..models.instance_list_doc import InstanceListDoc  # noqa: PLC0415

        d = dict(src_dict)
        doc = InstanceListDoc.from_dict(d.pop("doc"))

        instance_list = cls(
            doc=doc,
        )

        return instance_list
