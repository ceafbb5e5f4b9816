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
    """Body of *log in*. Source: ISPsystem's API guide, and the provider's
    web panel, which sends multipart with `sok=ok`, the reCAPTCHA answer
    and, when ticked, `forget=on`.

        Attributes:
            func (Literal['auth']): The function: BILLmanager's session login. Default: 'auth'.
            out (Literal['json']): The response format. This contract describes the JSON answer only. Default: 'json'.
            username (str): The account's login, usually its e-mail address.
            password (str): The account's password. A secret: never log it.
            sok (Literal['ok'] | Unset): `sok=ok`, sent by a public provisioning tool (`ml-datadogs/outpost`)
                with every call, this one included. A function without a form has
                nothing to confirm, and BILLmanager is not known to refuse it, so it
                is accepted; no client needs to send it.
            g_recaptcha_response (str | Unset): The answer of the reCAPTCHA the provider's web panel shows on its
                login page, sent by the panel with every login. Whether the server
                requires it from an API client is not known: the article's calls
                and ISPsystem's API guide log in without it. This project's mock
                does not check it.
            redirect (str | Unset): Where the panel goes after logging in; sent by the provider's web panel when it has one.
                Not used by API clients.
            forget (Literal['on'] | Unset): `on` when the panel's login checkbox is ticked (the provider's web
                panel); what the server does with it is not documented.
            lang (str | Unset): Language of the messages in the answer (`msg.$` of an error), as an
                ISO 639-1 code; the provider's own panel sends `en`.
    """

    username: str
    password: str = _attrs_field(repr=False)
    func: Literal["auth"] = "auth"
    out: Literal["json"] = "json"
    sok: Literal["ok"] | Unset = UNSET
    g_recaptcha_response: str | Unset = UNSET
    redirect: str | Unset = UNSET
    forget: Literal["on"] | Unset = UNSET
    lang: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        func = self.func

        out = self.out

        username = self.username

        password = self.password

        sok = self.sok

        g_recaptcha_response = self.g_recaptcha_response

        redirect = self.redirect

        forget = self.forget

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
        if sok is not UNSET:
            field_dict["sok"] = sok
        if g_recaptcha_response is not UNSET:
            field_dict["g-recaptcha-response"] = g_recaptcha_response
        if redirect is not UNSET:
            field_dict["redirect"] = redirect
        if forget is not UNSET:
            field_dict["forget"] = forget
        if lang is not UNSET:
            field_dict["lang"] = lang

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("func", (None, self.func, "text/plain")))

        files.append(("out", (None, self.out, "text/plain")))

        files.append(("username", (None, str(self.username).encode(), "text/plain")))

        files.append(("password", (None, str(self.password).encode(), "text/plain")))

        if not isinstance(self.sok, Unset):
            files.append(("sok", (None, self.sok, "text/plain")))

        if not isinstance(self.g_recaptcha_response, Unset):
            files.append(("g-recaptcha-response", (None, str(self.g_recaptcha_response).encode(), "text/plain")))

        if not isinstance(self.redirect, Unset):
            files.append(("redirect", (None, str(self.redirect).encode(), "text/plain")))

        if not isinstance(self.forget, Unset):
            files.append(("forget", (None, self.forget, "text/plain")))

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

        sok = cast(Literal["ok"] | Unset, d.pop("sok", UNSET))
        if sok != "ok" and not isinstance(sok, Unset):
            raise ValueError(f"sok must match const 'ok', got '{sok}'")

        g_recaptcha_response = d.pop("g-recaptcha-response", UNSET)

        redirect = d.pop("redirect", UNSET)

        forget = cast(Literal["on"] | Unset, d.pop("forget", UNSET))
        if forget != "on" and not isinstance(forget, Unset):
            raise ValueError(f"forget must match const 'on', got '{forget}'")

        lang = d.pop("lang", UNSET)

        login_form = cls(
            func=func,
            out=out,
            username=username,
            password=password,
            sok=sok,
            g_recaptcha_response=g_recaptcha_response,
            redirect=redirect,
            forget=forget,
            lang=lang,
        )

        return login_form
