from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.login_doc import LoginDoc


T = TypeVar("T", bound="LoginResult")


@_attrs_define
class LoginResult:
    """A successful login (`doc.auth`).

    Attributes:
        doc (LoginDoc): `auth` holds the session; other keys are BILLmanager metadata.
    """

    doc: LoginDoc

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
        from ..models.login_doc import LoginDoc  # noqa: PLC0415

        d = dict(src_dict)
        doc = LoginDoc.from_dict(d.pop("doc"))

        login_result = cls(
            doc=doc,
        )

        return login_result
