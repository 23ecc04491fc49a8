"""System test checks: API rules, faults, exactly-once delivery, @timestamp, fields, secrets."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from .clock import iso
from .cloudflare import ACCOUNT, ZONE, ApiError, CloudflareSimulator, RequestRecord, parse_time
from .dataset import NS
from .input import StreamConfig
from .scenarios import Scenario, ScenarioResult, _Run
from .stack import Ingest, Ingested, to_document

TAIL_MARGIN = 180.0
AGENT_FIELDS = ("input.type",)
RULE_STATUSES = frozenset({400, 401, 403, 404, 405})


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
