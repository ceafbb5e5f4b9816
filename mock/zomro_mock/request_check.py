"""A request against the contract: the operation its `func` and `sok` select, and whether its form is valid.

One check, for the emulated server (which refuses what breaks it, with the
error document the server sends) and for the proxy (which sends it on all the
same, and reports the breach). Every message names fields and rules, never a
value a client sent: a value may be a secret, and a name a client made up is
named in the log only when it is a typo of a known one.
"""

from __future__ import annotations

import re

from zomro_contract.operations import CONFIRM, FUNC, Catalogue, Operation

from .errors import MISSED, VALUE, Rejection
from .redact import near_miss, shorten

MAX_NAMED = 5  # unknown fields named in an error; the rest are counted
# An integer field is written in decimal digits, as the article writes `elid`: Prism would also take
# " 5203773", "5203773\n" or "5203773.0", which nothing says the real server does.
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)", re.ASCII)


def _did_you_mean(name: str, fields: frozenset[str]) -> str:
    close = near_miss(name, fields)
    return f" (did you mean {close!r}?)" if close else ""


def selected(catalogue: Catalogue, fields: dict[str, str]) -> Operation | None:
    """The operation the request's `func` (and `sok`) select, whatever else is wrong with it; None for none."""
    return catalogue.select(fields.get(FUNC) or "", bool(fields.get(CONFIRM)))


def select(catalogue: Catalogue, fields: dict[str, str]) -> Operation:
    """The operation, once the fields fit it: none unknown, none too long, integers in digits; else a Rejection."""
    func = fields.get(FUNC)
    if not func:
        raise Rejection(MISSED, FUNC, f"no `{FUNC}` field: name the function, one of {', '.join(catalogue.funcs)}")
    operation = selected(catalogue, fields)
    if operation is None:
        close = near_miss(func, frozenset(catalogue.funcs))
        raise Rejection(
            VALUE,
            FUNC,
            f"unknown function {shorten(func)!r}; this API has {', '.join(catalogue.funcs)}",
            # A function the client made up may hold anything: named in the log only when it is a typo.
            logged=f"func: unknown function {shorten(func)!r}" if close else f"func: an unknown function of {len(func)} characters",
        )
    unknown = sorted(set(fields) - operation.fields)
    if unknown:
        # Prism does not enforce additionalProperties: false in a form, so the router does.
        raise _unknown_fields(operation, unknown)
    for name, limit in operation.max_lengths.items():
        # Checked here too, not only by Prism: Prism serves every client, and a long value costs it most.
        if len(fields.get(name, "")) > limit:
            raise Rejection(VALUE, name, f"field {name!r} has {len(fields[name])} characters; at most {limit} are allowed")
    for name in sorted(operation.integer_fields & set(fields)):
        if not _INTEGER.fullmatch(fields[name]):
            raise Rejection(VALUE, name, f"field {name!r} must be an integer in decimal digits (no spaces, sign or fraction)")
    return operation


def _unknown_fields(operation: Operation, unknown: list[str]) -> Rejection:
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
