"""What the proxy found in real exchanges: each breach of the contract, counted, and logged once per kind.

A breach is a request the contract does not allow (`request`), or an answer
it does not: zomro_contract.checks's kinds, the probe's (`http status`,
`not json`, `schema`, `unexpected key`, `unknown $type`, `one-element list`).
Each is a `Finding` (category, JSON path, explanation), as the probe reports
it and as the journal's `drift` lists it. Its *kind*, for the log, is the
operation, the category and the path without array indices
(`doc.elem[].instance_status`): the same breach in every item of a list, or in
every call, is logged once and counted each time. Nothing here knows HTTP.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from zomro_contract.checks import CATEGORIES, WIRE, Finding, hide

log = logging.getLogger("zomro_mock")

REQUEST = "request"
WHOLE_REQUEST = "(the request)"
ORDER = (REQUEST, *WIRE, *CATEGORIES)  # the order the summary names them in
_INDEX = re.compile(r"\[[0-9]+\]")


def request_breach(place: str, explanation: str) -> Finding:
    """A request that breaks the contract: `place` the field at fault (or the request), `explanation` without its value."""
    return Finding(REQUEST, place or WHOLE_REQUEST, explanation)


def masked(findings: Iterable[Finding], secrets: Iterable[str]) -> list[Finding]:
    """The findings with every secret masked wherever a server echoed one: as the probe masks its report."""
    known = [secret for secret in secrets if secret]
    return [Finding(f.category, hide(f.path, known), hide(f.explanation, known)) for f in findings]


def shown(findings: Iterable[Finding]) -> list[dict[str, str]]:
    """As the journal's `drift` lists them."""
    return [{"category": f.category, "path": f.path, "explanation": f.explanation} for f in findings]


@dataclass
class Tally:
    """The proxy's run so far: requests, exchanges with the upstream, breaches by category."""

    upstream: str
    requests: int = 0  # requests of the emulated API, sent on or not
    unanswered: int = 0  # sent on, and no answer to pass back (the upstream down, too slow, too large)
    refused: int = 0  # refused by the mock before anything was sent (another path, method or type; too large)
    breaches: Counter[str] = field(default_factory=Counter)
    _logged: set[tuple[str, str, str]] = field(default_factory=set)

    def note(self, operation: str, findings: list[Finding]) -> None:
        """Count each finding; log the first of each kind, at WARNING (the default log level shows it)."""
        for finding in findings:
            self.breaches[finding.category] += 1
            kind = (operation, finding.category, _INDEX.sub("[]", finding.path))
            if kind not in self._logged:
                self._logged.add(kind)
                log.warning(
                    "drift: %s: %s at %s: %s (logged once; GET /_mock/journal lists every exchange with its drift)",
                    operation,
                    finding.category,
                    finding.path,
                    finding.explanation,
                )

    def counts(self) -> dict[str, int]:
        return {category: self.breaches[category] for category in ORDER if self.breaches[category]}

    def summary(self) -> str:
        """One line for the end of the run: requests, what came of them, breaches by kind."""
        sent = self.requests - self.refused
        parts = [f"{self.requests} request{'s' if self.requests != 1 else ''}, {sent} sent on to {self.upstream}"]
        if self.unanswered:
            parts.append(f"{self.unanswered} of them unanswered")
        if self.refused:
            parts.append(f"{self.refused} refused by the mock")
        total = sum(self.breaches.values())
        found = ", ".join(f"{category} {count}" for category, count in self.counts().items())
        drift = f"{total} breach{'es' if total != 1 else ''} of the contract ({found})" if total else "no breach of the contract"
        return f"zomro-rescue-mock: {'; '.join(parts)}; {drift}"
