"""A BILLmanager that has drifted from the contract in known ways, for the tests of `zomro-rescue probe`.

It is a QuirkyServer (it records every form it receives) whose answers are the
contract's own examples, each changed in one known way. `DRIFTS` lists every
change by operation, JSON path and the kind of finding the probe must report
for it: the tests check that the probe reports each, and nothing else.

    with QuirkyServer(drifting()) as server:
        ...  # zomro-rescue probe --url server.url --instance 5203773
        assert all(form.get("sok") is None for form in server.requests)
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from zomro_contract import CONTRACT
from zomro_contract.operations import load

from zomro_testkit.quirky_server import Answer, Form, Scenario, example, json_answer

# The session the drifting login opens: a secret, which the probe must never print.
ISSUED = "IssuedSecret7781zz"
# A function the probe must never call gets this: loud, so that a test's failure says what happened.
NEVER = Answer(500, b"the probe must never call this function", (("Content-Type", "text/plain"),))


def _login() -> Any:
    answer = copy.deepcopy(example("logIn", "session"))
    answer["doc"]["auth"].update({"$id": ISSUED, "$": ISSUED})
    answer["doc"]["auth"]["$expires"] = "3600"  # Session allows no other key
    return answer


def _preview() -> Any:
    answer = copy.deepcopy(example("previewRescueImages", "preview"))
    (boot,) = [select for select in answer["doc"]["slist"] if select["$name"] == "select_boot"]
    # One select list, sent as the object (slist is an array, even of one), whose one image comes as an array of one,
    # with an attribute SelectOption does not have.
    answer["doc"]["slist"] = {**boot, "val": [{**boot["val"][0], "$disabled": "on"}]}
    return answer


def _instances() -> Any:
    answer = copy.deepcopy(example("listInstances", "instances"))
    answer["doc"]["elem"][1]["instance_status"] = answer["doc"]["elem"][1]["instance_status"]["$"]  # bare text, not {"$": ...}
    return answer


# Operation -> (kind of finding, JSON path): everything the probe must report on these answers.
DRIFTS: dict[str, set[tuple[str, str]]] = {
    "logIn": {("unexpected key", "doc.auth.$expires")},
    "previewRescueImages": {
        ("one-element list", "doc.slist"),
        ("one-element list", "doc.slist.val"),
        ("unexpected key", "doc.slist.val[0].$disabled"),
    },
    "listInstances": {("schema", "doc.elem[1].instance_status")},
}


def error_with_unknown_type(echo: str = "") -> Any:
    """The contract's bad-session error, of a `$type` it does not list; its message echoes `echo` (a secret, say)."""
    answer = copy.deepcopy(example("previewRescueImages", "badSession"))
    answer["doc"]["error"]["$type"] = "captcha"
    answer["doc"]["error"]["msg"]["$"] += f" ({echo})" if echo else ""
    return answer


UNKNOWN_TYPE_DRIFT = ("unknown $type", "doc.error.$type")


@cache
def _operations() -> Any:
    return load(CONTRACT)


def operation(form: Form) -> str:
    """The operationId a request calls, as the contract selects it (`func`, and `sok` present or not); "" for none."""
    found = _operations().select(form.get("func", ""), bool(form.get("sok")))
    return found.operation_id if found else ""


def drifting(**replies: Answer | Scenario) -> Scenario:
    """The drifted answers; those given replace them, by operationId. Rescue and unrescue get `NEVER`."""
    normal: dict[str, Answer | Scenario] = {
        "logIn": json_answer(_login()),
        "previewRescueImages": json_answer(_preview()),
        "listInstances": json_answer(_instances()),
        "rescueInstance": NEVER,
        "unrescueInstance": NEVER,
        "": NEVER,
    }

    def scenario(form: Form) -> Answer:
        reply = {**normal, **replies}[operation(form)]
        return reply if isinstance(reply, Answer) else reply(form)

    return scenario
