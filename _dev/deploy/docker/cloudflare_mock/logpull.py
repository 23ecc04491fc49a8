"""The simulator's Logpull endpoint: time-window rules, fields, timestamps, sampling."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fleetpkg.system.service import Fault, RequestRecord, Response

from .api import ApiError, _int_param, parse_time
from .logpull_records import (
    BOT_FIELDS,
    DEFAULT_LOGPULL_FIELDS,
    LOGPULL_FIELDS,
    TIMESTAMP_FIELDS,
    LogRecord,
)
from .records import NS, rfc3339

if TYPE_CHECKING:
    from .simulator import CloudflareSimulator

LOGPULL_MAX_AGE = 7 * 24 * 3600
LOGPULL_MIN_DELAY = 60
LOGPULL_MAX_WINDOW = 3600
STREAM_ERROR = b"Error streaming data\n"


def fields_of(sim: CloudflareSimulator, zone: str) -> tuple[str, ...]:
    if zone in sim.bot_zones:
        return LOGPULL_FIELDS
    return tuple(n for n in LOGPULL_FIELDS if n not in BOT_FIELDS)


def logpull(
    sim: CloudflareSimulator,
    record: RequestRecord,
    zone: str,
    query: dict[str, str],
    fault: Fault | None,
) -> Response:
    known = {"start", "end", "count", "sample", "fields", "timestamps", "CVE-2021-44228"}
    record.notes.extend(f"unknown parameter {k}" for k in query if k not in known)
    if "start" not in query or "end" not in query:
        raise ApiError(400, 1009, "bad query: start and end are required")
    start = parse_time(query["start"], "start")
    end = parse_time(query["end"], "end")
    now = int(sim.clock.now() * NS)
    prefix = "bad query: error parsing time: invalid time range"
    if now - start > LOGPULL_MAX_AGE * NS:
        raise ApiError(
            400, 1010, f"{prefix}: too early: logs older than 168h0m0s are not available"
        )
    if now - end < LOGPULL_MIN_DELAY * NS:
        raise ApiError(400, 1010, f"{prefix}: too late: end must be at least 1m0s in the past")
    if end <= start:
        raise ApiError(400, 1010, f"{prefix}: start must be earlier than end")
    if end - start > LOGPULL_MAX_WINDOW * NS:
        raise ApiError(400, 1010, f"{prefix}: end-start must not exceed 1h0m0s")
    fields = requested_fields(sim, zone, query.get("fields"))
    stamps = query.get("timestamps", "unixnano")
    if stamps not in ("unixnano", "unix", "rfc3339"):
        raise ApiError(400, 1009, f"bad query: invalid timestamps format {stamps!r}")
    count = _int_param(query, "count", 0, 1, 10**9) if "count" in query else None
    sample = _sample(query.get("sample"))
    redact = query.get("CVE-2021-44228", "false")
    if redact not in ("true", "false"):
        raise ApiError(400, 1009, "bad query: CVE-2021-44228 must be true or false")
    records = sim.dataset.logs_between(zone, max(start, sim.origin_ns), end)
    if sample is not None:
        records = [r for r in records if int(r.ray_id[:8], 16) / 0xFFFFFFFF < sample]
    if count is not None:
        records = records[:count]
    lines = [_log_line(r, fields, stamps, redact == "true") for r in records]
    if fault is not None and fault.kind == "trailer":
        kept = lines[: len(lines) // 2]
        record.served = [r.ray_id for r in records[: len(kept)]]
        body = b"".join(kept) + STREAM_ERROR
    else:
        record.served = [r.ray_id for r in records]
        body = b"".join(lines)
    return Response(200, body, {"Content-Type": "application/x-ndjson"})


def requested_fields(sim: CloudflareSimulator, zone: str, text: str | None) -> tuple[str, ...]:
    if text is None or text == "":
        return DEFAULT_LOGPULL_FIELDS
    names = tuple(text.split(","))
    known = set(LOGPULL_FIELDS)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ApiError(400, 1009, f"bad query: unknown fields: {', '.join(unknown)}")
    if zone not in sim.bot_zones:
        bot = [n for n in names if n in BOT_FIELDS]
        if bot:
            message = f"bad query: fields need Bot Management on this zone: {', '.join(bot)}"
            raise ApiError(400, 1009, message)
    return names


def _sample(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value <= 1.0:
        raise ApiError(400, 1009, "bad query: sample must be in (0.0, 1.0]")
    return value


def _log_line(record: LogRecord, fields: tuple[str, ...], stamps: str, redact: bool) -> bytes:
    out: dict[str, Any] = {}
    for name in fields:
        value = record.fields[name]
        if name in TIMESTAMP_FIELDS:
            value = {"unix": value // NS, "rfc3339": rfc3339(value)}.get(stamps, value)
        elif redact and isinstance(value, str):
            value = value.replace("${", "x{")
        out[name] = value
    return json.dumps(out, separators=(",", ":")).encode() + b"\n"
