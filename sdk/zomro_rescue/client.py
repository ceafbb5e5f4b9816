"""RescueClient and AsyncRescueClient: the four operations, without BILLmanager's quirks.

Both take a base URL and either a session id or a username and password (the
login happens on the first call that needs it), each from the environment
when not passed: ZOMRO_API_URL, ZOMRO_AUTH, ZOMRO_USERNAME, ZOMRO_PASSWORD.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import UUID

import httpx
from zomro_rescue_client import Client
from zomro_rescue_client import errors as generated_errors
from zomro_rescue_client.api.rescue import preview_rescue_images, rescue_instance, unrescue_instance
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import (
    ErrorResult,
    LoginForm,
    LoginResult,
    OkResult,
    RescueForm,
    RescueFormZone,
    RescuePreview,
    RescuePreviewForm,
    UnrescueForm,
)

from . import images as _images
from .errors import ApiError, TransportError, ZomroRescueError
from .images import Image
from .passwords import check_rescue_password

# openapi.yaml's production server (tests/test_sdk.py keeps the two equal).
DEFAULT_URL = "https://api.zomro.com"
ENV_URL, ENV_AUTH, ENV_USERNAME, ENV_PASSWORD = "ZOMRO_API_URL", "ZOMRO_AUTH", "ZOMRO_USERNAME", "ZOMRO_PASSWORD"
# BILLmanager's `$type` for a missing or expired session: worth one new login when we hold credentials.
SESSION_ERROR = "access"

T = TypeVar("T")
_PARSE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)


def mask(secret: str | None) -> str:
    """A secret as it may be shown: never in full."""
    return "none" if not secret else f"<{len(secret)} characters, hidden>"


def _checked(result: object, expected: type[T]) -> T:
    if isinstance(result, ErrorResult):
        error = result.doc.error
        raise ApiError(error.type_, error.object_ or "", error.msg.text or "")
    if not isinstance(result, expected):
        raise TransportError(f"the server's answer is not a {expected.__name__} document: is the URL this API's?")
    return result


@contextmanager
def _transport_errors(base_url: str) -> Iterator[None]:
    """httpx's failures, and answers that are not this API's, as TransportError."""
    try:
        yield
    except httpx.HTTPError as exc:
        raise TransportError(f"cannot reach {base_url}: {exc or type(exc).__name__}") from None
    except generated_errors.UnexpectedStatus as exc:
        raise TransportError(f"{base_url} answered HTTP {exc.status_code}, which this API never sends") from None
    except _PARSE_ERRORS:
        raise TransportError(f"{base_url} answered something that is not this API's JSON") from None


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
        """`headers` go with every request: against the mock, `{"Prefer": "example=badSession"}` asks for an error."""
        self.base_url = (base_url or os.environ.get(ENV_URL) or DEFAULT_URL).rstrip("/")
        self._session = session or os.environ.get(ENV_AUTH) or None
        self.username = username or os.environ.get(ENV_USERNAME) or None
        self._password = password or os.environ.get(ENV_PASSWORD) or None
        self._client = Client(
            base_url=self.base_url,
            headers=dict(headers or {}),
            timeout=httpx.Timeout(timeout),
            raise_on_unexpected_status=True,
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, session={mask(self._session)}, "
            f"username={self.username!r}, password={mask(self._password)})"
        )

    @property
    def has_login(self) -> bool:
        return bool(self.username and self._password)

    def _login_form(self) -> LoginForm:
        if not self.has_login:
            raise ZomroRescueError(
                f"no credentials: set {ENV_AUTH} to a session id (from `zomro-rescue login --export`), "
                f"or {ENV_USERNAME} and {ENV_PASSWORD}; in Python, pass session= or username= and password="
            )
        assert self.username and self._password
        return LoginForm(username=self.username, password=self._password)

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


class RescueClient(_Base):
    """Synchronous client. Use it as a context manager, or call close()."""

    def __enter__(self) -> RescueClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.get_httpx_client().close()

    def _call(self, operation: Callable[..., object], body: Any) -> object:
        with _transport_errors(self.base_url):
            return operation(client=self._client, body=body)

    def login(self) -> str:
        """Log in with the username and password; return (and keep) the new session id."""
        result = _checked(self._call(log_in.sync, self._login_form()), LoginResult)
        self._session = result.doc.auth.id
        return self._session

    def _with_session(self, call: Callable[[str], T]) -> T:
        session = self._needs_session() or self.login()
        try:
            return call(session)
        except ApiError as error:
            if error.type != SESSION_ERROR or not self.has_login:
                raise
            return call(self.login())  # the session expired: one new login, one retry

    def images(self, elid: int) -> list[Image]:
        """The images the instance can be rescued with, as the article's table lists them."""

        def call(session: str) -> list[Image]:
            preview = self._call(preview_rescue_images.sync, RescuePreviewForm(elid=elid, auth=session))
            return _images.from_preview(_checked(preview, RescuePreview))

        return self._with_session(call)

    def rescue(self, elid: int, image: Image | str | UUID, password: str | None = None) -> Image:
        """Boot the instance from the image (an Image from images(), a UUID or an OS name); return it."""
        if password is not None:
            check_rescue_password(password)
        chosen = image if isinstance(image, Image) else _images.choose(self.images(elid), image)

        def call(session: str) -> Image:
            _checked(self._call(rescue_instance.sync, self._rescue_form(elid, chosen, password, session)), OkResult)
            return chosen

        return self._with_session(call)

    def unrescue(self, elid: int) -> None:
        """Leave rescue mode: boot the instance from its own disk again."""

        def call(session: str) -> None:
            _checked(self._call(unrescue_instance.sync, UnrescueForm(elid=elid, auth=session)), OkResult)

        self._with_session(call)


class AsyncRescueClient(_Base):
    """Asynchronous client, the same calls as RescueClient awaited. Use `async with`, or await aclose()."""

    async def __aenter__(self) -> AsyncRescueClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.get_async_httpx_client().aclose()

    async def _call(self, operation: Callable[..., Awaitable[object]], body: Any) -> object:
        with _transport_errors(self.base_url):
            return await operation(client=self._client, body=body)

    async def login(self) -> str:
        result = _checked(await self._call(log_in.asyncio, self._login_form()), LoginResult)
        self._session = result.doc.auth.id
        return self._session

    async def _with_session(self, call: Callable[[str], Awaitable[T]]) -> T:
        session = self._needs_session() or await self.login()
        try:
            return await call(session)
        except ApiError as error:
            if error.type != SESSION_ERROR or not self.has_login:
                raise
            return await call(await self.login())

    async def images(self, elid: int) -> list[Image]:
        async def call(session: str) -> list[Image]:
            preview = await self._call(preview_rescue_images.asyncio, RescuePreviewForm(elid=elid, auth=session))
            return _images.from_preview(_checked(preview, RescuePreview))

        return await self._with_session(call)

    async def rescue(self, elid: int, image: Image | str | UUID, password: str | None = None) -> Image:
        if password is not None:
            check_rescue_password(password)
        chosen = image if isinstance(image, Image) else _images.choose(await self.images(elid), image)

        async def call(session: str) -> Image:
            form = self._rescue_form(elid, chosen, password, session)
            _checked(await self._call(rescue_instance.asyncio, form), OkResult)
            return chosen

        return await self._with_session(call)

    async def unrescue(self, elid: int) -> None:
        async def call(session: str) -> None:
            _checked(await self._call(unrescue_instance.asyncio, UnrescueForm(elid=elid, auth=session)), OkResult)

        await self._with_session(call)
