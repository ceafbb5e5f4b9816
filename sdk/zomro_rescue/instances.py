"""The account's instances and their status, from BILLmanager's instance list, read as a server may send it.

Every value of an item is an element with text (`.$`); the list follows the
one-element rule; statuses are compared trimmed and in lower case, as the
provider's panel compares them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zomro_contract.billmanager import as_list

# What `instance_status` allows: the contract's InstanceStatus table, in one home (a status in none is unknown: wait).
from zomro_contract.statuses import BUSY, RESCUABLE, RESCUED

from .errors import ZomroRescueError

# How many instances to ask for a page; and a bound on pages, against a server whose counters never add up.
PAGE_SIZE = 100
MAX_PAGES = 1000


class InstanceNotFound(ZomroRescueError, LookupError):
    """The account's instance list has no instance with that ID."""


@dataclass(frozen=True)
class Instance:
    """One instance, as the list shows it. `status` is `instance_status`, trimmed and lower-cased ("" when absent)."""

    elid: int
    name: str
    status: str
    ip: str
    os_name: str
    # Every column of the item as text, those the contract does not describe too (`{"$": ...}` unwrapped).
    columns: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def busy(self) -> bool:
        """An action runs: every call about the instance is refused until it ends. Wait and list again."""
        return self.status in BUSY

    @property
    def rescued(self) -> bool:
        return self.status == RESCUED

    @property
    def can_rescue(self) -> bool:
        return self.status in RESCUABLE

    def next_step(self) -> str:
        """What the person can do now, in words."""
        if self.rescued:
            return "in rescue mode: log in to the rescue system, then leave with `exit`"
        if self.busy:
            return "an action runs: wait, and ask again in 10 s or more"
        if self.can_rescue:
            return "can enter rescue mode"
        return "cannot enter rescue mode in this state" if self.status else "the server gave no status"


def _text(value: Any) -> str:
    """An element's text: `{"$": "..."}`, or the first of several (a `createdate` once came as an array)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("$")
    return value.strip() if isinstance(value, str) else ""


def _read(item: Any) -> Instance | None:
    if not isinstance(item, dict):
        return None
    columns = {name: _text(value) for name, value in item.items()}
    elid = columns.get("id", "")
    if not elid.isdigit():
        return None
    status = columns.get("instance_status") or columns.get("fotbo_status", "")  # its name before mid-2024
    return Instance(
        elid=int(elid),
        name=columns.get("name") or columns.get("servername", ""),
        status=status.lower(),
        ip=columns.get("ip", ""),
        os_name=columns.get("instances_os", ""),
        columns=columns,
    )


@dataclass(frozen=True)
class Page:
    instances: list[Instance]
    total: int | None  # `p_elems`: how many there are in all, when the server says


def page_from_doc(doc: dict[str, Any]) -> Page:
    """One page of the list; items without a numeric `id` are skipped (nothing could be done with them)."""
    found = [instance for instance in map(_read, as_list(doc.get("elem"))) if instance is not None]
    total = _text(doc.get("p_elems"))
    return Page(found, int(total) if total.isdigit() else None)
