from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SelectOption")


@_attrs_define
class SelectOption:
    """One option of a select list. In the `select_boot` list an option is an
    image: `$key` its UUID, `$` its OS name, `$depend` its zone and, for
    `own` images, `$name` the image's own name. An option whose `$key` is
    the string `"null"` is the form's "nothing chosen" placeholder, not an
    image (the provider's panel skips it).

        Attributes:
            key (str): The value to send for the option (an image UUID, `pub`/`own` for a zone, or `"null"` for the
                placeholder).
            text (str): The option's label (for an image, its OS name).
            depend (str | Unset): The value of the controlling list (`zone`) for which the option is offered.
            name (str | Unset): The image's own name; present for `own` images.
    """

    key: str
    text: str
    depend: str | Unset = UNSET
    name: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        text = self.text

        depend = self.depend

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "$key": key,
                "$": text,
            }
        )
        if depend is not UNSET:
            field_dict["$depend"] = depend
        if name is not UNSET:
            field_dict["$name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("$key")

        text = d.pop("$")

        depend = d.pop("$depend", UNSET)

        name = d.pop("$name", UNSET)

        select_option = cls(
            key=key,
            text=text,
            depend=depend,
            name=name,
        )

        return select_option
