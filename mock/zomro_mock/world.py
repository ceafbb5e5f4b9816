"""What the emulated server knows: accounts, their sessions and instances, and the rescue lifecycle.

Nothing here knows HTTP. Each action either changes the world and returns
what the answer needs, or raises Refused with the name of the contract's
example that the server answers with (`alreadyRescued`, `badSession`, ...).

Statuses move as the provider's panel shows them, by the transition table
LIFECYCLE below: a rescue takes an `active` or `stopped` instance to
`rescuing`, then `rescued`; an unrescue takes a `rescued` one to
`unrescuing`, then `active`; each refuses every other status with the error
example the table names. When the second step comes is
the world's Timing, after moto's three models: at once, after N reads of the
instance's status (the instance list), or after N seconds.

Seconds are the world's Clock's: real time by default; a test may freeze it
and move it forward (`advance`), which does at once what those seconds would
have done: sessions idle too long expire, then transitions whose time has
come settle.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from typing import Literal

from zomro_contract.statuses import ACTIVE, RESCUABLE, RESCUED, RESCUING, UNRESCUING
from zomro_contract.statuses import BUSY as BUSY_STATUSES

from .clock import Clock, ClockStart

# The contract's error examples the world refuses with, by what went wrong.
BAD_SESSION = "badSession"  # an unknown or expired session
NO_CREDENTIALS = "noCredentials"  # neither `auth` nor `authinfo`
BAD_AUTHINFO = "badAuthinfo"  # `authinfo` that names no account, or the wrong password
BAD_CREDENTIALS = "badCredentials"  # a login with the wrong username or password
BAD_ELID = "badElid"  # no such instance, or another account's
ALREADY_RESCUED = "alreadyRescued"
CANNOT_RESCUE = "cannotRescue"  # a state rescue cannot start from (suspended, error, ...)
NOT_RESCUED = "notRescued"
BUSY = "busy"  # an action runs: "Request in process, please wait"
UNKNOWN_IMAGE = "unknownImage"  # an image the instance is not offered
ZONE_MISMATCH = "zoneMismatch"  # an offered image, named with another zone than its own


@dataclass(frozen=True)
class Move:
    """A call that moves an instance through the lifecycle: one row of the world's transition table.

    From a status in `start` the call is taken: the instance shows `passing`, then `settled` when
    the world's Timing says. From any other status it is refused, with the contract's error
    example of the first of `refused` whose statuses hold the instance's, else with `otherwise`.
    """

    operation: str  # the contract's operationId
    start: frozenset[str]
    passing: str
    settled: str
    refused: tuple[tuple[frozenset[str], str], ...]
    otherwise: str

    def refusal(self, status: str) -> str | None:
        """The error example the call is refused with in `status`; None when the call is taken."""
        if status in self.start:
            return None
        return next((example for statuses, example in self.refused if status in statuses), self.otherwise)


# The rescue lifecycle, as the provider's panel shows it: the world plays exactly this table, and
# docs/lifecycle.svg is drawn from it (`make docs`). Statuses the table does not name stay as they are.
RESCUE_MOVE = Move(
    operation="rescueInstance",
    start=RESCUABLE,
    passing=RESCUING,
    settled=RESCUED,
    refused=((BUSY_STATUSES, BUSY), (frozenset({RESCUED}), ALREADY_RESCUED)),
    otherwise=CANNOT_RESCUE,
)
UNRESCUE_MOVE = Move(
    operation="unrescueInstance",
    start=frozenset({RESCUED}),
    passing=UNRESCUING,
    settled=ACTIVE,
    refused=((BUSY_STATUSES, BUSY),),
    otherwise=NOT_RESCUED,
)
LIFECYCLE = (RESCUE_MOVE, UNRESCUE_MOVE)
# A transition's second step: where each passing status leads.
SETTLES_TO = {move.passing: move.settled for move in LIFECYCLE}


class Refused(Exception):
    """The server refuses: `example` names the contract's error example it answers with."""

    def __init__(self, example: str, detail: str = "") -> None:
        super().__init__(f"{example}: {detail}" if detail else example)
        self.example = example
        self.detail = detail


@dataclass(frozen=True)
class Timing:
    """When a passing status (`rescuing`, `unrescuing`) settles: at once, after `count` reads, or after `count` seconds."""

    after: Literal["immediate", "reads", "seconds"] = "immediate"
    count: float = 0


@dataclass(frozen=True)
class Image:
    key: str  # the UUID a rescue names as `select_boot`
    os_name: str
    zone: str  # the `$depend` a rescue names as `zone`
    name: str | None = None  # an own image's own name


@dataclass
class Instance:
    elid: int
    owner: str  # the account's username
    name: str
    status: str
    os_name: str = ""
    ip: str = ""
    # The keys of the images it may be rescued with; None: the world's images and its account's own.
    image_keys: tuple[str, ...] | None = None
    # A passing status's progress: reads left, or the world's clock.monotonic() at which it settles.
    reads_left: int = 0
    settles_at: float = 0.0

    @property
    def busy(self) -> bool:
        return self.status in BUSY_STATUSES


@dataclass
class Account:
    username: str
    password: str
    own_images: list[Image] = field(default_factory=list)
    # Its instances' IDs, in the order the list shows them: a page is a slice, however large the world.
    elids: list[int] = field(default_factory=list)


@dataclass
class Session:
    id: str
    username: str
    last_used: float


@dataclass(frozen=True)
class Passed:
    """What moving the clock forward did: how many sessions expired, and the instances that settled, with their status."""

    expired_sessions: int
    settled: list[tuple[int, str]]


@dataclass
class World:
    accounts: dict[str, Account]
    instances: dict[int, Instance]
    images: list[Image]  # offered to every instance (zones `pub`, `shr`)
    sessions: dict[str, Session]
    timing: Timing = field(default_factory=Timing)
    session_idle: float = 3600.0  # ISPsystem: a session lives about an hour after its last request
    prune_at: int = 1000  # how many sessions make a login drop the expired ones (doubles with the live ones)
    clock_start: ClockStart = field(default_factory=ClockStart)
    clock: Clock = field(default_factory=Clock)
    # The instances whose passing status settles at a time (`seconds`), for `advance` to find without a walk of the world.
    _timed: set[int] = field(default_factory=set, init=False, repr=False)

    # -- who is asking ------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> Session:
        account = self.accounts.get(username)
        if account is None or not secrets.compare_digest(account.password.encode(), password.encode()):
            raise Refused(BAD_CREDENTIALS)
        session = Session(secrets.token_hex(12), username, self.clock.monotonic())
        if len(self.sessions) >= self.prune_at:
            self._forget_expired_sessions()
        self.sessions[session.id] = session
        return session

    def _forget_expired_sessions(self) -> int:
        """Expired sessions are otherwise dropped only when used again: every login would add one for good. How many went."""
        now, before = self.clock.monotonic(), len(self.sessions)
        self.sessions = {key: s for key, s in self.sessions.items() if now - s.last_used <= self.session_idle}
        self.prune_at = max(1000, 2 * len(self.sessions))
        return before - len(self.sessions)

    def account(self, auth: str | None, authinfo: str | None) -> Account:
        """The account a request acts for, by its session (which this use keeps alive) or its `login:password`."""
        if auth:
            session = self.sessions.get(auth)
            now = self.clock.monotonic()
            if session is None or now - session.last_used > self.session_idle:
                self.sessions.pop(auth, None)
                raise Refused(BAD_SESSION)
            session.last_used = now
            return self.accounts[session.username]
        if authinfo:
            username, _, password = authinfo.partition(":")
            account = self.accounts.get(username)
            if account is None or not secrets.compare_digest(account.password.encode(), password.encode()):
                raise Refused(BAD_AUTHINFO)
            return account
        raise Refused(NO_CREDENTIALS)

    # -- what it asks about ----------------------------------------------------------------------------
    def instance(self, account: Account, elid: int) -> Instance:
        found = self.instances.get(elid)
        if found is None or found.owner != account.username:
            raise Refused(BAD_ELID)
        self._settle(found)
        return found

    def status_now(self, instance: Instance) -> str:
        """Its status as of now, for the control API: a passing status whose time has come settles; this is no read."""
        self._settle(instance)
        return instance.status

    def offered(self, account: Account, instance: Instance) -> list[Image]:
        """The images the instance can be rescued with, in the order the preview lists them."""
        images = [*self.images, *account.own_images]
        if instance.image_keys is not None:
            wanted = set(instance.image_keys)
            images = [image for image in images if image.key in wanted]
        return images

    def listed(self, account: Account, page_size: int, page: int) -> tuple[list[Instance], int]:
        """One page of the account's instances as they are now, and how many it has.

        Listing is reading each one's status: under `reads:N` the list shows a passing status N
        times, and the status settles after the Nth.
        """
        chosen = [self.instances[elid] for elid in account.elids[(page - 1) * page_size : page * page_size]]
        shown = []
        for instance in chosen:
            self._settle(instance)
            shown.append(replace(instance))
            self._read(instance)
        return shown, len(account.elids)

    # -- what it asks for ------------------------------------------------------------------------------
    def rescue(self, account: Account, elid: int, image_key: str, zone: str) -> Image:
        instance = self._taking(RESCUE_MOVE, account, elid)
        image = next((image for image in self.offered(account, instance) if image.key == image_key.lower()), None)
        if image is None:
            raise Refused(UNKNOWN_IMAGE)
        if image.zone != zone:
            raise Refused(ZONE_MISMATCH, image.zone)
        self._start(instance, RESCUE_MOVE.passing)
        return image

    def unrescue(self, account: Account, elid: int) -> None:
        instance = self._taking(UNRESCUE_MOVE, account, elid)
        self._start(instance, UNRESCUE_MOVE.passing)

    def _taking(self, move: Move, account: Account, elid: int) -> Instance:
        """The instance, if its status now lets `move` start; else Refused, as the table says."""
        instance = self.instance(account, elid)
        refused = move.refusal(instance.status)
        if refused is not None:
            raise Refused(refused, instance.status)
        return instance

    # -- time ----------------------------------------------------------------------------------------------
    def advance(self, seconds: float) -> Passed:
        """Move the world's clock forward, doing at once what those seconds would have done, in order:
        sessions idle longer than `session_idle` expire, then passing statuses whose time has come settle."""
        self.clock.advance(seconds)
        expired = self._forget_expired_sessions()
        settled = []
        for elid in sorted(self._timed):
            instance = self.instances[elid]
            self._settle(instance)
            if instance.status not in SETTLES_TO:
                settled.append((elid, instance.status))
        return Passed(expired, settled)

    # -- the lifecycle ---------------------------------------------------------------------------------
    def begin(self) -> None:
        """The world starts now, as loaded: its clock at its start, its sessions just used, a passing status it holds just begun.

        Called when the mock starts or resets: the start world's sessions are live again however long
        ago it was loaded, and a `rescuing` instance settles after `count` reads or seconds from now.
        """
        self.clock.restart(self.clock_start)
        self._timed.clear()
        now = self.clock.monotonic()
        for session in self.sessions.values():
            session.last_used = now
        for instance in self.instances.values():
            if instance.status in SETTLES_TO:
                self._start(instance, instance.status)

    def _start(self, instance: Instance, passing: str) -> None:
        instance.status = passing
        if self.timing.after == "immediate":
            instance.status = SETTLES_TO[passing]
        else:
            self._schedule(instance)

    def _schedule(self, instance: Instance) -> None:
        if self.timing.after == "reads":
            instance.reads_left = max(1, int(self.timing.count))
        else:
            instance.settles_at = self.clock.monotonic() + self.timing.count
            self._timed.add(instance.elid)

    def _settle(self, instance: Instance) -> None:
        """A passing status whose time has come settles (seconds); reads settle in _read."""
        if instance.status in SETTLES_TO and self.timing.after == "seconds" and self.clock.monotonic() >= instance.settles_at:
            instance.status = SETTLES_TO[instance.status]
            self._timed.discard(instance.elid)

    def _read(self, instance: Instance) -> None:
        """The instance's status has been read once: after `count` reads, a passing status settles."""
        if instance.status in SETTLES_TO and self.timing.after == "reads":
            instance.reads_left -= 1
            if instance.reads_left <= 0:
                instance.status = SETTLES_TO[instance.status]
