"""System test checks: API rules, faults, exactly-once delivery, @timestamp, fields, secrets.

Every check is a function of what one run produced (:class:`Observed`) that returns its
:class:`Findings`; :func:`run_checks` runs them all. What is the package's own — the key of a
record, which records the API held, what it could not serve — comes from the mock
(:meth:`~fleetpkg.system.service.Service.held`, ``record_key``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .clock import iso
from .scenarios import Scenario, _Run
from .service import NS, Held, RequestRecord
from .stack import Ingested

AGENT_FIELDS = ("input.type",)
RULE_STATUSES = frozenset({400, 401, 403, 404, 405})


@dataclass(frozen=True)
class Findings:
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def __add__(self, other: Findings) -> Findings:
        return Findings(self.problems + other.problems, self.warnings + other.warnings)


@dataclass(frozen=True)
class Observed:
    """Everything one scenario run produced, aligned by published event."""

    scenario: Scenario
    run: _Run
    requests: tuple[RequestRecord, ...]
    ingested: tuple[Ingested, ...]
    keys: tuple[str | None, ...]  # the record key of each data event (None: error event)
    key_problems: tuple[str, ...]
    held: Held
    secrets: tuple[str, ...]
    service_log: tuple[str, ...]  # the mock's request log, as text
    validate: Callable[[int, dict[str, Any]], list[str]]

    @property
    def events(self) -> list[dict[str, Any]]:
        return [e for e, _ in self.run.published]

    @property
    def error_events(self) -> list[dict[str, Any]]:
        return [e for e in self.events if "error" in e]

    @property
    def data_keys(self) -> list[str]:
        return [k for e, k in zip(self.events, self.keys, strict=True) if "error" not in e and k]


def observe(
    scenario: Scenario,
    run: _Run,
    requests: Iterable[RequestRecord],
    ingested: list[Ingested],
    held: Held,
    record_key: Callable[[dict[str, Any]], str],
    secrets: tuple[str, ...],
    validate: Callable[[int, dict[str, Any]], list[str]],
) -> Observed:
    keys: list[str | None] = []
    key_problems: list[str] = []
    for event, _ in run.published:
        key = None
        if "error" not in event:
            try:
                key = record_key(event)
            except ValueError as err:
                key_problems.append(str(err))
        keys.append(key)
    log = tuple(requests)
    texts = tuple(json.dumps(asdict(r)) for r in log)
    return Observed(
        scenario, run, log, tuple(ingested), tuple(keys), tuple(key_problems), held, secrets,
        texts, validate,
    )  # fmt: skip


def api_rules(o: Observed) -> Findings:
    """No request against the API's rules (4xx), no 429 unless the scenario tightens limits."""
    problems: list[str] = []
    warnings: list[str] = []
    for req in o.requests:
        if req.status in RULE_STATUSES and o.scenario.expects_data:
            query = "&".join(f"{k}={v[:40]}" for k, v in req.query.items() if k != "fields")
            problems.append(
                f"request broke an API rule: {req.path}?{query} → {req.status} {req.error}"
            )
        if req.status == 429 and not o.scenario.allow_429:
            problems.append(f"rate limited (429) at {iso(req.at)}: {req.path}")
        warnings.extend(f"{note} in {req.path}" for note in req.notes)
    return Findings(tuple(problems), tuple(warnings))


def refused(o: Observed) -> Findings:
    """A scenario that expects no data (refused credentials) gets error events and no data."""
    if o.scenario.expects_data:
        return Findings()
    problems = []
    if not o.error_events:
        problems.append("an authentication failure produced no error event")
    data = len(o.events) - len(o.error_events)
    if data:
        problems.append(f"{data} data event(s) despite failing authentication")
    return Findings(tuple(problems))


def faults_handled(o: Observed) -> Findings:
    """Every injected fault (but a slow answer) is retried — the same request later — or
    surfaced as an error event."""
    problems = []
    for index, req in enumerate(o.requests):
        if req.fault in (None, "slow"):  # a slow answer is either used or timed out and retried
            continue
        later = [
            r
            for r in o.requests[index + 1 :]
            if r.endpoint == req.endpoint and r.query == req.query
        ]
        if not later and not o.error_events:
            problems.append(f"fault {req.fault} at {iso(req.at)} neither retried nor surfaced")
    return Findings(tuple(problems))


def _reports(o: Observed, notice: str) -> bool:
    return any(notice in _message(e) for e in o.error_events)


def _message(event: dict[str, Any]) -> str:
    error = event.get("error")
    message = error.get("message") if isinstance(error, dict) else None
    return message if isinstance(message, str) else ""


def delivery(o: Observed) -> Findings:
    """Every record the mock held for the period delivered, none it never held; records the
    mock could not serve (gaps) excused when an error event reported them."""
    if not o.scenario.expects_data:
        return Findings(o.key_problems)
    problems, warnings = [*o.key_problems, *o.held.problems], list[str]()
    for gap in o.held.gaps:
        if not gap.keys:
            continue
        if _reports(o, gap.notice):
            warnings.append(
                f"{len(gap.keys)} record(s) {gap.reason} (unavoidable; an error event reported "
                "the gap)"
            )
        else:
            problems.append(
                f"{len(gap.keys)} record(s) {gap.reason}, and no error event told the user "
                "about the gap"
            )
    delivered = set(o.data_keys)
    missing = set(o.held.expected) - delivered
    if missing:
        problems.append(
            f"{len(missing)} of {len(o.held.expected)} record(s) never delivered (gap), e.g. "
            + ", ".join(sorted(missing)[:3])
        )
    unknown = delivered - set(o.held.known)
    if unknown:
        problems.append(f"{len(unknown)} delivered record(s) the API never held")
    return Findings(tuple(problems), tuple(warnings))


def duplicates(o: Observed) -> Findings:
    """A record delivered twice must become the same document (the pipeline's ``_id``)."""
    same, different = _repeats(o)
    problems = tuple(
        f"record {key} delivered {n} times as different documents" for key, n in different
    )
    warnings = (
        (f"{same} boundary record(s) fetched again; the pipeline's _id dedupes them",)
        if same
        else ()
    )
    return Findings(problems, warnings)


def _repeats(o: Observed) -> tuple[int, list[tuple[str, int]]]:
    """Extra deliveries that are the same document, and keys delivered as different ones."""
    ids: dict[str, set[str | None]] = {}
    for key, out in zip(o.keys, o.ingested, strict=False):
        if key is not None:
            ids.setdefault(key, set()).add(out.id)
    same, different = 0, []
    for key, count in Counter(o.data_keys).items():
        if count < 2:
            continue
        if len(ids[key]) == 1 and None not in ids[key]:
            same += count - 1
        else:
            different.append((key, count))
    return same, different


def timestamps(o: Observed) -> Findings:
    """``@timestamp`` of each document is its record's own time (to the second: some formats
    drop the fraction), not the time of collection and not mis-scaled Unix time."""
    wrong = []
    for key, out in zip(o.keys, o.ingested, strict=False):
        if key is None or key not in o.held.known or out.source is None or out.error:
            continue
        problem = _timestamp_problem(out.source, o.held.known[key])
        if problem:
            wrong.append(problem)
    if not wrong:
        return Findings()
    return Findings((f"{len(wrong)} event(s) with a wrong @timestamp, e.g. {wrong[0]}",))


def _timestamp_problem(doc: dict[str, Any], want_ns: int) -> str | None:
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


def error_events(o: Observed) -> Findings:
    """An error event has ``error.message`` and goes through the pipeline as itself (not as
    ``event.kind: pipeline_error``, not with its message replaced)."""
    problems, failing = [], []
    for event, out in zip(o.events, o.ingested, strict=False):
        if "error" not in event:
            continue
        if not _message(event):
            problems.append(f"error event without error.message: {json.dumps(event)[:120]}")
        if _pipeline_failed(event, out):
            failing.append(out.error or "dropped")
    if failing:
        reason = re.sub(r"\[GET [^]]*\]", "[GET …]", failing[0])[:160]
        problems.append(
            f"the pipeline fails on {len(failing)} error event(s) (they would be indexed as "
            f"pipeline errors): {reason}"
        )
    return Findings(tuple(problems))


def _pipeline_failed(event: dict[str, Any], out: Ingested) -> bool:
    """The pipeline dropped an error event, made it a pipeline error or replaced its message."""
    source = out.source or {}
    kind = source.get("event", {}).get("kind") if isinstance(source.get("event"), dict) else None
    kept = isinstance(source.get("error"), dict) and isinstance(event["error"], dict)
    replaced = kept and source["error"].get("message") != event["error"].get("message")
    return out.dropped or kind == "pipeline_error" or bool(replaced)


def fields_valid(o: Observed) -> Findings:
    """No pipeline failure on data events; the fields of every document are declared and
    valid (an undeclared field the Agent adds is a warning)."""
    counts: Counter[str] = Counter()
    warnings = []
    for index, (event, out) in enumerate(zip(o.events, o.ingested, strict=False)):
        if "error" not in event and out.error:
            counts[f"pipeline error: {out.error}"] += 1
            continue
        if out.source is None or ("error" in event and _pipeline_failed(event, out)):
            continue
        for message in o.validate(index, out.source):
            text = message.split(": ", 1)[-1]
            agent = next((f for f in AGENT_FIELDS if f'field "{f}" is undefined' in text), None)
            if agent:
                warnings.append(
                    f"the package does not declare {agent}, which the Agent adds to every "
                    "event (elastic-package system tests fail on this)"
                )
            else:
                counts[text] += 1
    problems = tuple(f"fields: {m} ({n} event(s))" for m, n in sorted(counts.items())[:15])
    return Findings(problems, tuple(warnings))


def unexpected_errors(o: Observed) -> Findings:
    """Without faults or tightened limits, a run that should get data has no error event but
    the expected reports the mock names (``Held.notices``)."""
    s = o.scenario
    if s.faults or s.limits or not s.expects_data:
        return Findings()
    unexpected = [e for e in o.error_events if not any(n in _message(e) for n in o.held.notices)]
    return Findings(tuple(f"unexpected error event: {json.dumps(e)[:200]}" for e in unexpected[:5]))


def hit_count(o: Observed) -> Findings:
    """elastic-package's ``assert.hit_count``: the number of distinct data documents."""
    want = o.scenario.hit_count
    if want is None:
        return Findings()
    docs = {
        out.id or f"#{i}"
        for i, (e, out) in enumerate(zip(o.events, o.ingested, strict=False))
        if "error" not in e and out.source is not None
    }
    if len(docs) == want:
        return Findings()
    return Findings((f"assert.hit_count: {len(docs)} document(s), expected {want}",))


def expected_fields(o: Observed) -> Findings:
    """``fleetpkg.expect_fields``: every data document the pipeline indexed has each field
    (a non-null value, at a nested or a dotted key)."""
    wanted: tuple[str, ...] = getattr(o.scenario, "expect_fields", ())
    if not wanted or not o.scenario.expects_data:
        return Findings()
    docs = [
        out.source
        for e, out in zip(o.events, o.ingested, strict=False)
        if "error" not in e and out.source is not None and not out.error
    ]
    if not docs:
        return Findings(("expect_fields: no data document to check",))
    problems = []
    for name in wanted:
        missing = sum(1 for doc in docs if _field(doc, name.split(".")) is None)
        if missing:
            problems.append(
                f"expect_fields: {name} missing in {missing} of {len(docs)} document(s)"
            )
    return Findings(tuple(problems))


def _field(node: Any, parts: list[str]) -> Any:
    """The value at a dotted name, whether the document nests it or has dotted keys."""
    if not parts:
        return node
    if not isinstance(node, dict):
        return None
    for cut in range(1, len(parts) + 1):
        key = ".".join(parts[:cut])
        if key in node:
            found = _field(node[key], parts[cut:])
            if found is not None:
                return found
    return None


def no_secrets(o: Observed) -> Findings:
    """No secret in events, documents, input logs, traces, evaluation errors or the mock's
    request log."""
    problems = []
    for where, text in _texts(o):
        if any(secret and secret in text for secret in o.secrets):
            problems.append(f"a secret appears in {where}")
    return Findings(tuple(problems))


def _texts(o: Observed) -> Iterable[tuple[str, str]]:
    for event in o.events:
        yield "an event", json.dumps(event)
    for doc in o.ingested:
        yield "an ingested document", json.dumps(doc.source) + (doc.error or "")
    for line in o.run.logs:
        yield "the input log", line
    for inp in o.run.inputs:
        for line in inp.logs:
            yield "the input log", line
        for entry in inp.transport.trace:
            yield "the request trace", json.dumps(asdict(entry))
        for execution in inp.executions:
            yield "an evaluation error", execution.error or ""
    for line in o.service_log:
        yield "the API's request log", line


CHECKS: tuple[Callable[[Observed], Findings], ...] = (
    api_rules,
    refused,
    faults_handled,
    delivery,
    duplicates,
    timestamps,
    error_events,
    fields_valid,
    unexpected_errors,
    hit_count,
    expected_fields,
    no_secrets,
)


def run_checks(o: Observed) -> Findings:
    """Every check; problems in order without repeats, warnings sorted."""
    found = Findings()
    for check in CHECKS:
        found = found + check(o)
    return Findings(tuple(dict.fromkeys(found.problems)), tuple(sorted(set(found.warnings))))


def stats(o: Observed) -> dict[str, Any]:
    traces = [t for inp in o.run.inputs for t in inp.transport.trace]
    errors = len(o.error_events)
    return {
        "virtual_hours": o.scenario.hours,
        "requests": len(o.requests),
        "http_attempts": len(traces),
        "retries": sum(1 for t in traces if t.attempt > 0),
        "executions": sum(len(inp.executions) for inp in o.run.inputs),
        "events": len(o.events) - errors,
        "error_events": errors,
        "expected_records": len(o.held.expected) if o.scenario.expects_data else 0,
        "delivered_records": len(set(o.data_keys)),
        "refetched": _repeats(o)[0],
        "faults_fired": sum(1 for r in o.requests if r.fault),
        "rate_limited": sum(1 for r in o.requests if r.status == 429),
        "pipeline_docs": len(o.ingested) - errors,
    }
