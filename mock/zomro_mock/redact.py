"""Form fields as they may appear in a log: secrets never in full."""

from __future__ import annotations

from collections.abc import Mapping

MASK = "***"


def describe(fields: Mapping[str, str], public: frozenset[str]) -> str:
    """`name=value` pairs, with the value shown only for fields known not to be secret.

    An unknown field (a typo of `password`, say) is masked too: it may hold a secret.
    """
    return " ".join(f"{name}={value!r}" if name in public else f"{name}={MASK}" for name, value in fields.items())
