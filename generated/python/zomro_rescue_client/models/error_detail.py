from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_param import ErrorParam
    from ..models.text import Text


T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    """What went wrong: `$type` the kind of error, `$object` what it concerns
    (usually a form field's name), `msg.$` a message for people.

        Attributes:
            type_ (str): The kind of error. Values seen in public BILLmanager clients
                include `access` (no session, an expired one, or no right to the
                object), `auth` (wrong credentials), `missed` (a required field is
                missing), `value` (a field has a bad value) and `exists`; the
                `examples` list every value known. The list is open: treat an
                unknown value as an error all the same.
            msg (Text): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            object_ (str | Unset): What the error concerns, usually the name of the form field at fault; may be empty.
            lang (str | Unset): Language of the message.
            param (ErrorParam | list[ErrorParam] | Unset): Further details, named by `$name`; an object when there is one.
                (`anyOf`, as for `SelectList.val`.)
    """

    type_: str
    msg: Text
    object_: str | Unset = UNSET
    lang: str | Unset = UNSET
    param: ErrorParam | list[ErrorParam] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_param import ErrorParam  # noqa: PLC0415

        type_ = self.type_

        msg = self.msg.to_dict()

        object_ = self.object_

        lang = self.lang

        param: dict[str, Any] | list[dict[str, Any]] | Unset
        if isinstance(self.param, Unset):
            param = UNSET
        elif isinstance(self.param, ErrorParam):
            param = self.param.to_dict()
        else:
            param = []
            for param_type_1_item_data in self.param:
                param_type_1_item = param_type_1_item_data.to_dict()
                param.append(param_type_1_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "$type": type_,
                "msg": msg,
            }
        )
        if object_ is not UNSET:
            field_dict["$object"] = object_
        if lang is not UNSET:
            field_dict["$lang"] = lang
        if param is not UNSET:
            field_dict["param"] = param

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_param import ErrorParam  # noqa: PLC0415
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("$type")

        msg = Text.from_dict(d.pop("msg"))

        object_ = d.pop("$object", UNSET)

        lang = d.pop("$lang", UNSET)

        def _parse_param(data: object) -> ErrorParam | list[ErrorParam] | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                param_type_0 = ErrorParam.from_dict(data)

                return param_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            param_type_1 = []
            _param_type_1 = data
            for param_type_1_item_data in _param_type_1:
                param_type_1_item = ErrorParam.from_dict(param_type_1_item_data)

                param_type_1.append(param_type_1_item)

            return param_type_1

        param = _parse_param(d.pop("param", UNSET))

        error_detail = cls(
            type_=type_,
            msg=msg,
            object_=object_,
            lang=lang,
            param=param,
        )

        error_detail.additional_properties = d
        return error_detail

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
