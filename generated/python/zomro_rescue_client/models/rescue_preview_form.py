from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, Unset

T = TypeVar("T", bound="RescuePreviewForm")


@_attrs_define
class RescuePreviewForm:
    """Body of *preview rescue images*. The absence of `sok` is what makes it a preview.

    Attributes:
        func (Literal['instances.fleio.rescue']): The function: rescue. (The article's table calls it the
            "function for Boot from ISO": a copy error in the article.)
             Default: 'instances.fleio.rescue'.
        out (Literal['json']): The response format. This contract describes the JSON answer only. Default: 'json'.
        elid (int): The instance's ID (the service's `elid` in BILLmanager), as shown in the control panel.
            Sent in decimal digits, as the article does (`5203773`): whether the real server also
            takes spaces, a sign or a fraction around them is not known, and this project's mock
            refuses them.
        auth (str | Unset): Session id from *log in* (`doc.auth.$id`). One of two ways to
            authorize; the other is `authinfo`. Optional in the schema because
            either may be used; a request with neither gets an error document.
            A secret: never log it.
        authinfo (str | Unset): `login:password`, sent with every request instead of a session
            (ISPsystem's API guide). A secret: never log it.
        lang (str | Unset): Language of the messages in the answer (`msg.$` of an error), as an
            ISO 639-1 code; the provider's own panel sends `en`.
    """

    elid: int
    func: Literal["instances.fleio.rescue"] = "instances.fleio.rescue"
    out: Literal["json"] = "json"
    auth: str | Unset = _attrs_field(default=UNSET, repr=False)
    authinfo: str | Unset = _attrs_field(default=UNSET, repr=False)
    lang: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        func = self.func

        out = self.out

        elid = self.elid

        auth = self.auth

        authinfo = self.authinfo

        lang = self.lang

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "func": func,
                "out": out,
                "elid": elid,
            }
        )
        if auth is not UNSET:
            field_dict["auth"] = auth
        if authinfo is not UNSET:
            field_dict["authinfo"] = authinfo
        if lang is not UNSET:
            field_dict["lang"] = lang

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("func", (None, self.func, "text/plain")))

        files.append(("out", (None, self.out, "text/plain")))

        files.append(("elid", (None, str(self.elid).encode(), "text/plain")))

        if not isinstance(self.auth, Unset):
            files.append(("auth", (None, str(self.auth).encode(), "text/plain")))

        if not isinstance(self.authinfo, Unset):
            files.append(("authinfo", (None, str(self.authinfo).encode(), "text/plain")))

        if not isinstance(self.lang, Unset):
            files.append(("lang", (None, str(self.lang).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        func = cast(Literal["instances.fleio.rescue"], d.pop("func"))
        if func != "instances.fleio.rescue":
            raise ValueError(f"func must match const 'instances.fleio.rescue', got '{func}'")

        out = cast(Literal["json"], d.pop("out"))
        if out != "json":
            raise ValueError(f"out must match const 'json', got '{out}'")

        elid = d.pop("elid")

        auth = d.pop("auth", UNSET)

        authinfo = d.pop("authinfo", UNSET)

        lang = d.pop("lang", UNSET)

        rescue_preview_form = cls(
            func=func,
            out=out,
            elid=elid,
            auth=auth,
            authinfo=authinfo,
            lang=lang,
        )

        return rescue_preview_form
