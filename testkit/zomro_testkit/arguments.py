"""argparse types for the bench's and the tools' options: a value that cannot work is a usage error (exit 2, one line).

parser.add_argument("--warmup", type=whole_number(1, 600, "seconds"), default=2)
# --warmup 0  ->  "mock_bench.py: error: argument --warmup: give a whole number of seconds from 1 to 600, not 0"
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(low: int, high: int, of: str = "") -> Callable[[str], int]:
    """A type for argparse: a whole number from `low` to `high` (of `of`, such as "seconds", in the message)."""
    wanted = f"a whole number{f' of {of}' if of else ''} from {low} to {high}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"give {wanted}, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"give {wanted}, not {value}")
        return value

    parse.__name__ = wanted  # what argparse would name the type in its own messages
    return parse
