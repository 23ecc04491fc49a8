"""The simulator's API surface: credentials, limits, Cloudflare's envelopes and time parameters.

Requests, responses, the request log and faults are the service interface's
(``fleetpkg.system.service``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .records import NS

API = "/client/v4"
SECRET_HEADERS = frozenset({"authorization", "x-auth-key"})

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
ZONE = "9a7806061c88ada191ed06f989cc3dac"
EMAIL = "user@example.com"
KEY = "c2547eb745079dac9320b638f5e225cf483cc"
TOKEN = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY"

LOGS_READ = "logs_read"
ACCOUNT_READ = "account_settings_read"


@dataclass(frozen=True)
class Credentials:
    """Accepted credentials: one Global API key (with its email) and API tokens with scopes."""

    email: str = EMAIL
    key: str = KEY
    tokens: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {TOKEN: frozenset({LOGS_READ, ACCOUNT_READ})}
    )

    def secrets(self) -> tuple[str, ...]:
        return (self.key, *self.tokens)


@dataclass(frozen=True)
class Limits:
    logpull_per_zone: tuple[int, int] = (15, 60)  # requests, seconds
    logpull_per_user: tuple[int, int] = (180, 60)
    global_per_user: tuple[int, int] = (1200, 300)


class ApiError(Exception):
    def __init__(self, status: int, code: int, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def envelope(result: Any, result_info: dict[str, Any] | None = None) -> bytes:
    body: dict[str, Any] = {"success": True, "errors": [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return json.dumps(body, separators=(",", ":")).encode()


def error_body(code: int, message: str) -> bytes:
    body = {
        "success": False,
        "errors": [{"code": code, "message": message}],
        "messages": [],
        "result": None,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def parse_time(text: str, name: str) -> int:
    """Cloudflare time parameters → ns: unix seconds, unix nanoseconds, RFC 3339 or a date."""
    value = text.strip()
    if re.fullmatch(r"\d+", value):
        number = int(value)
        return number if number >= 10**15 else number * NS
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            when = datetime.fromisoformat(value).replace(tzinfo=UTC)
        else:
            if not re.fullmatch(
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})", value
            ):
                raise ValueError(value)
            frac = re.search(r"\.(\d{1,9})", value)
            nanos = int((frac.group(1) + "000000000")[:9]) if frac else 0
            base = re.sub(r"\.\d{1,9}", "", value).replace("Z", "+00:00")
            when = datetime.fromisoformat(base)
            return int(when.timestamp()) * NS + nanos
    except ValueError:
        raise ApiError(400, 1001, f"bad query: invalid value for {name}: {text!r}") from None
    return int(when.timestamp()) * NS


def _int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
        raise ApiError(400, 1001, f"bad query: {name} must be an integer in [{low}, {high}]")
    return int(text)
