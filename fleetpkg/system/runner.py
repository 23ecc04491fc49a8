"""System test scenarios: the shipped stream program against the simulator, through many
intervals on a virtual clock, every event through the ingest pipeline, then the checks:
exactly-once delivery, API rules, faults retried or surfaced, no secret anywhere, fields valid.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .clock import VirtualClock, iso
from .cloudflare import (
    ACCOUNT,
    TOKEN,
    ZONE,
    ApiError,
    CloudflareSimulator,
    Credentials,
    Fault,
    Limits,
    RequestRecord,
    SimulatorServer,
    parse_time,
)
from .dataset import NS, Dataset
from .input import CelInput, CursorStore, StreamConfig
from .stack import Ingest, Ingested, StackError, package_root, render_stream, to_document

START = 1_795_000_000.0  # 2026-11-18T11:06:40Z, the virtual "now" every scenario starts at
TAIL_MARGIN = 180.0
AGENT_FIELDS = ("input.type",)
RULE_STATUSES = frozenset({400, 401, 403, 404, 405})
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


class _Run:
    """Everything one scenario produced."""

    def __init__(self) -> None:
        self.published: list[tuple[dict[str, Any], float]] = []
        self.inputs: list[CelInput] = []
        self.logs: list[str] = []

    def publish(self, events: list[dict[str, Any]], at: float) -> None:
        self.published.extend((e, at) for e in events)


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


def _record_key(data_stream: str, event: dict[str, Any]) -> tuple[str | None, str | None]:
    """(key, problem) of a data event: the audit id or the Logpull RayID in ``message``."""
    message = event.get("message")
    if not isinstance(message, str):
        return None, f"event without a string message: {sorted(event)}"
    try:
        record = json.loads(message)
    except json.JSONDecodeError:
        return None, f"event message is not JSON: {message[:80]!r}"
    if not isinstance(record, dict):
        return None, "event message is not a JSON object"
    key = record.get("RayID") if data_stream == "logpull" else record.get("id")
    if not isinstance(key, str):
        return None, "event message has no record id (audit `id` / Logpull `RayID`)"
    return key, None


def _first(requests: list[RequestRecord], endpoint: Iterable[str]) -> RequestRecord | None:
    names = set(endpoint)
    return next((r for r in requests if r.endpoint in names), None)


def _check(
    scenario: Scenario,
    config: StreamConfig,
    sim: CloudflareSimulator,
    run: _Run,
    ingest: Ingest,
    secrets: tuple[str, ...],
    end: float,
    result: ScenarioResult,
) -> None:
    problems, warnings = result.problems, result.warnings
    data_events = [(e, at) for e, at in run.published if "error" not in e]
    error_events = [e for e, _ in run.published if "error" in e]
    requests = sim.requests
    endpoints = ("audit", "audit_v2") if scenario.data_stream == "audit" else ("logpull",)

    # 1. API rules
    for req in requests:
        if req.status in RULE_STATUSES and scenario.expects_data:
            problems.append(
                f"request broke an API rule: {req.path}?{_query(req)} → {req.status} {req.error}"
            )
        if req.status == 429 and not scenario.allow_429:
            problems.append(f"rate limited (429) at {iso(req.at)}: {req.path}")
        for note in req.notes:
            if not note.startswith("rate limited"):
                warnings.append(f"{note} in {req.path}")
    if not scenario.expects_data:
        if not error_events:
            problems.append("an authentication failure produced no error event")
        if data_events:
            problems.append(f"{len(data_events)} data event(s) despite failing authentication")

    # 2. faults retried or surfaced
    for index, req in enumerate(requests):
        if req.fault in (None, "slow"):  # a slow answer is either used or timed out and retried
            continue
        later = [
            r for r in requests[index + 1 :] if r.endpoint == req.endpoint and r.query == req.query
        ]
        if not later and not error_events:
            problems.append(f"fault {req.fault} at {iso(req.at)} neither retried nor surfaced")

    # 3. delivery: exactly once
    keys: list[str] = []
    for event, _at in data_events:
        key, problem = _record_key(scenario.data_stream, event)
        if problem:
            problems.append(problem)
        elif key is not None:
            keys.append(key)
    docs = [to_document(e, config, ingest.dataset, at) for e, at in run.published]
    ingested = ingest.run(docs)
    expected: set[str] = set()
    if scenario.expects_data:
        surfaced = any(_retention_event(e) for e in error_events)
        expected = _expected(
            scenario, config, sim, requests, endpoints, end, problems, warnings, surfaced
        )
    delivered = Counter(keys)
    missing = expected - set(delivered)
    if missing:
        problems.append(
            f"{len(missing)} of {len(expected)} record(s) never delivered (gap), e.g. "
            + ", ".join(sorted(missing)[:3])
        )
    known = _all_known(scenario, sim, requests, end)
    unknown = set(delivered) - set(known)
    if unknown:
        problems.append(f"{len(unknown)} delivered record(s) the API never held")
    ids: dict[str, set[str | None]] = {}
    data_index = [i for i, (e, _) in enumerate(run.published) if "error" not in e]
    for key, i in zip(keys, data_index, strict=False):
        ids.setdefault(key, set()).add(ingested[i].id if i < len(ingested) else None)
    refetched = 0
    for key, count in delivered.items():
        if count > 1:
            same_id = len(ids.get(key, set())) == 1 and None not in ids.get(key, {None})
            if same_id:
                refetched += count - 1
            else:
                problems.append(f"record {key} delivered {count} times as different documents")
    if refetched:
        warnings.append(
            f"{refetched} boundary record(s) fetched again; the pipeline's _id dedupes them"
        )

    # 4. pipeline and fields
    field_problems: Counter[str] = Counter()
    failing_errors: list[str] = []
    time_problems: list[str] = []
    error_docs = 0
    for i, (event, _at) in enumerate(run.published):
        out: Ingested = ingested[i]
        if "error" in event:
            error_docs += 1
            if not isinstance(event["error"], dict) or not event["error"].get("message"):
                problems.append(f"error event without error.message: {json.dumps(event)[:120]}")
            # out.error is error.message of the output: the event's own, unless the pipeline
            # failed (then event.kind is pipeline_error and a message is appended)
            source = out.source or {}
            kind = (
                source.get("event", {}).get("kind")
                if isinstance(source.get("event"), dict)
                else None
            )
            kept = isinstance(source.get("error"), dict) and isinstance(event["error"], dict)
            if (
                out.dropped
                or kind == "pipeline_error"
                or (kept and source["error"].get("message") != event["error"].get("message"))
            ):
                failing_errors.append(out.error or "dropped")
                continue
        elif out.error:
            field_problems[f"pipeline error: {out.error}"] += 1
            continue
        elif out.source is not None:
            key, _ = _record_key(scenario.data_stream, event)
            if key is not None and key in known:
                problem = _timestamp_problem(out.source, known[key])
                if problem:
                    time_problems.append(problem)
        if out.source is not None:
            for message in ingest.validate(i, out.source):
                text = message.split(": ", 1)[-1]
                agent_field = next(
                    (f for f in AGENT_FIELDS if f'field "{f}" is undefined' in text), None
                )
                if agent_field:
                    warnings.append(
                        f"the package does not declare {agent_field}, which the Agent adds to "
                        "every event (elastic-package system tests fail on this)"
                    )
                else:
                    field_problems[text] += 1
    if time_problems:
        problems.append(
            f"{len(time_problems)} event(s) with a wrong @timestamp, e.g. {time_problems[0]}"
        )
    if failing_errors:
        reason = re.sub(r"\[GET [^]]*\]", "[GET …]", failing_errors[0])[:160]
        problems.append(
            f"the pipeline fails on {len(failing_errors)} error event(s) (they would be indexed "
            f"as pipeline errors): {reason}"
        )
    for message, count in sorted(field_problems.items())[:15]:
        problems.append(f"fields: {message} ({count} event(s))")
    if not scenario.faults and scenario.expects_data and scenario.limits is None:
        for event in [e for e in error_events if not _retention_event(e)][:5]:
            problems.append(f"unexpected error event: {json.dumps(event)[:200]}")

    # 5. secrets
    for where, text in _texts(run, sim, ingested):
        for secret in secrets:
            if secret and secret in text:
                problems.append(f"a secret appears in {where}")
                break

    traces = [t for inp in run.inputs for t in inp.transport.trace]
    result.problems[:] = list(dict.fromkeys(problems))
    result.warnings[:] = sorted(set(warnings))
    result.stats = {
        "virtual_hours": scenario.hours,
        "requests": len(requests),
        "http_attempts": len(traces),
        "retries": sum(1 for t in traces if t.attempt > 0),
        "executions": sum(len(inp.executions) for inp in run.inputs),
        "events": len(data_events),
        "error_events": len(error_events),
        "expected_records": len(expected),
        "delivered_records": len(delivered),
        "refetched": refetched,
        "faults_fired": sum(1 for r in requests if r.fault),
        "rate_limited": sum(1 for r in requests if r.status == 429),
        "pipeline_docs": len(ingested) - error_docs,
    }


def _query(req: RequestRecord) -> str:
    return "&".join(f"{k}={v[:40]}" for k, v in req.query.items() if k != "fields")


def _expected(
    scenario: Scenario,
    config: StreamConfig,
    sim: CloudflareSimulator,
    requests: list[RequestRecord],
    endpoints: tuple[str, ...],
    end: float,
    problems: list[str],
    warnings: list[str],
    surfaced: bool,
) -> set[str]:
    first = _first(requests, endpoints)
    if first is None:
        problems.append("the program never called the API")
        return set()
    tail = end - config.interval - TAIL_MARGIN
    name = "start" if scenario.data_stream == "logpull" else "since"
    try:
        begin_ns = parse_time(first.query[name], name) if name in first.query else sim.origin_ns
    except ApiError:
        problems.append(f"first request has an invalid {name}: {first.query.get(name)!r}")
        return set()
    end_ns = int(tail * NS)
    if scenario.data_stream == "logpull":
        if "count" in first.query or "sample" in first.query:
            problems.append("count/sample set: exactly-once delivery cannot be checked")
            return set()
        if "RayID" not in (first.query.get("fields") or "RayID").split(","):
            problems.append("RayID is not among the requested fields: delivery cannot be checked")
            return set()
        records = sim.dataset.logs_between(ZONE, max(begin_ns, sim.origin_ns), end_ns)
        skipped = _retention_gaps(requests)
        lost = [r for r in records if any(a <= r.end_ns < b for a, b in skipped)]
        if lost:
            warnings.append(
                f"{len(lost)} record(s) had left Logpull's 7-day retention when the input "
                "resumed (unavoidable; an error event reported the gap)"
            )
            if not surfaced:
                problems.append(
                    f"{len(lost)} record(s) had left Logpull's 7-day retention when the input "
                    "resumed, and no error event told the user about the gap"
                )
        return {r.ray_id for r in records} - {r.ray_id for r in lost}
    return {r.id for r in sim.dataset.audit_between(ACCOUNT, max(begin_ns, sim.origin_ns), end_ns)}


def _retention_event(event: dict[str, Any]) -> bool:
    """An error event reporting records lost to Logpull's retention (its message says so)."""
    error = event.get("error")
    message = error.get("message") if isinstance(error, dict) else None
    return isinstance(message, str) and "retention" in message


def _retention_gaps(requests: list[RequestRecord]) -> list[tuple[int, int]]:
    """Ranges of time no successful Logpull window covered because, when the input came back,
    they were older than the 7-day retention (the next window starts near ``now - 7 days``)."""
    windows = []
    for req in requests:
        if req.endpoint != "logpull" or req.status != 200 or req.fault == "trailer":
            continue
        try:
            start, stop = (
                parse_time(req.query["start"], "start"),
                parse_time(req.query["end"], "end"),
            )
        except (ApiError, KeyError):
            continue
        windows.append((req.at, start, stop))
    gaps = []
    covered_to: int | None = None
    for at, start, stop in sorted(windows, key=lambda w: w[1]):
        oldest = int((at - 7 * 86400) * NS)
        if covered_to is not None and start > covered_to and start - oldest < 3600 * NS:
            gaps.append((covered_to, start))
        covered_to = stop if covered_to is None else max(covered_to, stop)
    return gaps


def _all_known(
    scenario: Scenario, sim: CloudflareSimulator, requests: list[RequestRecord], end: float
) -> dict[str, int]:
    """Every record the API could have served (from the oldest time asked for until ``end``)
    with its event time in ns: Logpull ``EdgeStartTimestamp``, audit ``when``."""
    name = "start" if scenario.data_stream == "logpull" else "since"
    starts = [sim.origin_ns]
    for req in requests:
        if name in req.query:
            try:
                starts.append(parse_time(req.query[name], name))
            except ApiError:
                continue
    lo = max(sim.origin_ns, min(starts[1:] or starts))
    end_ns = int(end * NS) + 1
    if scenario.data_stream == "logpull":
        return {
            r.ray_id: int(r.fields["EdgeStartTimestamp"])
            for r in sim.dataset.logs_between(ZONE, lo, end_ns)
        }
    return {r.id: r.ns for r in sim.dataset.audit_between(ACCOUNT, lo, end_ns)}


def _timestamp_problem(doc: dict[str, Any], want_ns: int) -> str | None:
    """``@timestamp`` must be the record's own time (to the second: some formats drop the
    fraction), not the time of collection and not mis-scaled Unix time."""
    value = doc.get("@timestamp")
    if not isinstance(value, str):
        return "no @timestamp"
    try:
        got = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return f"unreadable @timestamp {value!r}"
    if abs(got - want_ns / NS) >= 1.0:
        return f"@timestamp {value} is not the record time {iso(want_ns / NS)}"
    return None


def _texts(
    run: _Run, sim: CloudflareSimulator, ingested: list[Ingested]
) -> Iterable[tuple[str, str]]:
    for event, _ in run.published:
        yield "an event", json.dumps(event)
    for doc in ingested:
        yield "an ingested document", json.dumps(doc.source) + (doc.error or "")
    for line in run.logs:
        yield "the input log", line
    for inp in run.inputs:
        for line in inp.logs:
            yield "the input log", line
        for entry in inp.transport.trace:
            yield "the request trace", json.dumps(asdict(entry))
        for execution in inp.executions:
            yield "an evaluation error", execution.error or ""
    for req in sim.requests:
        yield "the API's request log", json.dumps(asdict(req))


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
