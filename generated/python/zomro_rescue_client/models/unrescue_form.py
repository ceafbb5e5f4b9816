from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, Unset

T = TypeVar("T", bound="UnrescueForm")


@_attrs_define
class UnrescueForm:
    """Body of *unrescue an instance*. The article and the provider's web
    panel send no `sok`; a provisioning tool sends `sok=ok`, which is
    accepted.

        Attributes:
            func (Literal['instances.fleio.unrescue']): The function: leave rescue mode. Default:
                'instances.fleio.unrescue'.
            out (Literal['json']): The response format. This contract describes the JSON answer only. Default: 'json'.
            elid (int): The instance's ID (the service's `elid` in BILLmanager), as shown in the control panel.
                Sent in decimal digits, as the article does (`5203773`): whether the real server also
                takes spaces, a sign or a fraction around them is not known, and this project's mock
                refuses them.
            sok (Literal['ok'] | Unset): `sok=ok`, sent by a public provisioning tool (`ml-datadogs/outpost`)
                with every call, this one included. A function without a form has
                nothing to confirm, and BILLmanager is not known to refuse it, so it
                is accepted; no client needs to send it.
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
    func: Literal["instances.fleio.unrescue"] = "instances.fleio.unrescue"
    out: Literal["json"] = "json"
    sok: Literal["ok"] | Unset = UNSET
    auth: str | Unset = _attrs_field(default=UNSET, repr=False)
    authinfo: str | Unset = _attrs_field(default=UNSET, repr=False)
    lang: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        func = self.func

        out = self.out

        elid = self.elid

        sok = self.sok

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
        if sok is not UNSET:
            field_dict["sok"] = sok
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

        if not isinstance(self.sok, Unset):
            files.append(("sok", (None, self.sok, "text/plain")))

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
        func = cast(Literal["instances.fleio.unrescue"], d.pop("func"))
        if func != "instances.fleio.unrescue":
            raise ValueError(f"func must match const 'instances.fleio.unrescue', got '{func}'")

        out = cast(Literal["json"], d.pop("out"))
        if out != "json":
            raise ValueError(f"out must match const 'json', got '{out}'")

        elid = d.pop("elid")

        sok = cast(Literal["ok"] | Unset, d.pop("sok", UNSET))
        if sok != "ok" and not isinstance(sok, Unset):
            raise ValueError(f"sok must match const 'ok', got '{sok}'")

        auth = d.pop("auth", UNSET)

        authinfo = d.pop("authinfo", UNSET)

        lang = d.pop("lang", UNSET)

        unrescue_form = cls(
            func=func,
            out=out,
            elid=elid,
            sok=sok,
            auth=auth,
            authinfo=authinfo,
            lang=lang,
        )

        return unrescue_form
