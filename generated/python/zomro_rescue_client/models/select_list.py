from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.select_option import SelectOption


T = TypeVar("T", bound="SelectList")


@_attrs_define
class SelectList:
    """A select list of the form: `$name` is the form field it fills, `val`
    its options. A list with one option has `val` as an object (the
    one-element rule of `out=json`), with several an array.

        Attributes:
            name (str): The form field the list fills (`zone` or `select_boot`).
            val (list[SelectOption] | SelectOption | Unset): The options; an object when there is exactly one.

                `anyOf`, not `oneOf`, though the two forms never both match: the
                generator matrix (`make regen-matrix`) ran both. As
                `oneOf`, OpenAPI Generator's Go client (its validator cannot
                check an array branch) and its `typescript-fetch` (which then
                does not compile) fail, and only its Rust client gains. As
                `anyOf`, no set-up fails, though some type the list as the
                object alone: read `val` as one option or an array of them.
    """

    name: str
    val: list[SelectOption] | SelectOption | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.select_option import SelectOption  # noqa: PLC0415

        name = self.name

        val: dict[str, Any] | list[dict[str, Any]] | Unset
        if isinstance(self.val, Unset):
            val = UNSET
        elif isinstance(self.val, SelectOption):
            val = self.val.to_dict()
        else:
            val = []
            for val_type_1_item_data in self.val:
                val_type_1_item = val_type_1_item_data.to_dict()
                val.append(val_type_1_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "$name": name,
            }
        )
        if val is not UNSET:
            field_dict["val"] = val

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.select_option import SelectOption  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("$name")

        def _parse_val(data: object) -> list[SelectOption] | SelectOption | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                val_type_0 = SelectOption.from_dict(data)

                return val_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            val_type_1 = []
            _val_type_1 = data
            for val_type_1_item_data in _val_type_1:
                val_type_1_item = SelectOption.from_dict(val_type_1_item_data)

                val_type_1.append(val_type_1_item)

            return val_type_1

        val = _parse_val(d.pop("val", UNSET))

        select_list = cls(
            name=name,
            val=val,
        )

        return select_list
