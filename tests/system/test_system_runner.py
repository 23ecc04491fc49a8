"""System test scenarios: the shipped programs pass, broken programs are caught."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cfmock import ROOT, stream_vars
from system_programs import broken, reference

from fleetpkg.system.configs import load_scenarios
from fleetpkg.system.runner import (
    PASS,
    Scenario,
    ScenarioResult,
    report,
    run_parallel,
    run_scenario,
)
from fleetpkg.system.service import Fault
from fleetpkg.system.stack import package_root


@pytest.fixture(scope="module")
def built() -> Iterator[Path]:
    with package_root(ROOT) as root:
        yield root


def default_scenarios() -> tuple[Scenario, ...]:
    return tuple(s for s in load_scenarios(ROOT) if not s.extra)


def logpull(name: str, hours: float, **options: object) -> Scenario:
    return Scenario(name, "logpull", name, hours, stream_vars=stream_vars("logpull"), **options)  # type: ignore[arg-type]


def audit(name: str, hours: float, **options: object) -> Scenario:
    return Scenario(name, "audit", name, hours, stream_vars=stream_vars("audit"), **options)  # type: ignore[arg-type]


def _problems(result: ScenarioResult) -> str:
    return "\n".join(result.problems)


@pytest.mark.parametrize(
    "scenario",
    [
        logpull("ref", 3.0, restarts=(1.0,)),
        logpull(
            "ref-faults",
            3.0,
            faults=(
                Fault("trailer", "logpull", frozenset({2})),
                Fault("status", "logpull", frozenset({4, 5, 6, 7, 8, 9}), status=500),
            ),
        ),
        audit("ref", 6.0, restarts=(2.0,)),
    ],
    ids=lambda s: f"{s.data_stream}-{s.name}",
)
def test_reference_programs_pass(built: Path, scenario: Scenario) -> None:
    result = run_scenario(scenario, built, program=reference(scenario.data_stream))
    assert result.status == PASS, _problems(result)
    assert result.stats["expected_records"] > 20
    assert result.stats["delivered_records"] >= result.stats["expected_records"]
    if scenario.faults:
        assert result.stats["faults_fired"] >= 2
        assert result.stats["retries"] >= 5
        assert result.stats["error_events"] >= 1  # the trailer and the exhausted retries


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("logpull-2h", "request broke an API rule"),
        ("logpull-trailer", "never delivered"),
        ("logpull-time", "wrong @timestamp"),
        ("audit-leak", "a secret appears in an event"),
        ("audit-skip", "never delivered"),
    ],
)
def test_broken_programs_are_caught(built: Path, name: str, expected: str) -> None:
    data_stream, factory = broken(name)
    faults = (Fault("trailer", "logpull", frozenset({2})),) if name == "logpull-trailer" else ()
    backlog = {"initial_interval": "3h"} if name == "logpull-2h" else {}
    scenario = Scenario(
        name,
        data_stream,
        "broken on purpose",
        3.0,
        stream_vars=stream_vars(data_stream, **backlog),
        faults=faults,
    )
    result = run_scenario(scenario, built, program=factory)
    assert result.status == "fail"
    assert expected in _problems(result)


def test_scaled_scenarios_keep_their_shape() -> None:
    outage = logpull("o", 9.0, restarts=(2.0,), outage=(1.0, 6.0)).scaled(0.5)
    assert outage.hours == 8.5
    assert outage.restarts == (1.0,)
    assert outage.outage == (0.5, 5.5)


def test_shipped_programs_pass_the_default_suite() -> None:
    """Both data streams, the default scenarios (over 40 % of the hours of ``fleetpkg
    system-test``, to stay fast), with the package's own rendered programs."""
    # steady, token and unixnano are covered by restarts, v2 and unix (and by the CLI run)
    covered = {"steady", "v2-token", "token", "unixnano"}
    scenarios = [s.scaled(0.4) for s in default_scenarios() if s.name not in covered]
    results = run_parallel(scenarios, source=ROOT, jobs=2)
    text = report(results)
    assert [r.status for r in results] == [PASS] * len(scenarios), text
    by_name = {(r.scenario.data_stream, r.scenario.name): r.stats for r in results}
    assert {ds for ds, _ in by_name} == {"audit", "logpull"}
    for (_ds, name), stats in by_name.items():
        if name.startswith("bad"):
            assert stats["error_events"] > 0
            assert stats["events"] == 0
        else:
            assert stats["expected_records"] > 50, name
            assert stats["delivered_records"] >= stats["expected_records"], name
    assert by_name[("audit", "faults")]["faults_fired"] >= 5
    assert by_name[("logpull", "faults")]["faults_fired"] >= 5
    assert by_name[("audit", "rate-limited")]["rate_limited"] > 0
    assert by_name[("logpull", "rate-limited")]["rate_limited"] > 0
    assert by_name[("audit", "faults")]["retries"] > 0


@pytest.mark.parametrize("name", ["bad-key", "bad-token"])
def test_error_events_go_through_the_pipeline_cleanly(name: str) -> None:
    """The error events of a failing authentication are indexed as events, not pipeline
    errors, and their fields are declared."""
    (scenario,) = [s for s in default_scenarios() if s.name == name]
    (result,) = run_parallel([scenario], source=ROOT, jobs=1)
    assert result.status == PASS, _problems(result)
    assert result.stats["error_events"] > 0
    assert not [w for w in result.warnings + result.problems if "error event" in w]


def test_agent_fields_are_declared() -> None:
    """input.type, which the Agent adds to every event, validates without a warning."""
    scenario = audit("agent-fields", 2.0)
    (result,) = run_parallel([scenario], source=ROOT, jobs=1)
    assert result.status == PASS, _problems(result)
    assert not [w for w in result.warnings if "input.type" in w], result.warnings


def test_retention_gap_is_reported_once() -> None:
    """After an outage longer than Logpull's 7 days, one error event names the interval that
    could not be fetched; the rest is delivered from the earliest fetchable window."""
    (scenario,) = [s for s in default_scenarios() if s.name == "retention"]
    (result,) = run_parallel([scenario.scaled(0.4)], source=ROOT, jobs=1)
    assert result.status == PASS, _problems(result)
    assert result.stats["error_events"] == 1
    assert any("an error event reported the gap" in w for w in result.warnings)


@pytest.mark.parametrize("name", ["late-arrivals", "v2-late-arrivals"])
def test_audit_late_arrivals_lose_nothing(name: str) -> None:
    """Records Cloudflare lists up to 2 minutes after their time are fetched by the look-back
    overlap; the re-fetched ones are the same documents (_id)."""
    (scenario,) = [s for s in default_scenarios() if s.name == name]
    (result,) = run_parallel([scenario], source=ROOT, jobs=1)
    assert result.status == PASS, _problems(result)
    assert result.stats["delivered_records"] >= result.stats["expected_records"] > 500


def test_the_package_declares_its_scenarios() -> None:
    """19 default scenarios under data_stream/*/_dev/test/system, named as package-spec asks."""
    scenarios = default_scenarios()
    assert len(scenarios) == 19
    assert {s.data_stream for s in scenarios} == {"audit", "logpull"}
    by_name = {(s.data_stream, s.name): s for s in scenarios}
    faults = by_name[("audit", "faults")].faults
    assert Fault("status", "audit", frozenset({12}), status=503, retry_after=30) in faults
    assert by_name[("logpull", "rate-limited")].limits == {"logpull_per_zone": (2, 60)}
    assert by_name[("logpull", "retention")].outage == (1.0, 193.0)
    assert not by_name[("logpull", "bad-token")].expects_data
