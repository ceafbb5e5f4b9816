"""The provider's rules for a rescue password, checked before it is sent.

They are the rules of the provider's web panel (its public code; the server's own
may differ): 8 to 48 printable ASCII characters, at least one upper-case
letter, one lower-case letter and one digit, no spaces, none of "#%&'()*;<>?@|.
"""

from __future__ import annotations

from .errors import PasswordRuleError

MIN_LENGTH, MAX_LENGTH = 8, 48
FORBIDDEN = set("\"#%&'()*;<>?@|")


def check_rescue_password(password: str) -> None:
    """Raise PasswordRuleError saying every rule the password breaks (never the password itself)."""
    problems = []
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        problems.append(f"it has {len(password)} characters, not {MIN_LENGTH} to {MAX_LENGTH}")
    if any(not ("!" <= c <= "~") for c in password):
        problems.append("it has a space or a character that is not printable ASCII")
    if any(c in FORBIDDEN for c in password):
        problems.append(f"it has one of {''.join(sorted(FORBIDDEN))}")
    for name, test in (("upper-case letter", str.isupper), ("lower-case letter", str.islower), ("digit", str.isdigit)):
        if not any(test(c) and c.isascii() for c in password):
            problems.append(f"it has no {name}")
    if problems:
        raise PasswordRuleError("the rescue password breaks the provider's rules: " + "; ".join(problems))
