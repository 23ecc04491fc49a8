"""A deterministic Cloudflare dataset: audit log records (v1 and v2) and Logpull request logs.

Every record is a pure function of (seed, account or zone, hour or minute), generated lazily,
so any period can be replayed and the records a period holds can be listed for the exactly-once
checks of the system tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from .audit_records import AuditRecord, _audit_hour
from .logpull_records import (
    BOT_FIELDS,
    DEFAULT_LOGPULL_FIELDS,
    LOGPULL_FIELDS,
    TIMESTAMP_FIELDS,
    LogRecord,
    _logs_minute,
)
from .records import NS, rfc3339

__all__ = [
    "BOT_FIELDS",
    "DEFAULT_LOGPULL_FIELDS",
    "LOGPULL_FIELDS",
    "NS",
    "TIMESTAMP_FIELDS",
    "AuditRecord",
    "Dataset",
    "LogRecord",
    "rfc3339",
]


@dataclass(frozen=True)
class Dataset:
    """Deterministic traffic: ``audit_per_hour`` and ``logs_per_minute`` are maxima."""

    seed: int = 1
    audit_per_hour: int = 6
    logs_per_minute: int = 4
    empty_minutes: float = 0.3
    audit_delay: float = 0.0  # at most this many seconds between `when` and visibility

    def audit_visible_ns(self, record: AuditRecord) -> int:
        """When the API starts listing ``record`` (its ``when``, or later with a delay)."""
        if not self.audit_delay:
            return record.ns
        fraction = int(record.id.replace("-", "")[:8], 16) / 0xFFFFFFFF
        return record.ns + int(fraction * self.audit_delay * NS)

    def audit_hour(self, account: str, hour: int) -> tuple[AuditRecord, ...]:
        return _audit_hour(self.seed, self.audit_per_hour, account, hour)

    def audit_between(self, account: str, start_ns: int, end_ns: int) -> list[AuditRecord]:
        """Records with ``start_ns <= ns < end_ns``, oldest first (ties by id)."""
        out: list[AuditRecord] = []
        for hour in range(start_ns // NS // 3600, (end_ns - 1) // NS // 3600 + 1):
            out.extend(r for r in self.audit_hour(account, hour) if start_ns <= r.ns < end_ns)
        return out

    def logs_minute(self, zone: str, minute: int) -> tuple[LogRecord, ...]:
        return _logs_minute(self.seed, self.logs_per_minute, self.empty_minutes, zone, minute)

    def logs_between(self, zone: str, start_ns: int, end_ns: int) -> list[LogRecord]:
        """Lines received in ``[start_ns, end_ns)``, in the order the store holds them."""
        out: list[LogRecord] = []
        for minute in range(start_ns // NS // 60, (end_ns - 1) // NS // 60 + 1):
            out.extend(r for r in self.logs_minute(zone, minute) if start_ns <= r.end_ns < end_ns)
        return out
