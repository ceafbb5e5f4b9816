"""RescueClient and AsyncRescueClient: the API's operations, without BILLmanager's quirks.

Both take a base URL and either a session id or a username and password (the
login happens on the first call that needs it), each from the environment
when not passed: ZOMRO_API_URL, ZOMRO_AUTH, ZOMRO_USERNAME, ZOMRO_PASSWORD.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar
from uuid import UUID

import httpx
from zomro_contract.statuses import HELD, RESCUABLE, RESCUED
from zomro_rescue_client import Client
from zomro_rescue_client.api.instances import list_instances
from zomro_rescue_client.api.rescue import preview_rescue_images, rescue_instance, unrescue_instance
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import InstanceListForm, LoginForm, RescueForm, RescueFormZone, RescuePreviewForm, UnrescueForm

from . import answers, deadline
from . import images as _images
from .errors import ApiError, ArgumentError, LoginRefused, TransportError, WaitDeadEnd, WaitTimeout, ZomroRescueError, hide
from .images import Image, UnusableImage
from .instances import MAX_PAGES, PAGE_SIZE, Instance, InstanceNotFound, page_from_doc
from .passwords import check_rescue_password

# openapi.yaml's production server, and its bounds of an instance ID (tests/test_sdk.py keeps them equal).
DEFAULT_URL = "https://api.zomro.com"
ELID_MINIMUM, ELID_MAXIMUM = 1, 9007199254740991
ENV_URL, ENV_AUTH, ENV_USERNAME, ENV_PASSWORD = "ZOMRO_API_URL", "ZOMRO_AUTH", "ZOMRO_USERNAME", "ZOMRO_PASSWORD"
# BILLmanager's `$type` for a missing or expired session: worth one new login when we hold credentials.
SESSION_ERROR = "access"
# wait_for: how long, and how often it lists the instances. The provider's panel asks every 10 s; against its API
# (DEFAULT_URL's host) no less than every MIN_INTERVAL, elsewhere (the mock, a fake) any interval above 0.
WAIT_TIMEOUT, WAIT_INTERVAL, MIN_INTERVAL = 600.0, 10.0, 1.0


def mask(secret: str | None) -> str:
    """A secret as it may be shown: never in full."""
    return "none" if not secret else f"<{len(secret)} characters, hidden>"


@dataclass(frozen=True)
class Preview:
    """An instance's rescue images: those a rescue can name, and those it cannot, with the reason."""

    images: list[Image]
    unusable: list[UnusableImage]


def _check_elid(elid: int) -> None:
    if isinstance(elid, bool) or not isinstance(elid, int) or not ELID_MINIMUM <= elid <= ELID_MAXIMUM:
        raise ArgumentError(f"{elid!r} is not an instance ID: the API's are whole numbers from {ELID_MINIMUM} to {ELID_MAXIMUM}")


def _checked_url(base_url: str) -> tuple[str, str, str]:
    """The URL, as it may be shown (its password hidden), and its password."""
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ArgumentError("the API's URL is not a URL: give one such as https://api.zomro.com") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ArgumentError("the API's URL must start with https:// (or http://) and name a host, such as https://api.zomro.com")
    shown = str(url.copy_with(username=url.username, password="***")) if url.password else str(url)
    return base_url.rstrip("/"), shown.rstrip("/"), url.password or ""


@dataclass(frozen=True)
class _Step:
    """One request of a call: what it is (for messages), the generated operation, and its form for a session."""

    what: str
    operation: ModuleType
    form: Callable[[str], Any]


@dataclass(frozen=True)
class _Sleep:
    """A pause in a call (between two readings of a wait): time.sleep for one client, asyncio.sleep for the other."""

    seconds: float


R = TypeVar("R")
Plan = Generator[_Step | _Sleep, dict[str, Any], R]


def _wanted(status: str | Iterable[str]) -> tuple[str, ...]:
    """The statuses waited for, compared as the list's are: trimmed and in lower case."""
    given = [status] if isinstance(status, str) else list(status)
    if not given or not all(isinstance(s, str) and s.strip() for s in given):
        raise ArgumentError(f"{status!r}: give the status to wait for (such as 'rescued'), or several, each a non-empty string")
    return tuple(dict.fromkeys(s.strip().lower() for s in given))


def _dead_end(instance: Instance, busy_seen: bool) -> str | None:
    """Why the status wanted (not this one) cannot come from here without another action; None while it still may."""
    if instance.status in HELD:
        return "only the provider or another action moves it on from there"
    if busy_seen and (instance.status == RESCUED or instance.status in RESCUABLE):
        return "the action it was busy with has ended in another status"
    return None


class _Base:
    def __init__(
        self,
        base_url: str | None = None,
        *,
        session: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """`timeout` bounds each call to the server, from connecting to the answer's last byte.

        `headers` go with every request: against the mock, `{"Prefer": "example=badSession"}` asks for an error.
        """
        self.base_url, self.shown_url, self._url_password = _checked_url(base_url or os.environ.get(ENV_URL) or DEFAULT_URL)
        self._session = session or os.environ.get(ENV_AUTH) or None
        self.username = username or os.environ.get(ENV_USERNAME) or None
        self._password = password or os.environ.get(ENV_PASSWORD) or None
        self.timeout = timeout
        self._client = Client(
            base_url=self.base_url,
            headers=dict(headers or {}),
            timeout=httpx.Timeout(timeout),
            # The sync client keeps its deadline in the transport; the async one with asyncio.timeout.
            httpx_args={"transport": deadline.transport()} if isinstance(self, RescueClient) else {},
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.shown_url!r}, session={mask(self._session)}, "
            f"username={self.username!r}, password={mask(self._password)})"
        )

    @property
    def has_login(self) -> bool:
        return bool(self.username and self._password)

    @contextmanager
    def _secrets_hidden(self, *more: str | None) -> Iterator[None]:
        """Every error leaving the client has each secret it knows masked, whatever a server echoed."""
        try:
            yield
        except ZomroRescueError as error:
            error.hide([s for s in (self._session, self._password, self._url_password, *more) if s])
            raise

    def hide_secrets(self, text: str) -> str:
        """`text` (what a server sent, to be shown) with each secret this client holds masked, as given or lower-cased."""
        held = [s for s in (self._session, self._password, self._url_password) if s]
        return hide(text, [*held, *(s.lower() for s in held)])

    @contextmanager
    def _transport_errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except (httpx.TimeoutException, TimeoutError):
            raise TransportError(f"{what}: {self.shown_url} gave no whole answer within {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise TransportError(f"{what}: cannot reach {self.shown_url} ({type(exc).__name__}: {exc or 'no detail'})") from None

    def _login_form(self) -> LoginForm:
        if not self.has_login:
            raise ZomroRescueError(
                f"no credentials: set {ENV_AUTH} to a session id (from `zomro-rescue login --export`), "
                f"or {ENV_USERNAME} and {ENV_PASSWORD}; in Python, pass session= or username= and password="
            )
        assert self.username and self._password
        return LoginForm(username=self.username, password=self._password)

    @contextmanager
    def _login_refused(self) -> Iterator[None]:
        """The server's error document at a login is a LoginRefused: it says the login was refused, and why."""
        try:
            yield
        except ApiError as error:
            raise LoginRefused.of(error, self.username or "") from None

    def _needs_session(self) -> str | None:
        """The session to use, or None when a login must come first."""
        if self._session:
            return self._session
        self._login_form()  # raises when there is no way to log in
        return None

    @staticmethod
    def _rescue_form(elid: int, image: Image, password: str | None, session: str) -> RescueForm:
        form = RescueForm(elid=elid, select_boot=image.uuid, zone=RescueFormZone(image.zone), auth=session)
        if password is not None:
            form.password = password
        return form

    @staticmethod
    def _request(operation: ModuleType, body: Any) -> dict[str, Any]:
        # The generated client builds the request; its answer is read here, as a server may send it (answers.py).
        kwargs: dict[str, Any] = operation._get_kwargs(body=body)
        return kwargs

    # What each call does, written once for both clients: a plan yields the requests it needs (each
    # given the session to use) and gets back each answer's `doc`; RescueClient and AsyncRescueClient
    # only carry the requests out, and keep the session.
    def _preview_plan(self, elid: int) -> Plan[Preview]:
        _check_elid(elid)
        doc = yield _Step(f"the preview of {elid}", preview_rescue_images, lambda session: RescuePreviewForm(elid=elid, auth=session))
        return Preview(*_images.from_doc(doc))

    def _rescue_plan(self, elid: int, image: Image | str | UUID, password: str | None) -> Plan[Image]:
        _check_elid(elid)
        if password is not None:
            check_rescue_password(password)
        if isinstance(image, Image):
            chosen = image
        else:
            found = yield from self._preview_plan(elid)
            chosen = _images.choose(found.images, image, found.unusable)
        doc = yield _Step(f"the rescue of {elid}", rescue_instance, lambda session: self._rescue_form(elid, chosen, password, session))
        answers.ok(doc, self.shown_url)
        return chosen

    def _unrescue_plan(self, elid: int) -> Plan[None]:
        _check_elid(elid)
        doc = yield _Step(f"the unrescue of {elid}", unrescue_instance, lambda session: UnrescueForm(elid=elid, auth=session))
        answers.ok(doc, self.shown_url)

    def _instances_plan(self, looking_for: int | None = None) -> Plan[list[Instance]]:
        """Every instance of the account, page by page; it stops early once `looking_for` is found."""
        found: dict[int, Instance] = {}
        for number in range(1, MAX_PAGES + 1):
            doc = yield _Step(
                f"the instance list (page {number})",
                list_instances,
                lambda session, number=number: InstanceListForm(auth=session, p_cnt=PAGE_SIZE, p_num=number),  # type: ignore[misc]
            )
            page = page_from_doc(doc)
            new = [instance for instance in page.instances if instance.elid not in found]
            found.update((instance.elid, instance) for instance in new)
            # A server that ignores paging sends the same page again: nothing new ends the walk too.
            last = len(found) >= page.total if page.total is not None else len(page.instances) < PAGE_SIZE
            if looking_for in found or not new or last:
                break
        return list(found.values())

    def _status_plan(self, elid: int) -> Plan[Instance]:
        _check_elid(elid)
        listed = yield from self._instances_plan(looking_for=elid)
        for instance in listed:
            if instance.elid == elid:
                return instance
        raise InstanceNotFound(f"instance {elid} is not in the account's instance list: `zomro-rescue instances` lists those it has")

    def _wait_plan(
        self, elid: int, status: str | Iterable[str], timeout: float, interval: float, on_change: Callable[[Instance], object] | None
    ) -> Plan[Instance]:
        _check_elid(elid)
        wanted = _wanted(status)
        if not (isinstance(timeout, int | float) and 0 <= timeout < math.inf):
            raise ArgumentError(f"timeout={timeout!r}: give the seconds to wait in all, 0 or more")
        floor = MIN_INTERVAL if httpx.URL(self.base_url).host == httpx.URL(DEFAULT_URL).host else 0.0
        if not (isinstance(interval, int | float) and interval > 0 and floor <= interval < math.inf):
            at_least = f"{floor:g} or more against {DEFAULT_URL}, whose panel uses 10" if floor else "more than 0"
            raise ArgumentError(f"interval={interval!r}: give the seconds between two readings, {at_least}")
        started, paused = time.monotonic(), 0.0
        last: Instance | None = None
        busy_seen = cut_short = False
        while True:
            instance = yield from self._status_plan(elid)
            if on_change is not None and (last is None or instance.status != last.status):
                on_change(instance)
            last = instance
            if instance.status in wanted:
                return instance
            busy_seen = busy_seen or instance.busy
            # Its own pauses count too: where a test puts something else in time.sleep's place (the mock's
            # clock.advance, a no-op), the wait still ends at its timeout instead of never.
            waited = max(time.monotonic() - started, paused)
            why = _dead_end(instance, busy_seen)
            if why:
                raise WaitDeadEnd(elid, wanted, instance.status, waited, why)
            if cut_short or waited >= timeout:
                raise WaitTimeout(elid, wanted, instance.status, waited)
            # The last pause is cut short: one more reading at the timeout, which overshoots it by that call's time at most.
            cut_short = timeout - waited <= interval
            pause = min(interval, timeout - waited)
            paused += pause
            yield _Sleep(pause)

    def _retry_with_new_login(self, error: ApiError) -> bool:
        """An expired session, and credentials to get a new one: worth one new login, one retry."""
        return error.type == SESSION_ERROR and self.has_login


class RescueClient(_Base):
    """Synchronous client. Use it as a context manager, or call close()."""

    def __enter__(self) -> RescueClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.get_httpx_client().close()

    def _call(self, what: str, operation: ModuleType, body: Any) -> dict[str, Any]:
        with self._transport_errors(what), deadline.within(self.timeout):
            response = self._client.get_httpx_client().request(**self._request(operation, body))
        return answers.document(response, self.shown_url)

    def login(self) -> str:
        """Log in with the username and password; return (and keep) the new session id. LoginRefused when the server
        refuses them."""
        with self._secrets_hidden(), self._login_refused():
            self._session = answers.session(self._call("the login", log_in, self._login_form()), self.shown_url)
            return self._session

    def _send(self, step: _Step) -> dict[str, Any]:
        session = self._needs_session() or self.login()
        try:
            return self._call(step.what, step.operation, step.form(session))
        except ApiError as error:
            if not self._retry_with_new_login(error):
                raise
            return self._call(step.what, step.operation, step.form(self.login()))

    def _carry_out(self, plan: Plan[R], *secrets: str | None) -> R:
        with self._secrets_hidden(*secrets):
            try:
                step = next(plan)
                while True:
                    if isinstance(step, _Sleep):
                        time.sleep(step.seconds)
                        step = plan.send({})
                    else:
                        step = plan.send(self._send(step))
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    def preview(self, elid: int) -> Preview:
        """The instance's rescue images, with those the server lists but a rescue cannot name."""
        return self._carry_out(self._preview_plan(elid))

    def images(self, elid: int) -> list[Image]:
        """The images the instance can be rescued with, as the article's table lists them."""
        return self.preview(elid).images

    def rescue(self, elid: int, image: Image | str | UUID, password: str | None = None) -> Image:
        """Boot the instance from the image (an Image from images(), a UUID or an OS name); return it."""
        return self._carry_out(self._rescue_plan(elid, image, password), password)

    def unrescue(self, elid: int) -> None:
        """Leave rescue mode: boot the instance from its own disk again."""
        self._carry_out(self._unrescue_plan(elid))

    def instances(self) -> list[Instance]:
        """Every instance of the account, with its status."""
        return self._carry_out(self._instances_plan())

    def status(self, elid: int) -> Instance:
        """The instance as the list shows it now: poll it (every 10 s or more) until it is no longer `busy`, or use wait_for."""
        return self._carry_out(self._status_plan(elid))

    def wait_for(
        self,
        elid: int,
        status: str | Iterable[str],
        *,
        timeout: float = WAIT_TIMEOUT,
        interval: float = WAIT_INTERVAL,
        on_change: Callable[[Instance], object] | None = None,
    ) -> Instance:
        """List the instances every `interval` seconds until the instance's status is `status` (or one of several); return it.

        `on_change(instance)` is called with the first reading and again each time the status differs from the one
        before (an exception it raises ends the wait). `timeout` is the whole wait: the last pause is cut short and
        the status read once more at the timeout, so it is passed by one call's time at most; then WaitTimeout.

        It ends early, with WaitDeadEnd, when the status wanted cannot come without another action:
        - the status is in zomro_contract.statuses.HELD (`error`, `suspended`, `resized`, `booted_from_iso`), at any reading;
        - the status is settled (`rescued`, or in RESCUABLE: `active`, `stopped`) after a reading in which the
          instance was busy (BUSY: `rescuing`, `unrescuing`, ...): the action has ended, and not in a status wanted.
        A settled status before any busy reading is waited through: the list may show the old status a while after
        a rescue or unrescue is asked for. A status the contract does not know is waited through, as it advises.

        `interval` is more than 0 (tests use 0.05 s against fakes); against the provider's API no less than
        MIN_INTERVAL (1 s): its panel asks every 10 s, the default. An expired session is renewed as in every call;
        any other error of a reading (TransportError, InstanceNotFound, ...) ends the wait with it.
        """
        return self._carry_out(self._wait_plan(elid, status, timeout, interval, on_change))


class AsyncRescueClient(_Base):
    """Asynchronous client, the same calls as RescueClient awaited. Use `async with`, or await aclose()."""

    async def __aenter__(self) -> AsyncRescueClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.get_async_httpx_client().aclose()

    async def _call(self, what: str, operation: ModuleType, body: Any) -> dict[str, Any]:
        with self._transport_errors(what):
            async with asyncio.timeout(self.timeout):
                response = await self._client.get_async_httpx_client().request(**self._request(operation, body))
        return answers.document(response, self.shown_url)

    async def login(self) -> str:
        with self._secrets_hidden(), self._login_refused():
            self._session = answers.session(await self._call("the login", log_in, self._login_form()), self.shown_url)
            return self._session

    async def _send(self, step: _Step) -> dict[str, Any]:
        session = self._needs_session() or await self.login()
        try:
            return await self._call(step.what, step.operation, step.form(session))
        except ApiError as error:
            if not self._retry_with_new_login(error):
                raise
            return await self._call(step.what, step.operation, step.form(await self.login()))

    async def _carry_out(self, plan: Plan[R], *secrets: str | None) -> R:
        with self._secrets_hidden(*secrets):
            try:
                step = next(plan)
                while True:
                    if isinstance(step, _Sleep):
                        await asyncio.sleep(step.seconds)
                        step = plan.send({})
                    else:
                        step = plan.send(await self._send(step))
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    async def preview(self, elid: int) -> Preview:
        return await self._carry_out(self._preview_plan(elid))

    async def images(self, elid: int) -> list[Image]:
        return (await self.preview(elid)).images

    async def rescue(self, elid: int, image: Image | str | UUID, password: str | None = None) -> Image:
        return await self._carry_out(self._rescue_plan(elid, image, password), password)

    async def unrescue(self, elid: int) -> None:
        await self._carry_out(self._unrescue_plan(elid))

    async def instances(self) -> list[Instance]:
        return await self._carry_out(self._instances_plan())

    async def status(self, elid: int) -> Instance:
        return await self._carry_out(self._status_plan(elid))

    async def wait_for(
        self,
        elid: int,
        status: str | Iterable[str],
        *,
        timeout: float = WAIT_TIMEOUT,
        interval: float = WAIT_INTERVAL,
        on_change: Callable[[Instance], object] | None = None,
    ) -> Instance:
        """RescueClient.wait_for, pausing with asyncio.sleep; `on_change` is a plain function, called, not awaited."""
        return await self._carry_out(self._wait_plan(elid, status, timeout, interval, on_change))
