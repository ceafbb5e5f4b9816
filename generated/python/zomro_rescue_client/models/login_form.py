from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, Unset

T = TypeVar("T", bound="LoginForm")


@_attrs_define
class LoginForm:
    """Body of *log in*. Source: ISPsystem's API guide.

    Attributes:
        func (Literal['auth']): The function: BILLmanager's session login. Default: 'auth'.
        out (Literal['json']): The response format. This contract describes the JSON answer only. Default: 'json'.
        username (str): The account's login, usually its e-mail address.
        password (str): The account's password. A secret: never log it.
        lang (str | Unset): Language of the messages in the answer (`msg.$` of an error), as an
            ISO 639-1 code; the provider's own panel sends `en`.
    """

    username: str
    password: str = _attrs_field(repr=False)
    func: Literal["auth"] = "auth"
    out: Literal["json"] = "json"
    lang: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        func = self.func

        out = self.out

        username = self.username

        password = self.password

        lang = self.lang

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "func": func,
                "out": out,
                "username": username,
                "password": password,
            }
        )
        if lang is not UNSET:
            field_dict["lang"] = lang

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("func", (None, self.func, "text/plain")))

        files.append(("out", (None, self.out, "text/plain")))

        files.append(("username", (None, str(self.username).encode(), "text/plain")))

        files.append(("password", (None, str(self.password).encode(), "text/plain")))

        if not isinstance(self.lang, Unset):
            files.append(("lang", (None, str(self.lang).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        func = cast(Literal["auth"], d.pop("func"))
        if func != "auth":
            raise ValueError(f"func must match const 'auth', got '{func}'")

        out = cast(Literal["json"], d.pop("out"))
        if out != "json":
            raise ValueError(f"out must match const 'json', got '{out}'")

        username = d.pop("username")

        password = d.pop("password")

        lang = d.pop("lang", UNSET)

        login_form = cls(
            func=func,
            out=out,
            username=username,
            password=password,
            lang=lang,
        )

        return login_form
