"""Errors of the live path: one line each, credentials scrubbed, with the exit code to use."""

from __future__ import annotations

import re
from collections.abc import Iterable

_USERINFO = re.compile(r"(?i)\b(https?://)[^/\s@]+@")
_AUTH_HEADER = re.compile(
    r"(?i)\b(authorization|apikey|basic|bearer)([\"':=\s]+)([A-Za-z0-9+/=._-]{8,})"
)


class LiveError(Exception):
    """A failure talking to the stack (exit 1) or a bad command line (``code=2``)."""

    def __init__(self, message: str, *, status: int | None = None, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    def __str__(self) -> str:
        return self.message


class UsageError(LiveError):
    """The command line or its environment is wrong (missing variable, credentials in a URL)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=2)


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret, URL user-info and authorization value replaced by ``***``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _USERINFO.sub(r"\1***@", text)
    return _AUTH_HEADER.sub(r"\1\2***", text)


def one_line(text: str, limit: int = 300) -> str:
    """Whitespace collapsed and cut to ``limit`` characters (for response bodies in messages)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
