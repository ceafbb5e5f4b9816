from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, Unset

T = TypeVar("T", bound="InstanceListForm")


@_attrs_define
class InstanceListForm:
    """Body of *list instances*. Source: the provider's web panel. The paging
    fields are optional; without them the server picks its own page size.

        Attributes:
            func (Literal['instances']): The function: the list of Cloud VPS instances. Default: 'instances'.
            out (Literal['json']): The response format. This contract describes the JSON answer only. Default: 'json'.
            sok (Literal['ok'] | Unset): `sok=ok`, sent by a public provisioning tool (`ml-datadogs/outpost`)
                with every call, this one included. A function without a form has
                nothing to confirm, and BILLmanager is not known to refuse it, so it
                is accepted; no client needs to send it.
            p_cnt (int | Unset): How many instances a page holds (BILLmanager's page size).
            p_num (int | Unset): Which page to return, from 1.
            p_col (str | Unset): The column to sort by, as the panel sends it; its syntax is not
                documented beyond the panel's use.
            auth (str | Unset): Session id from *log in* (`doc.auth.$id`). One of two ways to
                authorize; the other is `authinfo`. Optional in the schema because
                either may be used; a request with neither gets an error document.
                A secret: never log it.
            authinfo (str | Unset): `login:password`, sent with every request instead of a session
                (ISPsystem's API guide). A secret: never log it.
            lang (str | Unset): Language of the messages in the answer (`msg.$` of an error), as an
                ISO 639-1 code; the provider's own panel sends `en`.
    """

    func: Literal["instances"] = "instances"
    out: Literal["json"] = "json"
    sok: Literal["ok"] | Unset = UNSET
    p_cnt: int | Unset = UNSET
    p_num: int | Unset = UNSET
    p_col: str | Unset = UNSET
    auth: str | Unset = _attrs_field(default=UNSET, repr=False)
    authinfo: str | Unset = _attrs_field(default=UNSET, repr=False)
    lang: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        func = self.func

        out = self.out

        sok = self.sok

        p_cnt = self.p_cnt

        p_num = self.p_num

        p_col = self.p_col

        auth = self.auth

        authinfo = self.authinfo

        lang = self.lang

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "func": func,
                "out": out,
            }
        )
        if sok is not UNSET:
            field_dict["sok"] = sok
        if p_cnt is not UNSET:
            field_dict["p_cnt"] = p_cnt
        if p_num is not UNSET:
            field_dict["p_num"] = p_num
        if p_col is not UNSET:
            field_dict["p_col"] = p_col
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

        if not isinstance(self.sok, Unset):
            files.append(("sok", (None, self.sok, "text/plain")))

        if not isinstance(self.p_cnt, Unset):
            files.append(("p_cnt", (None, str(self.p_cnt).encode(), "text/plain")))

        if not isinstance(self.p_num, Unset):
            files.append(("p_num", (None, str(self.p_num).encode(), "text/plain")))

        if not isinstance(self.p_col, Unset):
            files.append(("p_col", (None, str(self.p_col).encode(), "text/plain")))

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
        func = cast(Literal["instances"], d.pop("func"))
        if func != "instances":
            raise ValueError(f"func must match const 'instances', got '{func}'")

        out = cast(Literal["json"], d.pop("out"))
        if out != "json":
            raise ValueError(f"out must match const 'json', got '{out}'")

        sok = cast(Literal["ok"] | Unset, d.pop("sok", UNSET))
        if sok != "ok" and not isinstance(sok, Unset):
            raise ValueError(f"sok must match const 'ok', got '{sok}'")

        p_cnt = d.pop("p_cnt", UNSET)

        p_num = d.pop("p_num", UNSET)

        p_col = d.pop("p_col", UNSET)

        auth = d.pop("auth", UNSET)

        authinfo = d.pop("authinfo", UNSET)

        lang = d.pop("lang", UNSET)

        instance_list_form = cls(
            func=func,
            out=out,
            sok=sok,
            p_cnt=p_cnt,
            p_num=p_num,
            p_col=p_col,
            auth=auth,
            authinfo=authinfo,
            lang=lang,
        )

        return instance_list_form
