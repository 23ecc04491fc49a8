"""Clocks shared by a mock service and the input driver (defined in the service interface).

A :class:`VirtualClock` never sleeps: ``sleep`` advances it, so hours of polling replay in
milliseconds; the mock and the driver read the same object.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fleetpkg.system.service import Clock, VirtualClock, WallClock

__all__ = ["Clock", "VirtualClock", "WallClock", "iso"]


def iso(epoch: float) -> str:
    """RFC 3339 in UTC with whole seconds (``2026-01-02T03:04:05Z``)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
