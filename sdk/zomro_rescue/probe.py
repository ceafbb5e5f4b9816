"""`zomro-rescue probe`: does a server still answer as openapi.yaml says?

The checks are `zomro_contract.checks` (`check_answer`, pure: one answer, as JSON
was sent, against one operation of the contract), which the mock's proxy runs on
real traffic too. `Probe` is the thin runner: it makes the calls that change
nothing (log in when asked to, the preview of an instance, the first page of the
instance list), spaced a second apart against the provider's API (`pacing`),
checks each answer, and returns a `Report` with every secret masked. It never
calls rescue or unrescue. The findings' kinds are `zomro_contract.checks`'s.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import httpx
from zomro_contract.checks import (
    CATEGORIES,
    ONE_ELEMENT,
    SCHEMA,
    UNEXPECTED_KEY,
    UNKNOWN_TYPE,
    Checked,
    Finding,
    check_answer,
    format_path,
    path_key,
)
from zomro_contract.operations import selector
from zomro_contract.release import name_and_version
from zomro_contract.schemas import Schemas, contract
from zomro_rescue_client import Client
from zomro_rescue_client.api.instances import list_instances
from zomro_rescue_client.api.rescue import preview_rescue_images
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import InstanceListForm, LoginForm, RescuePreviewForm

from . import answers, deadline, pacing
from .client import DEFAULT_URL, ELID_MAXIMUM, ELID_MINIMUM, ENV_AUTH, ENV_PASSWORD, ENV_URL, ENV_USERNAME, _checked_url
from .errors import ApiError, ArgumentError, LoginRefused, TransportError, ZomroRescueError, hide
from .instances import PAGE_SIZE

# What tests and users imported from here before the checks moved to the contract's package, where the mock reads them too.
__all__ = [
    "CATEGORIES",
    "LIST",
    "LOGIN",
    "ONE_ELEMENT",
    "PREVIEW",
    "SCHEMA",
    "UNEXPECTED_KEY",
    "UNKNOWN_TYPE",
    "Call",
    "Checked",
    "Finding",
    "Probe",
    "Report",
    "check_answer",
    "format_path",
]

# The operations the probe calls, by operationId: none of them changes anything.
LOGIN, PREVIEW, LIST = "logIn", "previewRescueImages", "listInstances"
# The generated client's request for each; `Probe` checks that each is the contract's operation of that operationId.
_GENERATED: dict[str, ModuleType] = {LOGIN: log_in, PREVIEW: preview_rescue_images, LIST: list_instances}


# The runner.


@dataclass
class Call:
    operation_id: str
    func: str
    status: int
    outcome: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Report:
    """What the probe did and found; `failure` is the error that ended it early (ApiError, TransportError), if any."""

    probe: str
    contract: str
    url: str
    instance: int
    date: str
    calls: list[Call] = field(default_factory=list)
    failure: ZomroRescueError | None = None

    @property
    def drift(self) -> int:
        return sum(len(call.findings) for call in self.calls)

    def summary(self) -> str:
        return f"drift: {self.drift} finding{'s' if self.drift != 1 else ''}" if self.drift else "no drift found"

    def as_dict(self) -> dict[str, Any]:
        return {
            "probe": self.probe,
            "contract": self.contract,
            "url": self.url,
            "instance": self.instance,
            "date": self.date,
            "calls": [
                {
                    "operation": call.operation_id,
                    "func": call.func,
                    "http_status": call.status,
                    "outcome": call.outcome,
                    "findings": [finding.__dict__ for finding in call.findings],
                }
                for call in self.calls
            ],
            "stopped": str(self.failure) if self.failure else None,
            "drift": self.drift,
            "summary": self.summary(),
        }

    def markdown(self) -> str:
        lines = [
            "### zomro-rescue probe",
            "",
            f"- probe: {_md(self.probe)}, contract (openapi.yaml) {_md(self.contract)}",
            f"- API: {_code(self.url)}",
            f"- instance: {self.instance}",
            f"- date: {self.date}",
            "",
            "#### Calls",
            "",
        ]
        for number, call in enumerate(self.calls, 1):
            lines.append(f"{number}. {call.operation_id} ({_code('func=' + call.func)}): HTTP {call.status}, {_md(call.outcome)}")
        if self.failure:
            lines.append(f"\nStopped: {_md(str(self.failure))}")
        lines += ["", "#### Findings", ""]
        for call in self.calls:
            if call.findings:
                lines.append(f"{call.operation_id}:\n")
                lines += [f"- {finding.category} at {_code(finding.path)}: {_md(finding.explanation)}" for finding in call.findings]
                lines.append("")
        if not self.drift:
            lines += ["none", ""]
        lines.append(self.summary())
        return "\n".join(lines)

    def masked(self, secrets: Iterable[str]) -> Report:
        """The report with every secret masked in every string of it, as `hide` masks error messages."""
        secrets = [s for s in secrets if s]
        for call in self.calls:
            call.outcome = hide(call.outcome, secrets)
            call.findings = [Finding(f.category, hide(f.path, secrets), hide(f.explanation, secrets)) for f in call.findings]
        self.url = hide(self.url, secrets)
        if self.failure:
            self.failure.hide(secrets)
        return self


def _md(text: str) -> str:
    """Text for Markdown, as text: on one line, every character Markdown or HTML could act on escaped."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    text = " ".join(text.split())
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


class Probe:
    """Calls that change nothing, each answer checked against the contract.

    Credentials as RescueClient takes them (and from the same environment): a session,
    or a username and password to log in with first. `log_in=True` logs in even with a session.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        session: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        log_in: bool = False,
        schemas: Schemas | None = None,
    ) -> None:
        self.base_url, self.shown_url, url_password = _checked_url(base_url or os.environ.get(ENV_URL) or DEFAULT_URL)
        self._session = None if log_in else (session or os.environ.get(ENV_AUTH) or None)
        self.username = username or os.environ.get(ENV_USERNAME) or None
        self._password = password or os.environ.get(ENV_PASSWORD) or None
        self.timeout = timeout
        self.schemas = schemas or contract()
        self._pace = pacing.Pace(pacing.interval_for(self.base_url))
        self._secrets = {s for s in (session, os.environ.get(ENV_AUTH), self._session, self._password, url_password) if s}
        if not self._session and not (self.username and self._password):
            raise ZomroRescueError(
                f"no credentials: set {ENV_AUTH} to a session id (from `zomro-rescue login --export`), "
                f"or {ENV_USERNAME} and {ENV_PASSWORD}, or pass --username"
            )

    def run(self, elid: int) -> Report:
        """The calls, in order, until one fails; the report, every secret masked."""
        if isinstance(elid, bool) or not isinstance(elid, int) or not ELID_MINIMUM <= elid <= ELID_MAXIMUM:
            raise ArgumentError(f"{elid!r} is not an instance ID: the API's are whole numbers from {ELID_MINIMUM} to {ELID_MAXIMUM}")
        report = Report(
            probe=name_and_version("zomro-rescue"),
            contract=str(self.schemas.spec.get("info", {}).get("version", "unknown")),
            url=self.shown_url,
            instance=elid,
            date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        )
        client = Client(base_url=self.base_url, timeout=httpx.Timeout(self.timeout), httpx_args={"transport": deadline.transport()})
        try:
            with client.get_httpx_client():
                session = self._session
                if session is None:
                    assert self.username and self._password
                    try:
                        doc = self._call(client, report, LOGIN, LoginForm(username=self.username, password=self._password))
                    except ApiError as error:
                        raise LoginRefused.of(error, self.username) from None
                    session = answers.session(doc, self.shown_url)
                    self._secrets.add(session)
                self._call(client, report, PREVIEW, RescuePreviewForm(elid=elid, auth=session))
                self._call(client, report, LIST, InstanceListForm(auth=session, p_cnt=PAGE_SIZE, p_num=1))
        except (ApiError, TransportError) as failure:
            report.failure = failure
        return report.masked(self._secrets)

    def _call(self, client: Client, report: Report, operation_id: str, form: Any) -> dict[str, Any]:
        path = path_key(self.schemas, operation_id)
        func = selector(path)[0]
        request: dict[str, Any] = _GENERATED[operation_id]._get_kwargs(body=form)
        if request["url"] != path:
            raise ZomroRescueError(f"the generated client's {operation_id} is not the contract's ({path}): run `make generate`")
        what = f"{operation_id} (func={func})"
        self._pace.wait()
        try:
            with deadline.within(self.timeout):
                response = client.get_httpx_client().request(**request)
        except (httpx.TimeoutException, TimeoutError):
            raise TransportError(f"{what}: {self.shown_url} gave no whole answer within {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise TransportError(f"{what}: cannot reach {self.shown_url} ({type(exc).__name__}: {exc or 'no detail'})") from None
        try:
            doc = answers.document(response, self.shown_url)
        except TransportError as error:
            raise TransportError(f"{what}: {error}", retry_after=error.retry_after) from None
        except ApiError as error:
            self._check(report, operation_id, func, response, f"an error document: {error}")
            raise
        self._check(report, operation_id, func, response, "success")
        return doc

    def _check(self, report: Report, operation_id: str, func: str, response: httpx.Response, outcome: str) -> None:
        # answers.document has read it: JSON, at HTTP 200.
        checked = check_answer(json.loads(response.content), operation_id, self.schemas)
        self._secrets.update(checked.secrets)
        report.calls.append(Call(operation_id, func, response.status_code, outcome, checked.findings))
