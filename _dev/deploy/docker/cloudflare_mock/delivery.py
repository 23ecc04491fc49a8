"""What the simulator held for a run: the records the delivery check expects, by key.

Audit records are keyed by ``id`` (time: ``when``), Logpull records by ``RayID`` (time:
``EdgeStartTimestamp``). A run starts where the program first asked (``since`` / ``start`` of
its first request). Logpull keeps 7 days: records that left the retention while the Agent
was down are a :class:`~fleetpkg.system.service.Gap` the program must report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from fleetpkg.system.service import Gap, Held, RequestRecord, message_key

from .api import ApiError, parse_time
from .logpull import LOGPULL_MAX_AGE
from .records import NS

if TYPE_CHECKING:
    from .simulator import CloudflareSimulator

ENDPOINTS = {"audit": ("audit", "audit_v2"), "logpull": ("logpull",)}
TIME_PARAMETER = {"audit": "since", "logpull": "start"}
KEY_FIELD = {"audit": "id", "logpull": "RayID"}
RETENTION = "had left Logpull's 7-day retention when the input resumed"
NOTICES = ("retention",)


def _data_stream(data_stream: str) -> str:
    if data_stream not in ENDPOINTS:
        raise ValueError(f"the Cloudflare simulator serves no data stream {data_stream!r}")
    return data_stream


def record_key(data_stream: str, event: Mapping[str, Any]) -> str:
    """The audit ``id`` or the Logpull ``RayID`` of the record in the event's ``message``."""
    return message_key(event, KEY_FIELD[_data_stream(data_stream)])


def held(sim: CloudflareSimulator, data_stream: str, expect_until: float, until: float) -> Held:
    endpoints = ENDPOINTS[_data_stream(data_stream)]
    requests = [r for r in sim.requests if r.endpoint in endpoints]
    known = _known(sim, data_stream, requests, until)
    first = requests[0] if requests else None
    if first is None:
        return Held({}, known, notices=NOTICES, problems=("the program never called the API",))
    name = TIME_PARAMETER[data_stream]
    try:
        begin = parse_time(first.query[name], name) if name in first.query else sim.origin_ns
    except ApiError:
        problem = f"first request has an invalid {name}: {first.query.get(name)!r}"
        return Held({}, known, notices=NOTICES, problems=(problem,))
    lo, hi = max(begin, sim.origin_ns), int(expect_until * NS)
    if data_stream == "audit":
        expected = {r.id: r.ns for r in sim.dataset.audit_between(sim.accounts[0], lo, hi)}
        return Held(expected, known, notices=NOTICES)
    why = _undeliverable(first)
    if why:
        return Held({}, known, notices=NOTICES, problems=(why,))
    records = sim.dataset.logs_between(sim.zones[0], lo, hi)
    skipped = _retention_gaps(requests)
    lost = frozenset(r.ray_id for r in records if any(a <= r.end_ns < b for a, b in skipped))
    expected = {
        r.ray_id: int(r.fields["EdgeStartTimestamp"]) for r in records if r.ray_id not in lost
    }
    gaps = (Gap(lost, RETENTION, "retention"),) if lost else ()
    return Held(expected, known, gaps, NOTICES)


def _undeliverable(first: RequestRecord) -> str | None:
    """Why the Logpull answers cannot be checked for exactly-once delivery, if they cannot."""
    if "count" in first.query or "sample" in first.query:
        return "count/sample set: exactly-once delivery cannot be checked"
    if "RayID" not in (first.query.get("fields") or "RayID").split(","):
        return "RayID is not among the requested fields: delivery cannot be checked"
    return None


def _known(
    sim: CloudflareSimulator, data_stream: str, requests: Sequence[RequestRecord], until: float
) -> dict[str, int]:
    """Every record the API could have served, from the oldest time asked for until
    ``until``, with its event time in ns."""
    name = TIME_PARAMETER[data_stream]
    starts = []
    for req in requests:
        if name in req.query:
            try:
                starts.append(parse_time(req.query[name], name))
            except ApiError:
                continue
    lo = max(sim.origin_ns, min(starts or [sim.origin_ns]))
    hi = int(until * NS) + 1
    if data_stream == "logpull":
        return {
            r.ray_id: int(r.fields["EdgeStartTimestamp"])
            for r in sim.dataset.logs_between(sim.zones[0], lo, hi)
        }
    return {r.id: r.ns for r in sim.dataset.audit_between(sim.accounts[0], lo, hi)}


def _retention_gaps(requests: Sequence[RequestRecord]) -> list[tuple[int, int]]:
    """Ranges no successful Logpull window covered because, when the input came back, they
    were older than the retention (the next window starts near ``now - 7 days``)."""
    windows = []
    for req in requests:
        if req.status != 200 or req.fault == "trailer":
            continue
        try:
            start = parse_time(req.query["start"], "start")
            stop = parse_time(req.query["end"], "end")
        except (ApiError, KeyError):
            continue
        windows.append((req.at, start, stop))
    gaps = []
    covered_to: int | None = None
    for at, start, stop in sorted(windows, key=lambda w: w[1]):
        oldest = int((at - LOGPULL_MAX_AGE) * NS)
        if covered_to is not None and start > covered_to and start - oldest < 3600 * NS:
            gaps.append((covered_to, start))
        covered_to = stop if covered_to is None else max(covered_to, stop)
    return gaps
