"""System test scenarios: the cases, their results and what one run produced."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .cloudflare import Fault, Limits
from .input import CelInput

START = 1_795_000_000.0  # 2026-11-18T11:06:40Z, the virtual "now" every scenario starts at
PASS, FAIL, ERROR = "pass", "fail", "error"


@dataclass(frozen=True)
class Scenario:
    """One system test case.

    ``restarts`` (hours) restart the Agent (only the cursor survives); ``outage`` (hours) stops
    it and starts it again later; ``auth`` is ``key``, ``token``, ``bad-key`` or ``bad-token``
    (the bad ones expect error events and no data).
    """

    name: str
    data_stream: str
    description: str
    hours: float
    vars: Mapping[str, Any] = field(default_factory=dict)
    faults: tuple[Fault, ...] = ()
    limits: Limits | None = None
    restarts: tuple[float, ...] = ()
    outage: tuple[float, float] | None = None
    auth: str = "key"
    allow_429: bool = False
    seed: int = 7
    logs_per_minute: int = 3  # Logpull traffic (a maximum; many minutes are quieter or empty)
    empty_minutes: float = 0.3  # share of minutes without any Logpull record
    audit_delay: float = 0.0  # audit records may show up this many seconds after their `when`
    audit_per_hour: int = 6  # audit traffic (a maximum)

    @property
    def expects_data(self) -> bool:
        return not self.auth.startswith("bad")

    def scaled(self, factor: float) -> Scenario:
        """The same case over ``factor`` times the hours (an outage and the catch-up after it
        keep their lengths)."""
        outage = self.outage
        hours = self.hours * factor
        if outage is not None:
            after = self.hours - outage[1]
            outage = (outage[0] * factor, outage[0] * factor + outage[1] - outage[0])
            hours = max(hours, outage[1] + after)
        return replace(
            self,
            hours=hours,
            restarts=tuple(h * factor for h in self.restarts),
            outage=outage,
        )


@dataclass
class ScenarioResult:
    scenario: Scenario
    status: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "data_stream": self.scenario.data_stream,
            "scenario": self.scenario.name,
            "description": self.scenario.description,
            "status": self.status,
            "problems": self.problems,
            "warnings": self.warnings,
            "stats": self.stats,
            "seconds": round(self.seconds, 3),
        }


def _nth(*numbers: int) -> frozenset[int]:
    return frozenset(numbers)


def default_scenarios() -> tuple[Scenario, ...]:
    audit_v2 = {"api_version": "v2"}
    return (
        Scenario("steady", "audit", "audit v1, Global API key, 8 h of traffic", 8.0),
        Scenario(
            "restarts",
            "audit",
            "audit v1, the Agent restarts twice; only the cursor survives",
            8.0,
            restarts=(2.0, 5.5),
        ),
        Scenario(
            "faults",
            "audit",
            "audit v1: 500, 503 + Retry-After, connection resets and a response slower than "
            "the timeout",
            10.0,
            faults=(
                Fault("status", "audit", _nth(2, 3, 4, 5, 6, 7), status=500),
                Fault("status", "audit", _nth(12), status=503, retry_after=30),
                Fault("reset", "audit", _nth(15, 16)),
                Fault("slow", "audit", _nth(20), delay=400.0),
            ),
        ),
        Scenario(
            "rate-limited",
            "audit",
            "audit v1 with a tight per-user limit: 429 + Retry-After honoured, nothing lost",
            8.0,
            limits=Limits(global_per_user=(4, 60)),
            allow_429=True,
        ),
        Scenario(
            "v2-token", "audit", "audit v2 with an API token", 8.0, vars=audit_v2, auth="token"
        ),
        Scenario(
            "v2-restarts",
            "audit",
            "audit v2, restarts in the middle of cursor pagination",
            10.0,
            vars=audit_v2,
            restarts=(2.0, 6.0),
        ),
        Scenario(
            "late-arrivals",
            "audit",
            "audit v1 when records become visible up to 2 min after their `when` "
            "(hypothetical: not documented by Cloudflare): the look-back overlap fetches them",
            4.0,
            vars={"per_page": 50},
            audit_delay=120.0,
            audit_per_hour=60,
        ),
        Scenario(
            "v2-late-arrivals",
            "audit",
            "audit v2 when records become visible up to 2 min after their `action.time`",
            4.0,
            vars={"api_version": "v2", "per_page": 50},
            audit_delay=120.0,
            audit_per_hour=60,
        ),
        Scenario(
            "bad-key",
            "audit",
            "a wrong Global API key is surfaced, never leaked",
            1.0,
            auth="bad-key",
        ),
        Scenario("steady", "logpull", "Logpull, Global API key, 5 h of traffic", 5.0),
        Scenario(
            "restarts",
            "logpull",
            "Logpull, the Agent restarts; the next window starts at the persisted end",
            5.0,
            restarts=(1.5, 4.0),
        ),
        Scenario(
            "faults",
            "logpull",
            "Logpull: 'Error streaming data' trailers, 500/502, a reset and a slow response",
            5.0,
            faults=(
                Fault("trailer", "logpull", _nth(3, 9)),
                Fault("status", "logpull", _nth(5, 6, 7, 8, 9, 10, 11), status=502),
                Fault("reset", "logpull", _nth(20)),
                Fault("slow", "logpull", _nth(25), delay=400.0),
            ),
        ),
        Scenario(
            "outage",
            "logpull",
            "Logpull, the Agent is down 5 h: catch-up in ≤ 1 h windows without a gap",
            9.0,
            outage=(1.0, 6.0),
        ),
        Scenario(
            "retention",
            "logpull",
            "Logpull, the Agent is down 8 days: it resumes within the 7-day retention and "
            "reports the gap in one error event",
            8 * 24 + 4.0,
            outage=(1.0, 8 * 24 + 1.0),
            logs_per_minute=1,
            empty_minutes=0.98,
        ),
        Scenario(
            "rate-limited",
            "logpull",
            "Logpull, 2 requests/min per zone after an outage: 429 + Retry-After honoured, "
            "nothing lost",
            6.0,
            limits=Limits(logpull_per_zone=(2, 60)),
            outage=(1.0, 4.0),
            allow_429=True,
        ),
        Scenario("token", "logpull", "Logpull with an API token", 3.0, auth="token"),
        Scenario(
            "unixnano",
            "logpull",
            "Logpull with timestamps=unixnano: @timestamp is the request time",
            2.0,
            vars={"timestamps": "unixnano"},
        ),
        Scenario(
            "unix",
            "logpull",
            "Logpull with timestamps=unix (seconds): @timestamp is not mis-scaled",
            2.0,
            vars={"timestamps": "unix"},
        ),
        Scenario(
            "bad-token",
            "logpull",
            "a wrong API token is surfaced, never leaked",
            1.0,
            auth="bad-token",
        ),
    )


def extra_scenarios() -> tuple[Scenario, ...]:
    """Cases outside the default suite: behaviour the reference does not document."""
    return ()


def all_scenarios() -> tuple[Scenario, ...]:
    return default_scenarios() + extra_scenarios()


class _Run:
    """Everything one scenario produced."""

    def __init__(self) -> None:
        self.published: list[tuple[dict[str, Any], float]] = []
        self.inputs: list[CelInput] = []
        self.logs: list[str] = []

    def publish(self, events: list[dict[str, Any]], at: float) -> None:
        self.published.extend((e, at) for e in events)
