"""The one exception the engine raises: a protocol error code and a plain message."""

from __future__ import annotations

from typing import Any


class EngineError(Exception):
    """A command the rules refuse; `code` is a PROTOCOL.md error code."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


def not_found(what: str = "conversation") -> EngineError:
    """The error for anything the caller cannot see, exactly as for an id that does not exist."""
    return EngineError("not_found", f"no such {what}")
