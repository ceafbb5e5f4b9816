"""The requests real clients send, byte for byte as their code builds them, get the answers the server gives.

Two public clients of this API are replayed: the provider's own web panel
(Karantir-dev/billing-typescript: `qs.stringify`, urlencoded, `lang=en`, the
form's extra fields; its login is multipart) and a provisioning tool
(ml-datadogs/outpost: `requests`, urlencoded, `sok=ok` with every call). The
values come from the article and the contract's examples.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from zomro_testkit import article, mock_process
from zomro_testkit.contract import operations, validator

PREVIEW, RESCUE, UNRESCUE = (article.curl_example(name).form for name in ("preview", "rescue", "unrescue"))
SESSION, ELID = PREVIEW["auth"], PREVIEW["elid"]
LOGIN = operations()["logIn"].request_examples["login"]["value"]
LIST = operations()["listInstances"].request_examples["panel"]["value"]


def _stringify(fields: list[tuple[str, Any]]) -> bytes:
    """As `qs.stringify` writes a form: in the order given, escaped as encodeURIComponent escapes."""
    return urlencode(fields, quote_via=quote, safe="").encode()


def _post(mock: mock_process.RunningMock, body: bytes) -> Any:
    answer = httpx.post(mock.url + "/", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200
    return answer.json()


def _answer_of(operation_id: str, document: Any) -> Any:
    """The document, after checking it is the operation's answer by the contract."""
    errors = [error.message for error in validator(operations()[operation_id].response_pointer).iter_errors(document)]
    assert not errors, errors
    return document


def _panel_rescue(**changes: str | None) -> list[tuple[str, Any]]:
    fields = {
        "func": RESCUE["func"],
        "out": "json",
        "auth": SESSION,
        "elid": ELID,
        "lang": "en",
        "sok": "ok",
        "select_boot": RESCUE["select_boot"],
        "password": "",
        "password_type": "",
        "zone": RESCUE["zone"],
    } | changes
    return [(name, value) for name, value in fields.items() if value is not None]


# The panel's rescue as it sends it: no password typed, with a typed one, with SSH keys, as before mid-2024.
PANEL_RESCUES = {
    "no password": _panel_rescue(),
    "typed password": _panel_rescue(password=RESCUE["password"]),
    "ssh keys": _panel_rescue(ssh_keys="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9+/pDvl0Z3KqVnW3o= me@laptop"),
    "clicked button": _panel_rescue(clicked_button="ok"),
}


@pytest.mark.parametrize("name", PANEL_RESCUES)
def test_panel_rescue_is_done(mock: mock_process.RunningMock, name: str) -> None:
    assert _answer_of("rescueInstance", _post(mock, _stringify(PANEL_RESCUES[name]))) == {"doc": {"ok": {}}}


def test_panel_preview_lists_the_images(mock: mock_process.RunningMock) -> None:
    body = _stringify([("func", PREVIEW["func"]), ("out", "json"), ("auth", SESSION), ("elid", ELID), ("lang", "en")])
    document = _answer_of("previewRescueImages", _post(mock, body))
    assert "slist" in document["doc"]


def _rescued(mock: mock_process.RunningMock) -> None:
    """The instance in rescue mode, as the panel's unrescue presumes."""
    assert _post(mock, _stringify(PANEL_RESCUES["no password"])) == {"doc": {"ok": {}}}


def test_panel_unrescue_is_done(mock: mock_process.RunningMock) -> None:
    _rescued(mock)
    body = _stringify([("func", UNRESCUE["func"]), ("out", "json"), ("auth", SESSION), ("elid", ELID), ("lang", "en")])
    assert _answer_of("unrescueInstance", _post(mock, body)) == {"doc": {"ok": {}}}


def test_panel_instance_list(mock: mock_process.RunningMock) -> None:
    body = _stringify([*LIST.items(), ("p_col", "")])
    document = _answer_of("listInstances", _post(mock, body))
    assert ELID in [item["id"]["$"] for item in document["doc"]["elem"]]


def test_panel_login_gets_a_session(mock: mock_process.RunningMock) -> None:
    # The panel's login is multipart, with the reCAPTCHA answer, where to go next and its checkbox.
    fields = {**LOGIN, "sok": "ok", "g-recaptcha-response": "03AFcWeA5x-illustrative", "redirect": "", "forget": "on"}
    answer = httpx.post(mock.url + "/", files={name: (None, value) for name, value in fields.items()})
    assert "auth" in _answer_of("logIn", answer.json())["doc"]


@pytest.mark.parametrize(
    ("operation_id", "fields"),
    [
        ("unrescueInstance", [("func", UNRESCUE["func"]), ("auth", SESSION), ("out", "json"), ("sok", "ok"), ("elid", ELID)]),
        ("listInstances", [("func", LIST["func"]), ("auth", SESSION), ("out", "json"), ("sok", "ok")]),
    ],
)
def test_provisioning_tool_sends_sok_with_every_call(
    mock: mock_process.RunningMock, operation_id: str, fields: list[tuple[str, str]]
) -> None:
    _rescued(mock)
    document = _answer_of(operation_id, _post(mock, urlencode(fields).encode()))
    assert "error" not in document["doc"]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        # No known client sends these: still refused, and named.
        (
            [(article.mistaken_image_field(), v) if k == "select_boot" else (k, v) for k, v in _panel_rescue()],
            article.mistaken_image_field(),
        ),
        (_panel_rescue(password_typ=""), "password_typ"),
        # A password that is not empty follows the panel's rule.
        (_panel_rescue(password="Short1"), "password"),
        # `shr` is a zone; one no client knows is not.
        (_panel_rescue(zone="iso"), "zone"),
        # `sok` is accepted as real clients send it, `ok`.
        ([(name, "yes" if name == "sok" else value) for name, value in _panel_rescue()], "sok"),
    ],
    ids=["article's mistaken field", "misspelt field", "short password", "unknown zone", "sok not ok"],
)
def test_what_no_client_sends_is_refused(mock: mock_process.RunningMock, fields: list[tuple[str, Any]], named: str) -> None:
    error = _answer_of("rescueInstance", _post(mock, _stringify(fields)))["doc"]["error"]
    assert error["$object"] == named


def test_shared_zone_is_a_zone(mock: mock_process.RunningMock) -> None:
    # A world whose instance is offered a shared image: the panel's third zone tab.
    shared = "c2d9a7e4-5b1f-4e8a-9c3d-7f6e5a4b3c21"
    account = {"username": "me@example.com", "password": "x", "sessions": [SESSION], "instances": [{"elid": int(ELID), "status": "active"}]}
    mock.load_world({"images": [{"key": shared, "os_name": "SystemRescue 11", "zone": "shr"}], "accounts": [account]})
    answer = _post(mock, _stringify(_panel_rescue(zone="shr", select_boot=shared)))
    assert _answer_of("rescueInstance", answer) == {"doc": {"ok": {}}}
