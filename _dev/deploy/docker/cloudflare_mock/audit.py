"""The simulator's audit log endpoints: v1 (page/per_page) and v2 (opaque cursor)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fleetpkg.system.service import RequestRecord, Response

from .api import ApiError, _int_param, envelope, parse_time
from .audit_records import AuditRecord
from .records import NS

if TYPE_CHECKING:
    from .simulator import CloudflareSimulator

AUDIT_V2_RETENTION = 30 * 24 * 3600


def audit_window(
    sim: CloudflareSimulator, query: Mapping[str, str], now_ns: int
) -> tuple[int, int]:
    since = parse_time(query["since"], "since") if "since" in query else sim.origin_ns
    before = parse_time(query["before"], "before") if "before" in query else now_ns + 1
    return max(since, sim.origin_ns), min(before, now_ns + 1)


def visible(
    sim: CloudflareSimulator, account: str, lo: int, hi: int, now_ns: int
) -> list[AuditRecord]:
    if lo >= hi:
        return []
    records = sim.dataset.audit_between(account, lo, hi)
    if sim.dataset.audit_delay:
        records = [r for r in records if sim.dataset.audit_visible_ns(r) <= now_ns]
    return records


def audit_v1(
    sim: CloudflareSimulator, record: RequestRecord, account: str, query: dict[str, str]
) -> Response:
    known = {"id", "action.type", "actor.email", "actor.ip", "zone.name", "since", "before"}
    known |= {"direction", "page", "per_page", "export", "hide_user_logs"}
    record.notes.extend(f"unknown parameter {k}" for k in query if k not in known)
    direction = query.get("direction", "desc")
    if direction not in ("asc", "desc"):
        raise ApiError(400, 1001, "bad query: direction must be one of asc, desc")
    page = _int_param(query, "page", 1, 1, 10**9)
    per_page = _int_param(query, "per_page", 100, 1, 1000)
    now_ns = int(sim.clock.now() * NS)
    lo, hi = audit_window(sim, query, now_ns)
    records = visible(sim, account, lo, hi, now_ns)
    if "action.type" in query:
        records = [r for r in records if r.v1["action"]["type"] == query["action.type"]]
    if direction == "desc":
        records.reverse()
    chunk = records[(page - 1) * per_page : page * per_page]
    record.served = [r.id for r in chunk]
    info = {"page": page, "per_page": per_page, "count": len(chunk)}
    info["total_count"] = len(records)
    return Response(
        200, envelope([r.v1 for r in chunk], info), {"Content-Type": "application/json"}
    )


def audit_v2(
    sim: CloudflareSimulator, record: RequestRecord, account: str, query: dict[str, str]
) -> Response:
    for name in ("since", "before"):
        if name not in query:
            raise ApiError(400, 1001, f"bad query: {name} is required")
    direction = query.get("direction", "desc")
    if direction not in ("asc", "desc"):
        raise ApiError(400, 1001, "bad query: direction must be one of asc, desc")
    limit = _int_param(query, "limit", 100, 1, 1000)
    now_ns = int(sim.clock.now() * NS)
    lo, hi = audit_window(sim, query, now_ns)
    lo = max(lo, now_ns - AUDIT_V2_RETENTION * NS)
    records = visible(sim, account, lo, hi, now_ns)
    if direction == "desc":
        records.reverse()
    start = 0
    if query.get("cursor"):
        start = _decode_cursor(query["cursor"], records)
    chunk = records[start : start + limit]
    record.served = [r.id for r in chunk]
    info: dict[str, Any] = {"count": len(chunk)}
    if start + limit < len(records):
        last = chunk[-1]
        info["cursor"] = _encode_cursor(last.ns, last.id)
    return Response(
        200, envelope([r.v2 for r in chunk], info), {"Content-Type": "application/json"}
    )


def _encode_cursor(ns: int, ident: str) -> str:
    raw = json.dumps([ns, ident]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(text: str, records: list[AuditRecord]) -> int:
    try:
        ns, ident = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, TypeError):
        raise ApiError(400, 1001, "bad query: invalid cursor") from None
    for index, rec in enumerate(records):
        if rec.ns == ns and rec.id == ident:
            return index + 1
    raise ApiError(400, 1001, "bad query: invalid cursor")
