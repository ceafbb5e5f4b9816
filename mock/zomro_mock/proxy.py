"""`zomro-rescue-mock --upstream URL`: the mock in front of the real server, checking every real exchange.

Each request of the emulated API goes on to the upstream as it came
(upstream.py), and its answer comes back unchanged. Around the exchange, the
request is checked as the emulated server checks it (request_check,
form_check), and the answer as `zomro-rescue probe` checks one
(zomro_contract.checks); what breaks the contract is counted, logged once per
kind (drift.py) and listed in the journal entry's `drift`. A request the
contract does not allow is sent on all the same: what the real server makes of
it is what the proxy is for.

A client of the mock is written against the contract, so it always gets an
answer the contract describes: when there is no answer of the API's to pass
back (the upstream down, too slow, or answering with another status than 200,
or with something that is not JSON, such as an HTML page), it gets the error
document, of `$type` `upstream`, saying why; the journal says it too.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from zomro_contract.checks import Checked, Finding, check_answer, hide, read_answer
from zomro_contract.operations import Catalogue, Operation, load
from zomro_contract.schemas import Schemas

from . import drift, forms, request_check
from .errors import UPSTREAM, Rejection
from .form_check import FormCheck
from .journal import Journal
from .redact import near_miss, request_line
from .server import Request, Response
from .upstream import Upstream, UpstreamFailure

log = logging.getLogger("zomro_mock")

_MADE_UP = 4  # the shortest name or value a client made up that is masked where a server echoes it
# Answers larger than this are checked in a thread: jsonschema is pure Python, and the loop serves everyone.
_INLINE = 64 * 1024


class Proxy:
    def __init__(
        self, catalogue: Catalogue, form_check: FormCheck, schemas: Schemas, upstream: Upstream, journal: Journal, log_requests: bool
    ) -> None:
        self.catalogue = catalogue
        self.form_check = form_check
        self.schemas = schemas
        self.upstream = upstream
        self.journal = journal
        self.log_requests = log_requests
        self.tally = drift.Tally(upstream.shown)
        self.secret_fields = frozenset().union(*(op.secret_fields for op in catalogue.by_selector.values()))

    # -- for the control API ------------------------------------------------------------------
    def reset(self) -> dict[str, Any]:
        """The journal emptied (the run's tally stays: the summary is the whole run's); the state after it."""
        self.journal.restart()
        return self.state()

    def state(self) -> dict[str, Any]:
        """The control API's `ProxyState`."""
        tally = self.tally
        return {
            "upstream": self.upstream.shown,
            "requests": tally.requests,
            "unanswered": tally.unanswered,
            "refused": tally.refused,
            "breaches": tally.counts(),
        }

    # -- the exchange ---------------------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        self.tally.requests += 1
        fields: dict[str, str] = {}
        try:
            fields = forms.read(request)
            breach = self._request_breach(fields)
        except Rejection as unreadable:  # a form the server may still read: it is sent on, as received
            breach = self._breach(unreadable)
        operation = request_check.selected(self.catalogue, fields)
        name = operation.operation_id if operation else "-"
        secrets = self._secrets(fields)
        found = [breach] if breach else []  # ours, naming fields and rules only: nothing of the request's to mask
        try:
            reply = await self.upstream.exchange(request)
        except UpstreamFailure as failure:
            self.tally.unanswered += 1
            return self._instead(request, fields, name, found, hide(str(failure), secrets), {})
        data, wrong = read_answer(reply.status, reply.content_type, reply.decoded)
        if wrong is not None:
            found.append(wrong)
            reason = f"{self.upstream.shown} answered {wrong.explanation}; is --upstream this API's URL?"
            return self._instead(request, fields, name, found, reason, {"status": reply.status})
        checked = await self._check(data, operation, len(reply.decoded))
        # The answer's findings quote the server, which may echo what it was sent, or carry a session of its own.
        found += drift.masked(checked.findings, secrets | checked.secrets)
        answer: dict[str, Any] = {"kind": "upstream", "status": reply.status}
        error = data.get("doc", {}).get("error") if isinstance(data, dict) and isinstance(data.get("doc"), dict) else None
        if isinstance(error, dict):
            type_, object_ = (hide(_text(error.get(key)), secrets | checked.secrets) for key in ("$type", "$object"))
            answer["error"] = {"type": type_, "object": self._object_shown(object_, fields)}
        self._record(name, fields, answer, found)
        self._log(request, fields, name, f"HTTP {reply.status} from the upstream{_drift_said(found)}", warn=False)
        return Response(body=reply.body, status=reply.status, headers=reply.headers)

    def _request_breach(self, fields: dict[str, str]) -> Finding | None:
        """What in the request breaks the contract, as the emulated server would refuse it; None when nothing does."""
        try:
            operation = request_check.select(self.catalogue, fields)
            self.form_check.check(operation, fields)
        except Rejection as rejection:
            return self._breach(rejection)
        return None

    def _breach(self, rejection: Rejection) -> Finding:
        """A rejection as a breach: the field it names (a name the client made up only when it is a typo), never a value."""
        named = rejection.object_
        if rejection.discreet and named not in self.catalogue.all_fields and not near_miss(named, self.catalogue.all_fields):
            named = f"(a name of {len(named)} characters)"
        return drift.request_breach(named, rejection.logged if rejection.discreet else rejection.message)

    def _secrets(self, fields: dict[str, str]) -> set[str]:
        """What the request holds that a server might echo and no log may show: the values of secret fields (an
        `authinfo`'s password too), and what the client made up, names and values, which may hold anything. A short
        made-up piece is left alone: masked, every `1` of every finding would be asterisks."""
        known = self.catalogue.all_fields
        found = {value for name, value in fields.items() if name in self.secret_fields and value}
        found |= {value.partition(":")[2] for name, value in fields.items() if name == "authinfo" and ":" in value}
        made_up = [(name, value) for name, value in fields.items() if name not in known]
        found |= {value for _, value in made_up if len(value) >= _MADE_UP}
        found |= {name for name, _ in made_up if len(name) >= _MADE_UP and not near_miss(name, known)}
        return found - {""}

    def _object_shown(self, named: str, fields: dict[str, str]) -> str:
        """The error's `$object` as the journal shows it: a field name the client made up is not repeated, as the
        emulated server's journal does not repeat one."""
        known = self.catalogue.all_fields
        if named in fields and named not in known and not near_miss(named, known):
            return f"(a name of {len(named)} characters)"
        return named

    async def _check(self, data: Any, operation: Operation | None, size: int) -> Checked:
        if operation is None:  # no operation to hold it to: the request's own breach says why
            return Checked([], False, frozenset())
        if size <= _INLINE:
            return check_answer(data, operation.operation_id, self.schemas)
        return await asyncio.to_thread(check_answer, data, operation.operation_id, self.schemas)

    def _instead(
        self,
        request: Request,
        fields: dict[str, str],
        name: str,
        found: list[Finding],
        reason: str,
        answer: dict[str, Any],
    ) -> Response:
        """The error document in place of an answer the API would not send (or of none), the journal saying why."""
        rejection = Rejection(UPSTREAM, "", f"the mock, a proxy, has no answer of the real server's to pass on: {reason}")
        self._record(name, fields, {"kind": "error", "error": {"type": UPSTREAM, "object": ""}, **answer, "reason": reason}, found)
        self._log(request, fields, name, f"error {UPSTREAM}: {reason}{_drift_said(found)}", warn=True)
        return Response(body=rejection.document(), headers=[("Content-Type", "application/json")])

    def stopped(self, request: Request) -> Response:
        """The answer to a request still with the upstream when the mock had to stop: it may have been done there."""
        self.tally.unanswered += 1
        try:
            fields = forms.read(request)
        except Rejection:
            fields = {}
        operation = request_check.selected(self.catalogue, fields)
        reason = f"the mock stopped before {self.upstream.shown} answered: the request may have been done; check before sending it again"
        return self._instead(request, fields, operation.operation_id if operation else "-", [], reason, {})

    def refused(self, operation: Operation | None, fields: dict[str, str], answer: dict[str, Any], rejection: Rejection | None) -> None:
        """A request the mock answered itself, before anything was sent (another path, method or type; a limit broken;
        a stop): in the journal too, the request's breach with it."""
        self.tally.requests += 1
        self.tally.refused += 1
        found = [self._breach(rejection)] if rejection is not None else []
        self._record(operation.operation_id if operation else "-", fields, answer, found)

    def _record(self, name: str, fields: dict[str, str], answer: dict[str, Any], found: list[Finding]) -> None:
        self.tally.note(name, found)
        self.journal.record(name, fields, answer, drift.shown(found))

    def _log(self, request: Request, fields: dict[str, str], name: str, outcome: str, warn: bool) -> None:
        if warn or self.log_requests:
            line = request_line(
                request.peer, request.method, request.path, name, fields, self.catalogue.public_fields, self.catalogue.all_fields
            )
            log.log(logging.WARNING if warn else logging.INFO, "%s -> %s", line, outcome)


def _text(value: Any) -> str:
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else ""


def _drift_said(found: list[Finding]) -> str:
    return f"; {len(found)} breach{'es' if len(found) != 1 else ''} of the contract" if found else ""


@functools.cache
def _contract(spec_path: Path) -> tuple[Catalogue, FormCheck, Schemas]:
    """What the proxy reads of the contract, read once (a test starts many proxies; the command, one)."""
    catalogue = load(spec_path)
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    return catalogue, FormCheck(spec, list(catalogue.by_selector.values())), Schemas(spec)


def make(spec_path: Path, upstream_url: str, timeout: float, log_requests: bool, now: Callable[[], float]) -> Proxy:
    """A proxy serving the contract at `spec_path`, in front of `upstream_url`; `now` stamps the journal (time.time)."""
    catalogue, form_check, schemas = _contract(spec_path)
    secrets = frozenset().union(*(op.secret_fields for op in catalogue.by_selector.values()))
    journal = Journal(secrets, catalogue.all_fields, now)
    return Proxy(catalogue, form_check, schemas, Upstream(upstream_url, timeout), journal, log_requests)
