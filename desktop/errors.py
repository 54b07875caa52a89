"""Typed errors that carry an exit code and a sentence the operator can read.

Every service error becomes one of these (ARCHITECTURE: "errors are values the user can read"):
the CLI prints ``str(err)`` and exits with ``err.exit_code``; the GUI shows the same sentence.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1  # the service said no: too short, rejected, not enrolled
    BAD_INPUT = 2  # bad input or usage
    FAILURE = 3  # connection, authentication or protocol failure


class VpwError(Exception):
    """Base error: ``message`` is already translated for the operator."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # the service's own code (APIG.0303, 1010013, 430008...) when there is one

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]" if self.code else self.message


class InputError(VpwError):
    """The operator's input (file, argument, setting) cannot be used."""

    exit_code = ExitCode.BAD_INPUT


class ConfigError(InputError):
    """A profile or setting is missing or malformed."""


class ServiceRefused(VpwError):
    """The service answered and said no (too short, rejected, not enrolled, business error)."""

    exit_code = ExitCode.REFUSED


class ConnectionFailure(VpwError):
    """Could not reach the service, or the connection broke and could not be restored."""


class AuthFailure(VpwError):
    """The service refused our credentials."""


class ProtocolFailure(VpwError):
    """The service answered something we cannot understand, or did not answer in time."""
