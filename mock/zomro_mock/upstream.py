"""The proxy's way to the real server (`--upstream URL`): a request sent on as it came, its answer brought back whole.

httpx, not a client of our own (prism_client.py is ours, for the one loopback
peer the mock starts itself): the upstream is a server on the internet, behind
TLS and its certificates, maybe behind a proxy named in the environment, with
whatever HTTP its front speaks. A well-kept client gets all of that right;
httpx is the SDK's client already, and locked.

As a gateway must (RFC 9110, 7.6): the hop-by-hop headers go no further, either
way (`Connection` and every header it names, `Keep-Alive`, `Proxy-Connection`,
`TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`), nor `Proxy-Authorization`,
which is for a proxy, never for the origin; `Host` becomes the upstream's, and
`Via` says the request came through the mock. The mock's server has read the
body whole, so its framing (`Content-Length`, `Expect: 100-continue`) is made
again here. The answer comes back with its status, its end-to-end headers and
its body byte for byte, still encoded when the upstream encoded it (the
request's `Accept-Encoding` is the client's own); `decoded` is what the checks read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from .server import Request

# RFC 9110 7.6.1, and the obsolete ones still sent; plus what the mock's own framing replaces.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"})
_REQUEST_ONLY = frozenset({"host", "content-length", "expect", "proxy-authorization"})
_ANSWER_ONLY = frozenset({"content-length"})  # the mock's server writes its own, for the same body
# An answer of the API is a few kilobytes (a page of 100 instances, some tens): this bounds a wrong upstream.
MAX_ANSWER = 16 * 1024 * 1024
_PIECE = 16 * 1024  # a compressed answer is decoded this much at a time, so that a small bomb stops at the bound
VIA = "zomro-rescue-mock"
# The URL goes into every error document a failure makes, whose text the contract bounds (4096 characters).
MAX_URL = 1000


class UpstreamFailure(Exception):
    """No answer to pass back: the upstream could not be reached, was too slow, or sent what HTTP cannot carry.

    The message says why in a few words: never a request byte, never the URL's password."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: list[tuple[str, str]]  # end to end, as they are to be passed back
    body: bytes  # as the upstream sent it
    decoded: bytes  # its Content-Encoding undone, for the checks; the body itself when it cannot be undone
    content_type: str


def _named_by_connection(value: str) -> set[str]:
    return {token.strip().lower() for token in value.split(",") if token.strip()}


def request_headers(headers: dict[str, str], version: str) -> list[tuple[str, str]]:
    """A request's headers as they go on: hop-by-hop ones left out, Via added (the server gives them lower-cased)."""
    dropped = HOP_BY_HOP | _REQUEST_ONLY | _named_by_connection(headers.get("connection", ""))
    kept = [(name, value) for name, value in headers.items() if name not in dropped and name != "via"]
    via = f"{version} {VIA}"
    kept.append(("via", f"{headers['via']}, {via}" if headers.get("via") else via))
    return kept


def answer_headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    """An answer's headers as they go back: every one but the hop-by-hop ones, in their order, repeats kept."""
    dropped = HOP_BY_HOP | _ANSWER_ONLY | _named_by_connection(", ".join(headers.get_list("connection")))
    raw = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers.raw]  # as sent, names' case too
    return [(name, value) for name, value in raw if name.lower() not in dropped]


def shown_url(url: httpx.URL) -> str:
    """The URL as logs and messages show it: its password masked."""
    return str(url.copy_with(password="***")) if url.password else str(url)


def check_url(text: str) -> httpx.URL:
    """The upstream's base URL, or ValueError saying what to give instead."""
    if len(text) > MAX_URL:
        raise ValueError(f"a URL of {len(text)} characters: give the API's base URL, at most {MAX_URL}, such as https://api.zomro.com")
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ValueError("not a URL: give the API's base URL, such as https://api.zomro.com") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("give an http:// or https:// URL that names a host, such as https://api.zomro.com")
    if url.query or url.fragment:
        raise ValueError("give the API's base URL without a query or a fragment: each request's own is sent on")
    return url


class _Pieces(httpx.SyncByteStream):
    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.body), _PIECE):
            yield self.body[start : start + _PIECE]


def _decoded(status: int, headers: httpx.Headers, body: bytes) -> bytes:
    """The body with its Content-Encoding undone, within MAX_ANSWER; the body as it is when it cannot be undone."""
    if not headers.get("content-encoding"):
        return body
    decoded = bytearray()
    try:
        for piece in httpx.Response(status, headers=headers, stream=_Pieces(body)).iter_bytes():
            decoded += piece
            if len(decoded) > MAX_ANSWER:
                raise UpstreamFailure(f"the upstream's answer decodes to more than {MAX_ANSWER // (1024 * 1024)} MiB")
    except httpx.DecodingError:
        return body  # not JSON, as the checks will say
    return bytes(decoded)


def _detail(exc: BaseException) -> str:
    """An exception of the transport in a few words: its first line, short (it may quote the upstream's bytes)."""
    text = (str(exc).splitlines() or [""])[0][:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Upstream:
    """The real server (or any server that speaks its API), at `url`; each exchange bounded by `timeout` seconds in all."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = check_url(url)
        self.shown = shown_url(self.url)
        self.timeout = timeout
        # Redirects are passed back, not followed: the client asked this URL. No connection is kept past the exchange's
        # deadline, and the pool is httpx's own (keep-alive to the upstream saves a TLS handshake per request).
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=False)
        self._base = str(self.url).rstrip("/")

    async def close(self) -> None:
        await self._client.aclose()

    def target(self, request: Request) -> str:
        """Where the request goes: the base URL's path, then the request's own path and query, as received."""
        return self._base + request.target

    async def exchange(self, request: Request) -> Reply:
        """Send the request on and read the whole answer; UpstreamFailure when there is no answer to pass back."""
        # Headers as bytes, as they came (the server read them as latin-1): httpx would encode text as ASCII only.
        headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in request_headers(request.headers, request.version)]
        try:
            sent = httpx.Request(
                request.method,
                self.target(request),
                headers=headers,
                content=request.body if request.body or request.method != "GET" else None,
            )
        except (httpx.InvalidURL, ValueError) as exc:  # the server has taken the target; httpx may still not
            raise UpstreamFailure(f"the request's target cannot be sent on to {self.shown} ({type(exc).__name__})") from None
        try:
            async with asyncio.timeout(self.timeout):
                return await self._read(sent)
        except (TimeoutError, httpx.TimeoutException):
            raise UpstreamFailure(
                f"{self.shown} gave no whole answer within {self.timeout:g} s: try again, or allow more with --upstream-timeout"
            ) from None
        except httpx.ConnectError as exc:
            raise UpstreamFailure(f"{self.shown} could not be reached ({_detail(exc)}): check --upstream and the network") from None
        except httpx.RemoteProtocolError as exc:
            raise UpstreamFailure(f"{self.shown} did not send a whole HTTP answer ({_detail(exc)}): try again") from None
        except httpx.HTTPError as exc:
            raise UpstreamFailure(f"{self.shown} could not be asked ({_detail(exc)})") from None

    async def _read(self, sent: httpx.Request) -> Reply:
        response = await self._client.send(sent, stream=True)
        try:
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > MAX_ANSWER:
                    raise UpstreamFailure(f"{self.shown} answered more than {MAX_ANSWER // (1024 * 1024)} MiB")
        finally:
            await response.aclose()
        raw = bytes(body)
        return Reply(
            status=response.status_code,
            headers=answer_headers(response.headers),
            body=raw,
            decoded=_decoded(response.status_code, response.headers, raw),
            content_type=response.headers.get("content-type", ""),
        )
