"""System test execution: run scenarios against the package's mock service on a virtual clock;
report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from fleetpkg.errors import FleetpkgError

from .checks import observe, run_checks, stats
from .clock import VirtualClock, iso
from .configs import load_scenarios
from .discovery import ServiceManifest, find_service
from .httpserver import HttpServer
from .input import CelInput, CursorStore, StreamConfig
from .scenarios import ERROR, FAIL, PASS, SKIP, START, Scenario, ScenarioResult, _Run
from .service import Service, ServiceConfig
from .stack import Ingest, StackError, package_root, render_stream, to_document

__all__ = [
    "ERROR",
    "FAIL",
    "PASS",
    "SKIP",
    "START",
    "Scenario",
    "ScenarioResult",
    "load_scenarios",
    "policy_vars",
    "report",
    "run_all",
    "run_parallel",
    "run_scenario",
    "select",
]

TAIL_MARGIN = 180.0  # records this close to the end may still be on their way
ConfigFactory = Callable[[str, dict[str, Any]], StreamConfig]


def _substitute(value: Any, host: str, port: str) -> Any:
    """elastic-package's ``{{Hostname}}`` and ``{{Port}}`` of the service, in string vars."""
    if isinstance(value, str):
        return value.replace("{{Hostname}}", host).replace("{{Port}}", port)
    if isinstance(value, list):
        return [_substitute(v, host, port) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, host, port) for k, v in value.items()}
    return value


def policy_vars(
    scenario: Scenario, service: Service, url: str, url_var: str | None
) -> dict[str, Any]:
    """``{vars, data_stream: {vars}}`` of the policy: the scenario's vars, the credentials of
    its auth mode (from the mock) and the mock's URL in ``url_var``."""
    host, _, port = url.removeprefix("http://").partition(":")
    package = dict(_substitute(dict(scenario.vars), host, port))
    if url_var:
        package[url_var] = url
    stream = {**service.credentials(scenario.auth), **scenario.stream_vars}
    return {"vars": package, "data_stream": {"vars": _substitute(stream, host, port)}}


def run_scenario(
    scenario: Scenario,
    root: Path,
    progress: Callable[[str], None] | None = None,
    program: ConfigFactory | None = None,
    manifest: ServiceManifest | None = None,
) -> ScenarioResult:
    """Run one scenario; ``program(url, stream_vars)`` replaces the package's stream (tests)."""
    started = time.perf_counter()
    result = ScenarioResult(scenario, PASS)
    if scenario.skip:
        return ScenarioResult(scenario, SKIP, warnings=[f"skipped: {scenario.skip}"])
    try:
        manifest = manifest or find_service(root, scenario.data_stream)
        ingest = Ingest(root, scenario.data_stream)
        _execute(scenario, root, manifest, ingest, result, progress, program)
    except (StackError, ValueError) as err:
        result.status = ERROR
        result.problems.append(str(err))
    except FleetpkgError as err:
        result.status = ERROR
        result.problems.extend(str(p) for p in err.problems)
    result.seconds = time.perf_counter() - started
    if result.status == PASS and result.problems:
        result.status = FAIL
    return result


def _execute(
    scenario: Scenario,
    root: Path,
    manifest: ServiceManifest,
    ingest: Ingest,
    result: ScenarioResult,
    progress: Callable[[str], None] | None,
    program: ConfigFactory | None,
) -> None:
    clock = VirtualClock(START)
    service = manifest.load()(
        ServiceConfig(
            clock,
            seed=scenario.seed,
            faults=scenario.faults,
            limits=scenario.limits,
            traffic=scenario.traffic,
        )
    )
    run = _Run()
    with HttpServer(service) as server:
        vars_doc = policy_vars(scenario, service, server.url, manifest.url_var)
        if program is None:
            config, rendered_secrets, _ = render_stream(
                root, scenario.data_stream, vars_doc, scenario.input
            )
        else:
            config = program(server.url, vars_doc["data_stream"]["vars"])
            rendered_secrets = config.secrets()
        if config.unknown:
            result.warnings.append(f"stream settings not emulated: {', '.join(config.unknown)}")
        end = _drive(scenario, config, clock, run, progress)
    secrets = tuple(dict.fromkeys((*rendered_secrets, *service.secrets())))
    docs = [to_document(e, config, ingest.dataset, at) for e, at in run.published]
    held = service.held(scenario.data_stream, end - config.interval - TAIL_MARGIN, end)
    observed = observe(
        scenario,
        run,
        service.requests,
        ingest.run(docs),
        held,
        lambda event: service.record_key(scenario.data_stream, event),
        secrets,
        ingest.validate,
    )
    findings = run_checks(observed)
    result.problems.extend(findings.problems)
    result.warnings.extend(findings.warnings)
    result.stats = stats(observed)


def _drive(
    scenario: Scenario,
    config: StreamConfig,
    clock: VirtualClock,
    run: _Run,
    progress: Callable[[str], None] | None,
) -> float:
    """The Agent's life in the scenario: start, restarts, an outage; returns the end time."""
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
    try:
        for at, kind in sorted(stops):
            inp.run_until(at)
            if kind == "outage" and scenario.outage is not None:
                clock.set(START + scenario.outage[1] * 3600)
            inp = start_input()
            if progress:
                progress(f"{scenario.data_stream}/{scenario.name}: {kind} at {iso(clock.now())}")
        inp.run_until(end)
    finally:
        for each in run.inputs:
            each.transport.close()
    return end


def select(
    scenarios: Iterable[Scenario],
    data_streams: Iterable[str] = (),
    names: Iterable[str] = (),
    extra: bool = False,
) -> list[Scenario]:
    """The scenarios of ``data_streams`` named ``names`` (all when empty); extra ones only
    when named or with ``extra``."""
    wanted_ds, wanted = set(data_streams), set(names)
    return [
        s
        for s in scenarios
        if (not wanted_ds or s.data_stream in wanted_ds)
        and (s.name in wanted if wanted else (extra or not s.extra))
    ]


def run_all(
    scenarios: Iterable[Scenario],
    root: Path,
    progress: Callable[[str], None] | None = None,
) -> list[ScenarioResult]:
    results = []
    for scenario in scenarios:
        if progress:
            progress(f"{scenario.data_stream}/{scenario.name}: {scenario.description}")
        results.append(run_scenario(scenario, root, progress))
    return results


def _run_one(scenario: Scenario, root: Path) -> ScenarioResult:
    return run_scenario(scenario, root)


def run_parallel(
    scenarios: list[Scenario],
    source: Path | None = None,
    package: Path | None = None,
    jobs: int = 2,
    progress: Callable[[str], None] | None = None,
) -> list[ScenarioResult]:
    """Scenarios in ``jobs`` worker processes, results in the order of ``scenarios``; the
    package is built once (and removed at the end) when it comes from ``source``."""
    try:
        with package_root(source, package) as root:
            return run_in(scenarios, root, jobs, progress)
    except StackError as err:
        return [ScenarioResult(s, ERROR, [str(err)]) for s in scenarios]


def run_in(
    scenarios: list[Scenario],
    root: Path,
    jobs: int = 2,
    progress: Callable[[str], None] | None = None,
) -> list[ScenarioResult]:
    """:func:`run_parallel` on an already built package directory."""
    if jobs <= 1 or len(scenarios) <= 1:
        return run_all(scenarios, root, progress)
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results: dict[int, ScenarioResult] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, len(scenarios))) as pool:
        futures = {pool.submit(_run_one, s, root): i for i, s in enumerate(scenarios)}
        for future in as_completed(futures):
            res = future.result()
            results[futures[future]] = res
            if progress:
                progress(f"{res.scenario.data_stream}/{res.scenario.name}: {res.status}")
    return [results[i] for i in range(len(scenarios))]


def summary(stats: Mapping[str, Any]) -> str:
    return (
        f"{stats.get('delivered_records', 0)}/{stats.get('expected_records', 0)} records, "
        f"{stats.get('requests', 0)} requests, {stats.get('error_events', 0)} error events"
    )


def report(results: list[ScenarioResult]) -> str:
    lines = []
    for res in results:
        lines.append(
            f"{res.status.upper():5} {res.scenario.data_stream}/{res.scenario.name} "
            f"({summary(res.stats)}; {res.scenario.hours:g} h in {res.seconds:.1f} s)"
        )
        lines.extend(f"      problem: {p}" for p in res.problems)
        lines.extend(f"      warning: {w}" for w in res.warnings)
    failed = sum(1 for r in results if r.status not in (PASS, SKIP))
    skipped = sum(1 for r in results if r.status == SKIP)
    tail = f", {skipped} skipped" if skipped else ""
    lines.append(f"{len(results) - failed - skipped} passed, {failed} failed{tail}")
    return "\n".join(lines)
