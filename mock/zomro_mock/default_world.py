"""The world the mock starts with, made from the contract's examples, so that every request they show works.

- the account: the login example's username and password;
- its live sessions: every `auth` of the contract's request examples (the article's two);
- its instances: the instance list's `everyState` example (5203773 active, and one stopped,
  rescued, suspended and busy);
- the rescue images: the `preview` example's options (the article's 15), its `own` ones the
  account's own images;
- and a second account, whose instance the first may not touch.
"""

from __future__ import annotations

from typing import Any

from zomro_contract.billmanager import as_list
from zomro_contract.operations import resolve

from . import world_file
from .world import World

LOGIN, PREVIEW, INSTANCES = "logIn", "previewRescueImages", "listInstances"
PLACEHOLDER_KEY = "null"
# Another account, and its instance: not in the contract, which shows one account's view.
OTHER_ACCOUNT = {"username": "other@example.com", "password": "Other-Secret-1"}
OTHER_INSTANCE = {"elid": 5203900, "name": "not-yours", "status": "active", "os_name": "Debian 12", "ip": "192.0.2.90"}


def _operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["post"]["operationId"]: item["post"] for item in spec["paths"].values()}


def _response_example(spec: dict[str, Any], operation: dict[str, Any], name: str) -> Any:
    examples = operation["responses"]["200"]["content"]["application/json"]["examples"]
    return resolve(spec, examples[name])["value"]


def _text(element: Any) -> str:
    return str(element.get("$", "")) if isinstance(element, dict) else ""


def data(spec: dict[str, Any]) -> dict[str, Any]:
    """The default world, in the `World` format."""
    operations = _operations(spec)
    login = next(iter(operations[LOGIN]["requestBody"]["content"]["multipart/form-data"]["examples"].values()))["value"]
    sessions = sorted(
        {
            example["value"]["auth"]
            for operation in operations.values()
            for example in operation["requestBody"]["content"]["multipart/form-data"].get("examples", {}).values()
            if "auth" in example["value"]
        }
    )
    preview = _response_example(spec, operations[PREVIEW], "preview")["doc"]
    (boot,) = [select for select in preview["slist"] if select["$name"] == "select_boot"]
    options = [option for option in as_list(boot.get("val")) if option["$key"] != PLACEHOLDER_KEY]
    images = [{"key": o["$key"], "os_name": o["$"], "zone": o["$depend"]} for o in options if o["$depend"] != world_file.OWN_ZONE]
    own = [
        {"key": o["$key"], "os_name": o["$"]} | ({"name": o["$name"]} if "$name" in o else {})
        for o in options
        if o["$depend"] == world_file.OWN_ZONE
    ]
    listed = as_list(_response_example(spec, operations[INSTANCES], "everyState")["doc"].get("elem"))
    instances = [
        {
            "elid": int(_text(item["id"])),
            "name": _text(item.get("name")),
            "status": _text(item.get("instance_status")),
            "os_name": _text(item.get("instances_os")),
            "ip": _text(item.get("ip")),
        }
        for item in listed
    ]
    account = {"username": login["username"], "password": login["password"], "sessions": sessions, "own_images": own}
    return {
        "images": images,
        "accounts": [account | {"instances": instances}, OTHER_ACCOUNT | {"instances": [OTHER_INSTANCE]}],
    }


def build(spec: dict[str, Any]) -> World:
    return world_file.build(data(spec), "the default world (from the contract's examples)")
