"""CORS as Prism does it, so that a web page at another origin can call the mock.

By default any origin is allowed, and the answer names the caller's origin
(Prism's `--cors`, with credentials). `--cors-origin` narrows that to a list
of origins, or `none` turns CORS off.
"""

from __future__ import annotations

from dataclasses import dataclass

ANY = "*"
OFF = "none"
METHODS = "GET, POST, OPTIONS"


@dataclass(frozen=True)
class Cors:
    origins: frozenset[str]  # {"*"}: any; empty: CORS off

    @classmethod
    def parse(cls, text: str) -> Cors:
        """`*`, `none`, or origins separated by commas (`http://localhost:3000,https://app.example`)."""
        text = text.strip()
        if text.lower() == OFF:
            return cls(frozenset())
        origins = frozenset(part.strip().rstrip("/") for part in text.split(",") if part.strip())
        if not origins:
            raise ValueError("no origin given: use `*` for any, `none` for no CORS, or origins such as http://localhost:3000")
        for origin in origins - {ANY}:
            scheme, separator, host = origin.partition("://")
            if not separator or scheme not in ("http", "https") or not host or "/" in host:
                raise ValueError(f"{origin!r} is not an origin: write scheme://host[:port], such as http://localhost:3000")
        return cls(origins)

    def allows(self, origin: str) -> bool:
        return ANY in self.origins or origin in self.origins

    @staticmethod
    def is_preflight(method: str, headers: dict[str, str]) -> bool:
        return method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers

    def headers(self, request_headers: dict[str, str]) -> list[tuple[str, str]]:
        """What every answer carries: the caller's origin when it is allowed, and `Vary: Origin`, since
        the answer differs by origin (a shared cache must not hand one origin's answer to another)."""
        if not self.origins:
            return []
        origin = request_headers.get("origin")
        if origin is None or not self.allows(origin):
            return [("Vary", "Origin")]
        # No Access-Control-Expose-Headers (Prism sends `*`): with credentials a browser reads `*` as a
        # header's name, and every header of these answers is one a page may read anyway.
        return [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin")]

    def preflight(self, request_headers: dict[str, str]) -> list[tuple[str, str]]:
        """The headers of the answer to a preflight `OPTIONS`."""
        common = self.headers(request_headers)
        if not any(name == "Access-Control-Allow-Origin" for name, _ in common):
            return common  # the browser then refuses the call, as it should
        return [
            *common,
            ("Access-Control-Allow-Methods", METHODS),
            ("Access-Control-Allow-Headers", request_headers.get("access-control-request-headers") or "*"),
            ("Access-Control-Max-Age", "600"),
        ]
