from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.instance import Instance
    from ..models.text import Text


T = TypeVar("T", bound="InstanceListDoc")


@_attrs_define
class InstanceListDoc:
    """The page: `elem` its instances (an object when there is one, absent
    when there is none), and the paging counters, which the provider's
    panel reads from every list and which therefore are required here.
    Other keys are BILLmanager metadata.

        Attributes:
            p_cnt (Text): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            p_elems (Text): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            p_num (Text): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            elem (Instance | list[Instance] | Unset): The page's instances; an object when there is exactly one.
                (`anyOf`, as for `SelectList.val`.)
    """

    p_cnt: Text
    p_elems: Text
    p_num: Text
    elem: Instance | list[Instance] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.instance import Instance  # noqa: PLC0415

        p_cnt = self.p_cnt.to_dict()

        p_elems = self.p_elems.to_dict()

        p_num = self.p_num.to_dict()

        elem: dict[str, Any] | list[dict[str, Any]] | Unset
        if isinstance(self.elem, Unset):
            elem = UNSET
        elif isinstance(self.elem, Instance):
            elem = self.elem.to_dict()
        else:
            elem = []
            for elem_type_1_item_data in self.elem:
                elem_type_1_item = elem_type_1_item_data.to_dict()
                elem.append(elem_type_1_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "p_cnt": p_cnt,
                "p_elems": p_elems,
                "p_num": p_num,
            }
        )
        if elem is not UNSET:
            field_dict["elem"] = elem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instance import Instance  # noqa: PLC0415
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        p_cnt = Text.from_dict(d.pop("p_cnt"))

        p_elems = Text.from_dict(d.pop("p_elems"))

        p_num = Text.from_dict(d.pop("p_num"))

        def _parse_elem(data: object) -> Instance | list[Instance] | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                elem_type_0 = Instance.from_dict(data)

                return elem_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            elem_type_1 = []
            _elem_type_1 = data
            for elem_type_1_item_data in _elem_type_1:
                elem_type_1_item = Instance.from_dict(elem_type_1_item_data)

                elem_type_1.append(elem_type_1_item)

            return elem_type_1

        elem = _parse_elem(d.pop("elem", UNSET))

        instance_list_doc = cls(
            p_cnt=p_cnt,
            p_elems=p_elems,
            p_num=p_num,
            elem=elem,
        )

        instance_list_doc.additional_properties = d
        return instance_list_doc

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
