"""The emulated server: a request the contract accepts, answered from the world, and remembered.

For each operation it decides the answer: a named example of the contract,
which Prism renders (`ok`, `alreadyRescued`, `badSession`, ...), or a
document that carries state, which it builds (a preview, an instance list, a
new session). Tests steer it with faults and read its journal. It knows
nothing of HTTP: the router carries requests in and answers out.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from zomro_contract.billmanager import one_or_many

from .clock import rfc3339
from .redact import MASK, near_miss
from .world import Account, Instance, Refused, World

# The operations the world answers, by the contract's operationId.
LOGIN, PREVIEW, RESCUE, UNRESCUE, LIST = "logIn", "previewRescueImages", "rescueInstance", "unrescueInstance", "listInstances"
OK = "ok"  # the contract's success example of rescue and unrescue
JOURNAL_SIZE = 10_000
DEFAULT_PAGE_SIZE = 10  # when a list names none; the contract leaves it to the server
SELECT_IMAGE, SELECT_ZONE = "select_boot", "zone"
ACCESS_LEVEL = "16"  # a customer's, as ISPsystem's examples show it


@dataclass
class Outcome:
    """The answer: a named example for Prism to render, or a document built here."""

    example: str | None = None
    document: bytes | None = None
    error: tuple[str, str] | None = None  # a refusal's `$type` and `$object`, for the journal


@dataclass
class Fault:
    operation: str
    times: int = 1
    elid: int | None = None
    error: str | None = None
    delay_ms: int | None = None
    drop: bool = False
    id: int = 0

    def shown(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"id": self.id, "operation": self.operation, "remaining": self.times}
        if self.elid is not None:
            shown["elid"] = self.elid
        if self.error is not None:
            shown["error"] = self.error
        if self.delay_ms is not None:
            shown["delay_ms"] = self.delay_ms
        if self.drop:
            shown["drop"] = True
        return shown


@dataclass
class Emulator:
    initial: World
    # The contract's error examples, by operation: (`$type`, `$object`) of each, for the journal.
    error_examples: dict[str, dict[str, tuple[str, str]]]
    secret_fields: frozenset[str]
    # Every field some operation takes (None: take every name as known). A name outside it is a client's
    # own, and may hold anything (`password%3Dsecret` is one name): its value and the name are masked.
    known_fields: frozenset[str] | None = None
    world: World = field(init=False)
    journal: deque[dict[str, Any]] = field(init=False)
    faults: list[Fault] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _fault_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.journal = deque(maxlen=JOURNAL_SIZE)
        self.reset()

    # -- steering, for the control API -------------------------------------------------------------
    def start_world(self) -> World:
        """A copy of the world the mock started with, to reset to. The start world is never changed, so the copy
        may be made in another thread while this one serves (a large world takes seconds to copy)."""
        return copy.deepcopy(self.initial)

    def reset(self, world: World | None = None) -> None:
        """Back to the world the mock started with, or on to `world`; journal and faults cleared."""
        self.world = world if world is not None else self.start_world()
        self.world.clock = self.initial.clock
        # A world's sessions are live when it is loaded, and a passing status in it has just begun.
        self.world.begin()
        self.journal.clear()
        self.faults.clear()
        # Numbered afresh: a test after a reset sees the same numbers every run.
        self._seq = itertools.count(1)
        self._fault_ids = itertools.count(1)

    def add_fault(self, fault: Fault) -> Fault:
        if fault.operation not in self.error_examples:
            raise ValueError(f"no operation {fault.operation!r}; the contract's: {', '.join(sorted(self.error_examples))}")
        if fault.error is not None and fault.error not in self.error_examples[fault.operation]:
            known = ", ".join(sorted(self.error_examples[fault.operation])) or "none"
            raise ValueError(f"{fault.operation} has no error example {fault.error!r}; its error examples: {known}")
        fault.id = next(self._fault_ids)
        self.faults.append(fault)
        return fault

    def take_fault(self, operation: str, elid: int | None) -> Fault | None:
        """The oldest fault for this call, used once."""
        for fault in self.faults:
            if fault.operation == operation and fault.elid in (None, elid):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def entries(self, func: str | None = None, operation: str | None = None, elid: int | None = None) -> list[dict[str, Any]]:
        return [
            entry
            for entry in self.journal
            if (func is None or entry.get("func") == func)
            and (operation is None or entry["operation"] == operation)
            and (elid is None or entry.get("elid") == elid)
        ]

    def record(self, operation: str, fields: dict[str, str], answer: dict[str, Any]) -> None:
        """One request, its secrets masked, and its answer."""
        entry: dict[str, Any] = {"seq": next(self._seq), "at": rfc3339(self.world.clock.time()), "operation": operation}
        if "func" in fields:
            entry["func"] = fields["func"]
        elid = elid_of(fields)
        if elid is not None:
            entry["elid"] = elid
        entry["fields"] = dict(self._shown(name, value) for name, value in fields.items())
        entry["answer"] = answer
        self.journal.append(entry)

    def _shown(self, name: str, value: str) -> tuple[str, str]:
        if self.known_fields is not None and name not in self.known_fields:
            # Named only when it is a typo of a known one (`pasword`), as in the log.
            return (name if near_miss(name, self.known_fields) else f"(a name of {len(name)} characters)"), MASK
        return name, MASK if name in self.secret_fields else value

    # -- the server -------------------------------------------------------------------------------------
    def answer(self, operation: str, fields: dict[str, str]) -> Outcome:
        """The world's answer to a request the contract accepts."""
        try:
            if operation == LOGIN:
                session = self.world.login(fields["username"], fields["password"])
                return _built({"auth": {"$id": session.id, "$level": ACCESS_LEVEL, "$": session.id}})
            account = self.world.account(fields.get("auth"), fields.get("authinfo"))
            if operation == LIST:
                return self._list(account, fields)
            elid = int(fields["elid"])
            if operation == PREVIEW:
                return self._preview(account, self.world.instance(account, elid))
            if operation == RESCUE:
                self.world.rescue(account, elid, fields[SELECT_IMAGE], fields[SELECT_ZONE])
            elif operation == UNRESCUE:
                self.world.unrescue(account, elid)
            else:
                return Outcome()  # an operation the world does not know: Prism answers as it would
            return Outcome(example=OK)
        except Refused as refused:
            return Outcome(example=refused.example, error=self.error_examples.get(operation, {}).get(refused.example))

    def _preview(self, account: Account, instance: Instance) -> Outcome:
        images = self.world.offered(account, instance)
        zones = list(dict.fromkeys(image.zone for image in images))
        options = [
            {"$depend": image.zone, "$key": image.key, "$": image.os_name} | ({"$name": image.name} if image.name else {})
            for image in images
        ]
        # The one-element rule: an element that does not occur is absent, never an empty array.
        zone: dict[str, Any] = {"$name": SELECT_ZONE}
        if zones:
            zone["val"] = one_or_many([{"$key": name, "$": name} for name in zones])
        boot: dict[str, Any] = {"$name": SELECT_IMAGE}
        if options:
            boot["val"] = one_or_many(options)
        return _built({"slist": [zone, boot]})

    def _list(self, account: Account, fields: dict[str, str]) -> Outcome:
        size, page = int(fields.get("p_cnt") or DEFAULT_PAGE_SIZE), int(fields.get("p_num") or 1)
        chosen, total = self.world.listed(account, size, page)
        doc: dict[str, Any] = {}
        if chosen:
            doc["elem"] = one_or_many([_item(instance) for instance in chosen])
        doc |= {"p_cnt": {"$": str(size)}, "p_elems": {"$": str(total)}, "p_num": {"$": str(page)}}
        return _built(doc)


def _item(instance: Instance) -> dict[str, Any]:
    item = {"id": {"$": str(instance.elid)}, "name": {"$": instance.name}, "instance_status": {"$": instance.status}}
    if instance.os_name:
        item["instances_os"] = {"$": instance.os_name}
    if instance.ip:
        item["ip"] = {"$": instance.ip}
    return item


def _built(doc: dict[str, Any]) -> Outcome:
    return Outcome(document=json.dumps({"doc": doc}, ensure_ascii=False, separators=(",", ":")).encode())


def elid_of(fields: dict[str, str]) -> int | None:
    """The instance a request is about, when its `elid` is one."""
    value = fields.get("elid", "")
    # isdigit() alone takes "²" and other digits int() does not read: a rejected request is journaled too.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 20 else None
