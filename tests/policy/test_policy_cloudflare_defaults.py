"""The Cloudflare package's defaults, rendered as Fleet renders them (issue 14)."""

from __future__ import annotations

from pathlib import Path

from fleetpkg.policy.render import render
from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.varcheck import PolicyVars

ROOT = Path(__file__).resolve().parents[2]
ZONE = "fedcba9876543210fedcba9876543210"


def test_logpull_default_timestamps_keep_nanoseconds() -> None:
    """Cloudflare sends `timestamps=rfc3339` and `unix` in whole seconds; only `unixnano` (its
    own default) keeps the sub-second part that @timestamp and event.duration need."""
    spec = load_stream(ROOT / "package", "logpull", source=ROOT)
    given = PolicyVars({}, {"zone_id": ZONE, "auth_token": "t"})
    state = render(spec, given).stream["state"]
    assert state["timestamps"] == "unixnano"
