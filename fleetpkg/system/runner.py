"""System test execution: run scenarios against the simulator on a virtual clock; report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .checks import _check
from .clock import VirtualClock, iso
from .cloudflare import ACCOUNT, TOKEN, ZONE, CloudflareSimulator, Credentials, SimulatorServer
from .dataset import Dataset
from .input import CelInput, CursorStore, StreamConfig
from .scenarios import (
    ERROR,
    FAIL,
    PASS,
    START,
    Scenario,
    ScenarioResult,
    _Run,
    all_scenarios,
    default_scenarios,
    extra_scenarios,
)
from .stack import Ingest, StackError, package_root, render_stream

__all__ = [
    "ERROR",
    "FAIL",
    "PASS",
    "START",
    "Scenario",
    "ScenarioResult",
    "all_scenarios",
    "default_scenarios",
    "extra_scenarios",
    "report",
    "run_all",
    "run_parallel",
    "run_scenario",
    "scenario_vars",
    "select",
]


def _auth_vars(auth: str, creds: Credentials) -> dict[str, Any]:
    if auth == "token":
        return {"auth_token": TOKEN}
    if auth == "bad-token":
        return {"auth_token": "X" * 40}
    if auth == "bad-key":
        return {"auth_email": creds.email, "auth_key": "f" * 37}
    return {"auth_email": creds.email, "auth_key": creds.key}


def scenario_vars(scenario: Scenario, url: str, creds: Credentials) -> dict[str, Any]:
    stream: dict[str, Any] = dict(_auth_vars(scenario.auth, creds))
    if scenario.data_stream == "audit":
        stream.update({"account_id": ACCOUNT, "per_page": 5, "initial_interval": "24h"})
    else:
        stream.update({"zone_id": ZONE})
    stream.update(scenario.vars)
    return {"vars": {"api_url": url}, "data_stream": {"vars": stream}}


ConfigFactory = Callable[[str, dict[str, Any]], StreamConfig]


def run_scenario(
    scenario: Scenario,
    root: Path,
    progress: Callable[[str], None] | None = None,
    program: ConfigFactory | None = None,
) -> ScenarioResult:
    """Run one scenario; ``program(url, stream_vars)`` replaces the package's stream (tests)."""
    started = time.perf_counter()
    result = ScenarioResult(scenario, PASS)
    try:
        ingest = Ingest(root, scenario.data_stream)
        _execute(scenario, root, ingest, result, progress, program)
    except StackError as err:
        result.status = ERROR
        result.problems.append(str(err))
    result.seconds = time.perf_counter() - started
    if result.status == PASS and result.problems:
        result.status = FAIL
    return result


def _execute(
    scenario: Scenario,
    root: Path,
    ingest: Ingest,
    result: ScenarioResult,
    progress: Callable[[str], None] | None,
    program: ConfigFactory | None = None,
) -> None:
    clock = VirtualClock(START)
    creds = Credentials()
    sim = CloudflareSimulator(
        clock,
        Dataset(
            seed=scenario.seed,
            logs_per_minute=scenario.logs_per_minute,
            empty_minutes=scenario.empty_minutes,
            audit_delay=scenario.audit_delay,
            audit_per_hour=scenario.audit_per_hour,
        ),
        credentials=creds,
        limits=scenario.limits,
        faults=scenario.faults,
    )
    run = _Run()
    with SimulatorServer(sim) as server:
        vars_doc = scenario_vars(scenario, server.url, creds)
        if program is None:
            config, rendered_secrets, _ = render_stream(root, scenario.data_stream, vars_doc)
        else:
            config = program(server.url, vars_doc["data_stream"]["vars"])
            rendered_secrets = config.secrets()
        secrets = tuple(dict.fromkeys((*rendered_secrets, *creds.secrets(), "X" * 40, "f" * 37)))
        if config.unknown:
            result.warnings.append(f"stream settings not emulated: {', '.join(config.unknown)}")
        store = CursorStore()

        def start_input() -> CelInput:
            inp = CelInput(config, clock, run.publish, store, log=run.logs.append)
            run.inputs.append(inp)
            return inp

        end = START + scenario.hours * 3600
        stops: list[tuple[float, str]] = [(START + h * 3600, "restart") for h in scenario.restarts]
        if scenario.outage is not None:
            stops.append((START + scenario.outage[0] * 3600, "outage"))
        inp = start_input()
        for at, kind in sorted(stops):
            inp.run_until(at)
            if kind == "outage":
                assert scenario.outage is not None
                clock.set(START + scenario.outage[1] * 3600)
            inp = start_input()
            if progress:
                progress(f"{scenario.data_stream}/{scenario.name}: {kind} at {iso(clock.now())}")
        inp.run_until(end)
        for each in run.inputs:
            each.transport.close()
    _check(scenario, config, sim, run, ingest, secrets, end, result)


def select(
    scenarios: Iterable[Scenario], data_streams: Iterable[str] = (), names: Iterable[str] = ()
) -> list[Scenario]:
    wanted_ds, wanted = set(data_streams), set(names)
    return [
        s
        for s in scenarios
        if (not wanted_ds or s.data_stream in wanted_ds) and (not wanted or s.name in wanted)
    ]


def run_all(
    scenarios: Iterable[Scenario],
    source: Path | None = None,
    package: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[ScenarioResult]:
    try:
        root = package_root(source, package)
    except StackError as err:
        return [ScenarioResult(s, ERROR, [str(err)]) for s in scenarios]
    results = []
    for scenario in scenarios:
        if progress:
            progress(f"{scenario.data_stream}/{scenario.name}: {scenario.description}")
        results.append(run_scenario(scenario, root, progress))
    return results


def _run_one(scenario: Scenario, source: Path | None, package: Path | None) -> ScenarioResult:
    return run_all([scenario], source, package)[0]


def run_parallel(
    scenarios: list[Scenario],
    source: Path | None = None,
    package: Path | None = None,
    jobs: int = 2,
    progress: Callable[[str], None] | None = None,
) -> list[ScenarioResult]:
    """Scenarios in ``jobs`` worker processes (each builds the package once), results in the
    order of ``scenarios``."""
    if jobs <= 1 or len(scenarios) <= 1:
        return run_all(scenarios, source, package, progress)
    from concurrent.futures import ProcessPoolExecutor, as_completed

    try:
        root = package_root(source, package)  # build once here; workers reuse the directory
    except StackError as err:
        return [ScenarioResult(s, ERROR, [str(err)]) for s in scenarios]
    results: dict[int, ScenarioResult] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, len(scenarios))) as pool:
        futures = {pool.submit(_run_one, s, None, root): i for i, s in enumerate(scenarios)}
        for future in as_completed(futures):
            res = future.result()
            results[futures[future]] = res
            if progress:
                progress(f"{res.scenario.data_stream}/{res.scenario.name}: {res.status}")
    return [results[i] for i in range(len(scenarios))]


def report(results: list[ScenarioResult]) -> str:
    lines = []
    for res in results:
        stats = res.stats
        summary = (
            f"{stats.get('delivered_records', 0)}/{stats.get('expected_records', 0)} records, "
            f"{stats.get('requests', 0)} requests, {stats.get('error_events', 0)} error events"
        )
        lines.append(
            f"{res.status.upper():5} {res.scenario.data_stream}/{res.scenario.name} "
            f"({summary}; {res.scenario.hours:g} h in {res.seconds:.1f} s)"
        )
        lines.extend(f"      problem: {p}" for p in res.problems)
        lines.extend(f"      warning: {w}" for w in res.warnings)
    failed = sum(1 for r in results if r.status != PASS)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines)
