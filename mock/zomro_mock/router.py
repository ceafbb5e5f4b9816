"""The public side of the mock: find the operation a request selects, let Prism answer it.

Prism routes by path only, and every request of this API is `POST /`. The
router reads `func` (and whether `sok` is given) from the request, forwards
the fields as multipart to the operation's path key on Prism, and turns every
rejection, Prism's or its own, into the error document the real server sends.
"""

from __future__ import annotations

import json
import logging
import uuid

import aiohttp
from aiohttp import web

from . import forms
from .errors import MISSED, MOCK, VALUE, Rejection, from_prism
from .operations import CONFIRM, FUNC, Catalogue, Operation
from .redact import describe

log = logging.getLogger("zomro_mock")

JSON = "application/json"
# Headers a client may send to steer Prism (`Prefer: example=badSession`).
FORWARDED_HEADERS = ("Prefer",)


class Router:
    def __init__(self, catalogue: Catalogue, prism_url: str, log_requests: bool) -> None:
        self.catalogue = catalogue
        self.prism_url = prism_url
        self.log_requests = log_requests
        self.public_fields = catalogue.public_fields
        self.boundary = uuid.uuid4().hex
        self.session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        # One pooled, keep-alive session to Prism: a new connection per request costs most of the throughput.
        connector = aiohttp.TCPConnector(limit=256, limit_per_host=256, keepalive_timeout=60, ttl_dns_cache=None)
        self.session = aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30), auto_decompress=False)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        fields: dict[str, str] = {}
        operation: Operation | None = None
        try:
            if request.path != "/":
                raise Rejection(
                    VALUE,
                    "path",
                    f"this API has one URL, `/`; got {request.path!r} (in the contract's path keys, what follows `#` is never sent)",
                )
            fields = await forms.read(request)
            operation = self._select(fields)
            body = await self._forward(operation, fields, request)
        except Rejection as rejection:
            self._log(request, fields, operation, f"error {rejection.type_} {rejection.object_}: {rejection.message}", warn=True)
            return web.Response(body=rejection.document(), content_type=JSON)
        except Exception:  # a bug of the mock: still the error document, never a bare 500
            log.exception("the mock failed on %s %s", request.method, request.path)
            failure = Rejection(MOCK, "", "the mock failed on this request; its log has the traceback: please report it")
            return web.Response(body=failure.document(), content_type=JSON)
        self._log(request, fields, operation, "answered", warn=False)
        return web.Response(body=body, content_type=JSON)

    def _select(self, fields: dict[str, str]) -> Operation:
        func = fields.get(FUNC)
        if not func:
            raise Rejection(MISSED, FUNC, f"no `{FUNC}` field: name the function, one of {', '.join(self.catalogue.funcs)}")
        operation = self.catalogue.select(func, bool(fields.get(CONFIRM)))
        if operation is None:
            raise Rejection(VALUE, FUNC, f"unknown function {func!r}; this API has {', '.join(self.catalogue.funcs)}")
        unknown = sorted(set(fields) - operation.fields)
        if unknown:
            # Prism does not enforce additionalProperties: false in a form, so the router does.
            raise Rejection(
                VALUE,
                unknown[0],
                f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} for {operation.operation_id}; "
                f"its fields are {', '.join(sorted(operation.fields))}",
            )
        return operation

    def _multipart(self, fields: dict[str, str]) -> bytes:
        # Prism 5.16 runs decodeURIComponent over multipart values too (decodeUriEntities in its
        # body validator): a username holding "%0e" would be validated as a control character.
        # Escaping each "%" makes its decoding give back the value as sent.
        parts = [
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value.replace("%", "%25")}\r\n'
            for name, value in fields.items()
        ]
        return ("".join(parts) + f"--{self.boundary}--\r\n").encode()

    async def _forward(self, operation: Operation, fields: dict[str, str], request: web.BaseRequest) -> bytes:
        assert self.session is not None
        headers = {"Content-Type": f"multipart/form-data; boundary={self.boundary}", "Accept": JSON}
        for name in FORWARDED_HEADERS:
            if name in request.headers:
                headers[name] = request.headers[name]
        try:
            async with self.session.post(self.prism_url + operation.prism_path, data=self._multipart(fields), headers=headers) as answer:
                body = await answer.read()
                status = answer.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Rejection(MOCK, "", f"the mock's Prism did not answer ({exc or type(exc).__name__})") from None
        if status == 200:
            return body
        try:
            problem = json.loads(body)
        except ValueError:
            problem = {"detail": body[:200].decode(errors="replace")}
        raise from_prism(status, problem if isinstance(problem, dict) else {}, operation.operation_id, operation.examples)

    def _log(self, request: web.BaseRequest, fields: dict[str, str], operation: Operation | None, outcome: str, warn: bool) -> None:
        if warn or self.log_requests:
            name = operation.operation_id if operation else "-"
            log.log(
                logging.WARNING if warn else logging.INFO,
                "%s %s %s [%s] -> %s",
                request.method,
                request.path,
                name,
                describe(fields, self.public_fields),
                outcome,
            )
