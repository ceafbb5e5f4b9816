"""Every way a call can fail, as one small hierarchy; no message ever holds a secret."""

from __future__ import annotations


class ZomroRescueError(Exception):
    """Base of every error this package raises."""


class ApiError(ZomroRescueError):
    """The server answered with its error document (`doc.error`).

    `type` is BILLmanager's kind of error (`access`, `value`, `missed`, ...),
    `object` what it concerns (usually a field name), `message` the server's text.
    """

    def __init__(self, type: str, object: str, message: str) -> None:  # noqa: A002 (BILLmanager's names)
        self.type = type
        self.object = object
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        about = f" on {self.object!r}" if self.object else ""
        return f"{self.type} error{about}: {self.message}"


class TransportError(ZomroRescueError):
    """The server could not be reached, or answered something that is not this API's."""


class ImageChoiceError(ZomroRescueError, ValueError):
    """An image name that matches no image, or several: the message lists the candidates."""


class PasswordRuleError(ZomroRescueError, ValueError):
    """A rescue password that breaks the provider's rules: the message says which, not the password."""
