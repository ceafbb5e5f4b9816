"""The mock's application: find the operation a request selects, let the emulator decide and Prism answer it.

Prism routes by path only, and every request of this API is `POST /`. The
router reads `func` (and whether `sok` is given) from the request, checks the
form against the contract, asks the emulator (the world) for the answer, and
forwards the fields as multipart to the operation's path key on Prism when
that answer is one of the contract's named examples. Every rejection, Prism's,
the server's or its own, becomes the error document the real server sends.
Under `/_mock/` it serves the control API instead.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from typing import Any

from zomro_contract.operations import CONFIRM, FUNC, Catalogue, Operation

from . import forms, prefer
from .control import PREFIX, Control, problem
from .cors import Cors
from .emulator import Emulator, Outcome, elid_of
from .errors import MISSED, MOCK, VALUE, Rejection, from_prism
from .form_check import FormCheck
from .prism_client import PrismClient, PrismUnavailable
from .redact import describe, near_miss, shorten
from .server import Request, Response

log = logging.getLogger("zomro_mock")

JSON = [("Content-Type", "application/json")]
MAX_NAMED = 5  # unknown fields named in an error; the rest are counted
CONTROL_BODY = 16 * 1024 * 1024  # a world of 10,000 instances or more, loaded with PUT /_mock/world
# An integer field is written in decimal digits, as the article writes `elid`: Prism would also take
# " 5203773", "5203773\n" or "5203773.0", which nothing says the real server does.
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)", re.ASCII)


def _did_you_mean(name: str, fields: frozenset[str]) -> str:
    close = near_miss(name, fields)
    return f" (did you mean {close!r}?)" if close else ""


class Router:
    def __init__(
        self,
        catalogue: Catalogue,
        prism: PrismClient,
        log_requests: bool,
        cors: Cors | None = None,
        emulator: Emulator | None = None,
        form_check: FormCheck | None = None,
    ) -> None:
        """Without an emulator the mock is stateless: every valid request gets its first example, or the one `Prefer` names."""
        self.catalogue = catalogue
        self.prism = prism
        self.log_requests = log_requests
        self.cors = cors or Cors.parse("*")
        self.public_fields = catalogue.public_fields
        self.known_fields = catalogue.all_fields
        self.boundary = uuid.uuid4().hex
        self.emulator = emulator
        self.form_check = form_check
        self.control = Control(emulator) if emulator is not None else None

    # -- the server's questions (server.App) ---------------------------------------------------
    def screen(self, head: Request) -> Response | None:
        if Cors.is_preflight(head.method, head.headers) or self._is_control(head):
            return None
        refused = self._wrong_path(head) or forms.unsupported(head)
        return self._rejected(head, {}, None, refused) if refused else None

    def body_limit(self, head: Request, default: int) -> int:
        return CONTROL_BODY if self._is_control(head) else default

    def _is_control(self, head: Request) -> bool:
        return self.control is not None and head.path.startswith(PREFIX)

    def refuse(self, head: Request, where: str, reason: str, status: int) -> Response:
        if self.control is not None and self._is_control(head):
            return self._control_answer(head, problem(status, f"{where}: {reason}"))
        return self._rejected(head, {}, None, Rejection(VALUE, where, reason))

    def fault(self, request: Request) -> Response:
        message = "the mock failed on this request; its log has the traceback: please report it"
        if self.control is not None and self._is_control(request):
            return self._control_answer(request, problem(500, message))
        return self._answer(request, Rejection(MOCK, "", message).document())

    def unanswered(self, request: Request) -> Response:
        if self.control is not None and self._is_control(request):
            return self._control_answer(request, problem(503, "the mock stopped before it could answer: send it again to a running mock"))
        stopped = Rejection(MOCK, "", "the mock stopped before its Prism answered this request: send it again to a running mock")
        return self._rejected(request, {}, None, stopped)

    def _control_answer(self, request: Request, answer: Response) -> Response:
        answer.headers.extend(self.cors.headers(request.headers))
        return answer

    async def handle(self, request: Request) -> Response:
        if Cors.is_preflight(request.method, request.headers):
            return Response(status=204, headers=self.cors.preflight(request.headers))
        if self.control is not None and self._is_control(request):
            return self._control_answer(request, await self.control.handle(request))
        fields: dict[str, str] = {}
        operation: Operation | None = None
        try:
            # screen() has already refused a wrong path, method or content type, from the head.
            fields = forms.read(request)
            operation = self._select(fields)
            example = prefer.example_name(request.headers.get("prefer"), operation.operation_id, operation.examples)
            if self.emulator is None or example is not None:
                body = await self._forward(operation, fields, example)
                self._record(operation, fields, self._example(operation, example or operation.examples[0]))
            else:
                emulated = await self._emulate(self.emulator, operation, fields)
                if emulated is None:
                    self._log(request, fields, operation, "dropped (a fault)", warn=False)
                    return Response(drop=True)
                body = emulated
        except Rejection as rejection:
            return self._rejected(request, fields, operation, rejection)
        self._log(request, fields, operation, "answered", warn=False)
        return self._answer(request, body)

    async def _emulate(self, emulator: Emulator, operation: Operation, fields: dict[str, str]) -> bytes | None:
        """The world's answer to a valid request, or a fault's; None to drop the connection."""
        assert self.form_check is not None
        self.form_check.check(operation, fields)
        fault = emulator.take_fault(operation.operation_id, elid_of(fields))
        if fault is not None and fault.drop:
            self._record(operation, fields, {"kind": "fault", "fault": "drop"})
            return None
        if fault is not None and fault.error is not None:
            body = await self._forward(operation, fields, fault.error)
            self._record(operation, fields, self._example(operation, fault.error) | {"kind": "fault", "fault": f"error {fault.error}"})
            return body
        if fault is not None and fault.delay_ms is not None:
            await asyncio.sleep(fault.delay_ms / 1000)
        outcome: Outcome = emulator.answer(operation.operation_id, fields)
        answer: dict[str, Any] = {"kind": "document"} if outcome.document is not None else {"kind": "example", "example": outcome.example}
        if outcome.error is not None:
            answer["error"] = {"type": outcome.error[0], "object": outcome.error[1]}
        if fault is not None:
            answer["fault"] = f"delay {fault.delay_ms} ms"
        # Recorded before Prism is asked: the world has already moved, whatever comes back.
        self._record(operation, fields, answer)
        return outcome.document if outcome.document is not None else await self._forward(operation, fields, outcome.example)

    def _example(self, operation: Operation, name: str) -> dict[str, Any]:
        """A named example as the journal shows the answer: with its error's `$type` and `$object` when it is one."""
        answer: dict[str, Any] = {"kind": "example", "example": name}
        error = self.emulator.error_examples.get(operation.operation_id, {}).get(name) if self.emulator else None
        if error is not None:
            answer["error"] = {"type": error[0], "object": error[1]}
        return answer

    def _safe_object(self, rejection: Rejection) -> str:
        """What a rejection concerns, for the journal: a name the client made up is not repeated there."""
        named = rejection.object_
        if not rejection.discreet or named in self.known_fields or named == prefer.HEADER or near_miss(named, self.known_fields):
            return named
        return f"(a name of {len(named)} characters)"

    def _record(self, operation: Operation | None, fields: dict[str, str], answer: dict[str, Any]) -> None:
        if self.emulator is not None:
            self.emulator.record(operation.operation_id if operation else "-", fields, answer)

    # -- what a request means ---------------------------------------------------------------------
    @staticmethod
    def _wrong_path(request: Request) -> Rejection | None:
        if request.path == "/":
            return None
        # The path is not echoed: a client may have put anything in it.
        return Rejection(
            VALUE,
            "path",
            "this API has one URL, `/`; this request has another path (in the contract's path keys, what follows `#` is never sent)",
        )

    def _select(self, fields: dict[str, str]) -> Operation:
        func = fields.get(FUNC)
        if not func:
            raise Rejection(MISSED, FUNC, f"no `{FUNC}` field: name the function, one of {', '.join(self.catalogue.funcs)}")
        operation = self.catalogue.select(func, bool(fields.get(CONFIRM)))
        if operation is None:
            raise Rejection(VALUE, FUNC, f"unknown function {shorten(func)!r}; this API has {', '.join(self.catalogue.funcs)}")
        unknown = sorted(set(fields) - operation.fields)
        if unknown:
            # Prism does not enforce additionalProperties: false in a form, so the router does.
            raise self._unknown_fields(operation, unknown)
        for name, limit in operation.max_lengths.items():
            # Checked here too, not only by Prism: Prism serves every client, and a long value costs it most.
            if len(fields.get(name, "")) > limit:
                raise Rejection(VALUE, name, f"field {name!r} has {len(fields[name])} characters; at most {limit} are allowed")
        for name in sorted(operation.integer_fields & set(fields)):
            if not _INTEGER.fullmatch(fields[name]):
                raise Rejection(VALUE, name, f"field {name!r} must be an integer in decimal digits (no spaces, sign or fraction)")
        return operation

    def _unknown_fields(self, operation: Operation, unknown: list[str]) -> Rejection:
        def named(names: list[str]) -> str:
            return ", ".join(f"{shorten(name)!r}{_did_you_mean(name, operation.fields)}" for name in names[:MAX_NAMED])

        plural = "s" if len(unknown) > 1 else ""
        more = f" and {len(unknown) - MAX_NAMED} more" if len(unknown) > MAX_NAMED else ""
        # The log names only near misses of the operation's own fields (typos): any other name may hold anything.
        typos = [name for name in unknown if _did_you_mean(name, operation.fields)]
        unnamed = len(unknown) - len(typos[:MAX_NAMED])
        logged = f"{len(unknown)} unknown field{plural} for {operation.operation_id}" + (f": {named(typos)}" if typos else "")
        logged += f"; {unnamed} not named here (a name may hold anything)" if unnamed else ""
        return Rejection(
            VALUE,
            shorten(unknown[0]),
            f"unknown field{plural} {named(unknown)}{more} for {operation.operation_id}; its fields are {', '.join(sorted(operation.fields))}",
            logged=logged,
        )

    def _multipart(self, fields: dict[str, str]) -> bytes:
        # Prism 5.16 runs decodeURIComponent over multipart values too (decodeUriEntities in its
        # body validator): a username holding "%0e" would be validated as a control character.
        # Escaping each "%" makes its decoding give back the value as sent.
        parts = [
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value.replace("%", "%25")}\r\n'
            for name, value in fields.items()
        ]
        return ("".join(parts) + f"--{self.boundary}--\r\n").encode()

    async def _forward(self, operation: Operation, fields: dict[str, str], example: str | None) -> bytes:
        headers = {"Content-Type": f"multipart/form-data; boundary={self.boundary}", "Accept": "application/json"}
        if example is not None:
            headers[prefer.HEADER] = f"{prefer.EXAMPLE}={example}"
        try:
            status, body = await self.prism.post(operation.prism_path, self._multipart(fields), headers)
        except PrismUnavailable as exc:
            raise Rejection(MOCK, "", f"the mock's Prism did not answer: {exc}") from None
        if status == 200:
            return body
        try:
            problem = json.loads(body)
        except ValueError:
            problem = {"detail": body[:200].decode(errors="replace")}
        raise from_prism(status, problem if isinstance(problem, dict) else {}, operation.operation_id, operation.examples)

    # -- answers and the log ------------------------------------------------------------------------
    def _answer(self, request: Request, body: bytes) -> Response:
        return Response(body=body, headers=[*JSON, *self.cors.headers(request.headers)])

    def _rejected(self, request: Request, fields: dict[str, str], operation: Operation | None, rejection: Rejection) -> Response:
        # Every request refused, from its head (a wrong path, method or type) or its form, is in the journal too.
        self._record(operation, fields, {"kind": "error", "error": {"type": rejection.type_, "object": self._safe_object(rejection)}})
        self._log(request, fields, operation, f"error {rejection.type_} {rejection.logged}", warn=True)
        return self._answer(request, rejection.document())

    def _log(self, request: Request, fields: dict[str, str], operation: Operation | None, outcome: str, warn: bool) -> None:
        if warn or self.log_requests:
            name = operation.operation_id if operation else "-"
            method, path = request.method, request.path
            # Only `/` is logged as sent: any other path may hold anything.
            log.log(
                logging.WARNING if warn else logging.INFO,
                "%s %s %s %s [%s] -> %s",
                request.peer,
                method if method in ("GET", "POST", "OPTIONS", "HEAD", "PUT", "DELETE", "PATCH") else "(other method)",
                path if path in ("/", "") else "(another path)",
                name,
                describe(fields, self.public_fields, self.known_fields),
                outcome,
            )
