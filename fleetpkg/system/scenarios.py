"""System test scenarios: the cases (from the package's test configs), their results and what
one run produced."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .input import CelInput
from .service import Fault

START = 1_795_000_000.0  # 2026-11-18T11:06:40Z, the virtual "now" every scenario starts at
PASS, FAIL, ERROR, SKIP = "pass", "fail", "error", "skip"


@dataclass(frozen=True)
class Scenario:
    """One system test case: ``data_stream/<ds>/_dev/test/system/test-<name>-config.yml``.

    ``vars`` and ``stream_vars`` are the policy's package and data stream vars (the mock's
    URL and the credentials of ``auth`` are added); ``restarts`` (hours) restart the Agent
    (only the cursor survives); ``outage`` (hours) stops it and starts it again later;
    ``expect_data`` false expects error events and no data (e.g. refused credentials).
    """

    name: str
    data_stream: str
    description: str
    hours: float
    vars: Mapping[str, Any] = field(default_factory=dict)
    stream_vars: Mapping[str, Any] = field(default_factory=dict)
    faults: tuple[Fault, ...] = ()
    limits: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    restarts: tuple[float, ...] = ()
    outage: tuple[float, float] | None = None
    auth: str = "default"
    expect_data: bool = True
    allow_429: bool = False
    seed: int = 7
    traffic: Mapping[str, Any] = field(default_factory=dict)
    extra: bool = False
    skip: str | None = None
    hit_count: int | None = None
    input: str | None = None
    path: str = ""

    @property
    def expects_data(self) -> bool:
        return self.expect_data

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


class _Run:
    """Everything one scenario produced."""

    def __init__(self) -> None:
        self.published: list[tuple[dict[str, Any], float]] = []
        self.inputs: list[CelInput] = []
        self.logs: list[str] = []

    def publish(self, events: list[dict[str, Any]], at: float) -> None:
        self.published.extend((e, at) for e in events)
