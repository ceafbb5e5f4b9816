from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.rescue_form_zone import RescueFormZone
from ..types import UNSET, Unset

T = TypeVar("T", bound="RescueForm")


@_attrs_define
class RescueForm:
    """Body of *rescue an instance*. `sok=ok` confirms the operation.

    Attributes:
        func (Literal['instances.fleio.rescue']): The function: rescue. (The article's table calls it the
            "function for Boot from ISO": a copy error in the article.)
             Default: 'instances.fleio.rescue'.
        out (Literal['json']): The response format. This contract describes the JSON answer only. Default: 'json'.
        sok (Literal['ok']): Confirms the operation. BILLmanager accepts any non-empty value
            ("generally `ok`"); without it the call is a preview.
             Default: 'ok'.
        elid (int): The instance's ID (the service's `elid` in BILLmanager), as shown in the control panel.
            Sent in decimal digits, as the article does (`5203773`): whether the real server also
            takes spaces, a sign or a fraction around them is not known, and this project's mock
            refuses them.
        select_boot (UUID): UUID of the image to boot for rescue: the `$key` of an option of
            the preview's `select_boot` list. The article's second table calls
            this field `select_boot_from_iso`; that is an error in the article,
            and the name is rejected.
        zone (RescueFormZone): Where the image lives: `pub` (available to every user), `own`
            (the customer's own image) or `shr` (an image shared with the
            customer). The `$depend` of the chosen `select_boot` option.
            `pub` and `own` are the article's; `shr` is the third zone tab of
            the provider's web panel, not seen in the article.
        password (str | Unset): Password for logging in to the rescue system. Optional, but
            recommended: without it you may not be able to get in. Windows
            images get a password generated for them. Empty means none: the
            provider's web panel sends `password=` when none was typed.

            Rule of the provider's web panel for a password that is not empty
            (client-side; the server's may differ): 8 to 48 printable ASCII
            characters, with at least one upper-case letter, one lower-case
            letter and one digit; no spaces and none of `"#%&'()*;<>?@|`.
            This schema's pattern checks the length and the characters, not
            the three character classes.

            A secret: never log it.
        password_type (str | Unset): Sent by the provider's web panel with every rescue, often empty.
            Its values and meaning are not documented; it presumably says how
            the rescue system is to be logged in to (a password or SSH keys).
        ssh_keys (str | Unset): SSH keys for the rescue system, sent by the provider's web panel
            only when it has loaded the account's key list. Its format is not
            documented (the panel sends what its key selector holds).
        clicked_button (Literal['ok'] | Unset): The form button pressed; the provider's web panel sent `ok` until
            mid-2024. It changes nothing known.
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
    select_boot: UUID
    zone: RescueFormZone
    func: Literal["instances.fleio.rescue"] = "instances.fleio.rescue"
    out: Literal["json"] = "json"
    sok: Literal["ok"] = "ok"
    password: str | Unset = _attrs_field(default=UNSET, repr=False)
    password_type: str | Unset = UNSET
    ssh_keys: str | Unset = UNSET
    clicked_button: Literal["ok"] | Unset = UNSET
    auth: str | Unset = _attrs_field(default=UNSET, repr=False)
    authinfo: str | Unset = _attrs_field(default=UNSET, repr=False)
    lang: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        func = self.func

        out = self.out

        sok = self.sok

        elid = self.elid

        select_boot = str(self.select_boot)

        zone = self.zone.value

        password = self.password

        password_type = self.password_type

        ssh_keys = self.ssh_keys

        clicked_button = self.clicked_button

        auth = self.auth

        authinfo = self.authinfo

        lang = self.lang

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "func": func,
                "out": out,
                "sok": sok,
                "elid": elid,
                "select_boot": select_boot,
                "zone": zone,
            }
        )
        if password is not UNSET:
            field_dict["password"] = password
        if password_type is not UNSET:
            field_dict["password_type"] = password_type
        if ssh_keys is not UNSET:
            field_dict["ssh_keys"] = ssh_keys
        if clicked_button is not UNSET:
            field_dict["clicked_button"] = clicked_button
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

        files.append(("sok", (None, self.sok, "text/plain")))

        files.append(("elid", (None, str(self.elid).encode(), "text/plain")))

        files.append(("select_boot", (None, str(self.select_boot), "text/plain")))

        files.append(("zone", (None, str(self.zone.value).encode(), "text/plain")))

        if not isinstance(self.password, Unset):
            files.append(("password", (None, str(self.password).encode(), "text/plain")))

        if not isinstance(self.password_type, Unset):
            files.append(("password_type", (None, str(self.password_type).encode(), "text/plain")))

        if not isinstance(self.ssh_keys, Unset):
            files.append(("ssh_keys", (None, str(self.ssh_keys).encode(), "text/plain")))

        if not isinstance(self.clicked_button, Unset):
            files.append(("clicked_button", (None, self.clicked_button, "text/plain")))

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

        sok = cast(Literal["ok"], d.pop("sok"))
        if sok != "ok":
            raise ValueError(f"sok must match const 'ok', got '{sok}'")

        elid = d.pop("elid")

        select_boot = UUID(d.pop("select_boot"))

        zone = RescueFormZone(d.pop("zone"))

        password = d.pop("password", UNSET)

        password_type = d.pop("password_type", UNSET)

        ssh_keys = d.pop("ssh_keys", UNSET)

        clicked_button = cast(Literal["ok"] | Unset, d.pop("clicked_button", UNSET))
        if clicked_button != "ok" and not isinstance(clicked_button, Unset):
            raise ValueError(f"clicked_button must match const 'ok', got '{clicked_button}'")

        auth = d.pop("auth", UNSET)

        authinfo = d.pop("authinfo", UNSET)

        lang = d.pop("lang", UNSET)

        rescue_form = cls(
            func=func,
            out=out,
            sok=sok,
            elid=elid,
            select_boot=select_boot,
            zone=zone,
            password=password,
            password_type=password_type,
            ssh_keys=ssh_keys,
            clicked_button=clicked_button,
            auth=auth,
            authinfo=authinfo,
            lang=lang,
        )

        return rescue_form
