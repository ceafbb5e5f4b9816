from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.select_list import SelectList
    from ..models.text import Text


T = TypeVar("T", bound="RescuePreviewDoc")


@_attrs_define
class RescuePreviewDoc:
    """The form: its select lists, and the current value of its fields
    (the panel reads the default image from `select_boot.$`). Other keys
    are BILLmanager metadata.

        Attributes:
            slist (list[SelectList]): The form's select lists, `zone` and `select_boot`.
            elid (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            zone (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            select_boot (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
    """

    slist: list[SelectList]
    elid: Text | Unset = UNSET
    zone: Text | Unset = UNSET
    select_boot: Text | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        slist = []
        for slist_item_data in self.slist:
            slist_item = slist_item_data.to_dict()
            slist.append(slist_item)

        elid: dict[str, Any] | Unset = UNSET
        if not isinstance(self.elid, Unset):
            elid = self.elid.to_dict()

        zone: dict[str, Any] | Unset = UNSET
        if not isinstance(self.zone, Unset):
            zone = self.zone.to_dict()

        select_boot: dict[str, Any] | Unset = UNSET
        if not isinstance(self.select_boot, Unset):
            select_boot = self.select_boot.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "slist": slist,
            }
        )
        if elid is not UNSET:
            field_dict["elid"] = elid
        if zone is not UNSET:
            field_dict["zone"] = zone
        if select_boot is not UNSET:
            field_dict["select_boot"] = select_boot

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.select_list import SelectList  # noqa: PLC0415
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        slist = []
        _slist = d.pop("slist")
        for slist_item_data in _slist:
            slist_item = SelectList.from_dict(slist_item_data)

            slist.append(slist_item)

        _elid = d.pop("elid", UNSET)
        elid: Text | Unset
        if isinstance(_elid, Unset):
            elid = UNSET
        else:
            elid = Text.from_dict(_elid)

        _zone = d.pop("zone", UNSET)
        zone: Text | Unset
        if isinstance(_zone, Unset):
            zone = UNSET
        else:
            zone = Text.from_dict(_zone)

        _select_boot = d.pop("select_boot", UNSET)
        select_boot: Text | Unset
        if isinstance(_select_boot, Unset):
            select_boot = UNSET
        else:
            select_boot = Text.from_dict(_select_boot)

        rescue_preview_doc = cls(
            slist=slist,
            elid=elid,
            zone=zone,
            select_boot=select_boot,
        )

        rescue_preview_doc.additional_properties = d
        return rescue_preview_doc

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
