from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.error_doc import ErrorDoc
    from ..models.login_doc import LoginDoc


T = TypeVar("T", bound="LoginAnswer")


@_attrs_define
class LoginAnswer:
    """The answer of *log in*: its `doc` is the session, or the error.

    Attributes:
        doc (ErrorDoc | LoginDoc): `LoginDoc` or `ErrorDoc`: exactly one matches (the first requires
            its own key, the error requires `error`). Check for `error` first.
    """

    doc: ErrorDoc | LoginDoc

    def to_dict(self) -> dict[str, Any]:
        from ..models.login_doc import LoginDoc  # noqa: PLC0415

        doc: dict[str, Any]
        if isinstance(self.doc, LoginDoc):
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
        from ..models.login_doc import LoginDoc  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_doc(data: object) -> ErrorDoc | LoginDoc:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_login_doc_or_error_type_0 = LoginDoc.from_dict(data)

                return componentsschemas_login_doc_or_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_login_doc_or_error_type_1 = ErrorDoc.from_dict(data)

            return componentsschemas_login_doc_or_error_type_1

        doc = _parse_doc(d.pop("doc"))

        login_answer = cls(
            doc=doc,
        )

        return login_answer
