"""Every way a call can fail, as one small hierarchy; no message ever holds a secret."""

from __future__ import annotations

from collections.abc import Iterable

# One masking for every layer: the mock's proxy masks what it reports with the same function.
from zomro_contract.checks import HIDDEN as HIDDEN
from zomro_contract.checks import hide as hide


class ZomroRescueError(Exception):
    """Base of every error this package raises."""

    def hide(self, secrets: Iterable[str]) -> None:
        """Mask every secret in the message, as given or as a form would encode it (a server may echo either)."""
        self.args = tuple(hide(str(arg), secrets) for arg in self.args)


class ApiError(ZomroRescueError):
    """The server answered with its error document (`doc.error`).

    `type` is BILLmanager's kind of error (`access`, `value`, `missed`, ...),
    `object` what it concerns (usually a field name), `message` the server's text.
    Any of them may be empty: a server's error document is an error however little it says.
    """

    def __init__(self, type: str, object: str, message: str) -> None:  # noqa: A002 (BILLmanager's names)
        self.type = type
        self.object = object
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        about = f" on {self.object!r}" if self.object else ""
        return f"{self.type or 'unnamed'} error{about}: {self.message or 'the server gave no reason'}"

    def hide(self, secrets: Iterable[str]) -> None:
        self.object, self.message = hide(self.object, secrets), hide(self.message, secrets)
        super().hide(secrets)


class LoginRefused(ApiError):
    """The server refused a login (its error document, in answer to `func=auth`): as ApiError, with the `username` tried.

    BILLmanager names what was wrong in `object`: `badpassword` for a username and password that do not match
    (BILLmanager does not say which of the two is wrong); other objects are shown as the server gave them.
    The message never holds the password.
    """

    # `object` -> what it means, as a person reads it (the provider's panel's keys; only this one is in the contract).
    REASONS = {"badpassword": "wrong username or password"}

    def __init__(self, type: str, object: str, message: str, username: str) -> None:  # noqa: A002 (BILLmanager's names)
        self.username = username
        super().__init__(type, object, message)

    @classmethod
    def of(cls, error: ApiError, username: str) -> LoginRefused:
        return cls(error.type, error.object, error.message, username)

    def __str__(self) -> str:
        reason = self.REASONS.get(self.object.lower())
        if reason is None:
            return f"the API refused the login as {self.username!r}: {super().__str__()}"
        said = f" (the server says: {self.message})" if self.message else ""
        return f"the API refused the login as {self.username!r}: {reason}{said}"

    def hide(self, secrets: Iterable[str]) -> None:
        # A password typed where the username goes is a password all the same.
        given = list(secrets)
        self.username = hide(self.username, given)
        super().hide(given)


class TransportError(ZomroRescueError):
    """The server could not be reached in time, or answered something that is not this API's.

    `retry_after` is the seconds the server asked to wait (HTTP 429 or 503 with Retry-After), else None.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ImageChoiceError(ZomroRescueError, ValueError):
    """An image name that matches no image, or several, or an image that cannot be used: the message says which."""


class PasswordRuleError(ZomroRescueError, ValueError):
    """A rescue password that breaks the provider's rules: the message says which, not the password."""


class ArgumentError(ZomroRescueError, ValueError):
    """An argument that cannot be sent (an instance ID out of the contract's bounds, a URL that is none): nothing was sent."""


class _WaitError(ZomroRescueError):
    """What a wait ends with when the status wanted did not come: `elid` the instance, `wanted` the statuses waited
    for, `last` the last status seen ("" when the server gave none), `waited` the seconds it waited in all."""

    def __init__(self, elid: int, wanted: tuple[str, ...], last: str, waited: float, message: str) -> None:
        self.elid, self.wanted, self.last, self.waited = elid, wanted, last, waited
        super().__init__(message)

    @staticmethod
    def either(wanted: tuple[str, ...]) -> str:
        return " or ".join(wanted)

    def hide(self, secrets: Iterable[str]) -> None:
        # The status is the server's text, which may echo anything, and is lower-cased as the list's statuses are.
        given = list(secrets)
        every = [*given, *(s.lower() for s in given)]
        self.last = hide(self.last, every)
        super().hide(every)


class WaitTimeout(_WaitError):
    """`wait_for`'s timeout passed with the instance in another status (`elid`, `wanted`, `last`, `waited`)."""

    def __init__(self, elid: int, wanted: tuple[str, ...], last: str, waited: float) -> None:
        message = f"instance {elid} did not become {self.either(wanted)} in {waited:.0f} s: its status was still {last or 'none'}"
        super().__init__(elid, wanted, last, waited, message)


class WaitDeadEnd(_WaitError):
    """The instance settled in a status from which the one wanted cannot come without another action.

    `elid`, `wanted`, `last` and `waited` as in WaitTimeout; `why` says what makes it a dead end.
    """

    def __init__(self, elid: int, wanted: tuple[str, ...], last: str, waited: float, why: str) -> None:
        self.why = why
        message = f"instance {elid} is {last} after {waited:.0f} s and will not become {self.either(wanted)} by itself: {why}"
        super().__init__(elid, wanted, last, waited, message)
