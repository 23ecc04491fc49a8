"""``test pipeline --es``: the pipeline tests on a cluster, and per event whether the cluster and
the embedded engine agree (with the first differing field)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fleetpkg.packagedir import DataStream, PackageError, load_package
from fleetpkg.testing.backend import Backend, BackendError, CoverageData, SimulateRequest
from fleetpkg.testing.cases import load_case, read_events
from fleetpkg.testing.compare import equal, strip_dynamic
from fleetpkg.testing.embedded import EmbeddedBackend
from fleetpkg.testing.pipelines import load_pipelines
from fleetpkg.testing.report import as_json, human
from fleetpkg.testing.runner import PackageResult, RunOptions, run_package

from .auth import Connection, Credentials, check_url
from .backend import ElasticsearchBackend
from .es import ElasticsearchClient

Outcome = tuple[str, Any]  # ("doc", _source) | ("dropped", None) | ("error", error object)


@dataclass(frozen=True, slots=True)
class EventFidelity:
    """One test event: the cluster's and the embedded engine's outcome, and where they differ."""

    data_stream: str
    case: str
    index: int
    agree: bool
    field: str | None = None  # first differing field ("" = the whole outcome)
    cluster: Any = None
    embedded: Any = None
    note: str = ""

    def line(self) -> str:
        where = f"{self.data_stream}/{self.case}#{self.index}"
        if self.agree:
            return f"  agree   {where}" + (f"  ({self.note})" if self.note else "")
        shown = self.field or "(outcome)"
        return (
            f"  DIFFER  {where}  {shown}: cluster {_short(self.cluster)} ≠ embedded "
            f"{_short(self.embedded)}" + (f"  ({self.note})" if self.note else "")
        )


@dataclass(frozen=True, slots=True)
class FidelityReport:
    """The cluster's test results (against the expected files) and the per-event comparison."""

    tests: PackageResult
    events: tuple[EventFidelity, ...] = field(default=())

    @property
    def differ(self) -> int:
        return sum(1 for e in self.events if not e.agree)

    @property
    def ok(self) -> bool:
        return self.tests.ok and self.differ == 0

    def human(self) -> str:
        lines = [f"pipeline tests on the cluster ({self.tests.package}):", human(self.tests)]
        lines.append(
            f"fidelity: {len(self.events)} event(s), {len(self.events) - self.differ} agree, "
            f"{self.differ} differ (cluster vs embedded engine)"
        )
        lines.extend(e.line() for e in self.events)
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, Any]:
        return {
            "tests": as_json(self.tests),
            "fidelity": [
                {
                    "data_stream": e.data_stream,
                    "case": e.case,
                    "event": e.index,
                    "agree": e.agree,
                    "field": e.field,
                    "cluster": e.cluster,
                    "embedded": e.embedded,
                    "note": e.note,
                }
                for e in self.events
            ],
            "ok": self.ok,
        }


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:79] + "…"


def first_difference(a: Any, b: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first (sorted) path where ``a`` and ``b`` differ, with both values there."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            sub = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                return sub, a.get(key), b.get(key)
            found = first_difference(a[key], b[key], sub)
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None if len(a) == len(b) else (path, a, b)
    return None if equal(a, b) else (path, a, b)


def _outcomes(
    backend: Backend, request: SimulateRequest, pipelines: Any
) -> tuple[list[Outcome], list[str]]:
    """Each document's outcome, and the engine gaps hit on the way (embedded backend only)."""
    try:
        docs = backend.simulate(request, pipelines).get("docs") or []
    except BackendError as err:
        return [("error", err.error)] * len(request.docs), [""] * len(request.docs)
    out: list[Outcome] = []
    notes: list[str] = []
    for entry in docs:
        if entry is None:
            out.append(("dropped", None))
        elif "error" in entry:
            out.append(("error", entry["error"]))
        else:
            out.append(("doc", (entry.get("doc") or {}).get("_source")))
        gaps = (entry or {}).get("gaps") or ()
        notes.append("; ".join(f"embedded engine gap: {reason}" for reason, _ in gaps))
    return out, notes


def compare_event(
    stream: str, case: str, index: int, cluster: Outcome, embedded: Outcome, dynamic: Any
) -> EventFidelity:
    (ck, cv), (ek, ev) = cluster, embedded
    if ck != ek:
        return EventFidelity(stream, case, index, False, "", ck, ek, _reason(cv) or _reason(ev))
    if ck == "doc":
        [a], [b] = strip_dynamic([cv], dynamic), strip_dynamic([ev], dynamic)
        found = first_difference(a, b)
        if found:
            return EventFidelity(stream, case, index, False, found[0], found[1], found[2])
    if ck == "error" and cv.get("type") != ev.get("type"):
        return EventFidelity(
            stream, case, index, False, "error.type", cv.get("type"), ev.get("type")
        )
    note = "both errors" if ck == "error" else "both dropped" if ck == "dropped" else ""
    return EventFidelity(stream, case, index, True, note=note)


def _reason(value: Any) -> str:
    return str(value.get("reason", "")) if isinstance(value, dict) else ""


class _Recorder:
    """Factory for the runner whose backends remember each cluster response for the comparison."""

    def __init__(self, client: ElasticsearchClient) -> None:
        self.backend = ElasticsearchBackend(client)
        self.seen: dict[str, dict[str, Any] | BackendError] = {}

    def __call__(self) -> Backend:
        return self

    @staticmethod
    def key(request: SimulateRequest, pipelines: Mapping[str, Any]) -> str:
        return json.dumps([request.pipeline, request.docs, pipelines], sort_keys=True, default=str)

    def simulate(
        self, request: SimulateRequest, pipelines: Mapping[str, dict[str, Any]]
    ) -> dict[str, Any]:
        key = self.key(request, pipelines)
        if key not in self.seen:
            try:
                self.seen[key] = self.backend.simulate(request, pipelines)
            except BackendError as err:
                self.seen[key] = err
        found = self.seen[key]
        if isinstance(found, BackendError):
            raise found
        return found

    def coverage(self) -> CoverageData | None:
        return None


def _streams(root: Path, names: Sequence[str]) -> list[DataStream]:
    package = load_package(root)
    return [
        ds for ds in package.data_streams if (not names or ds.name in names) and ds.case_files()
    ]


def run_fidelity(
    package_dir: Path,
    es_url: str,
    auth: Credentials | None = None,
    data_streams: Sequence[str] = (),
    *,
    connection: Connection | None = None,
    geoip_dir: str | None = None,
) -> FidelityReport:
    """Run the package's pipeline tests on the cluster, then compare each event with the engine.

    ``connection`` (TLS, timeout, retries) wins over ``es_url``/``auth`` when given.
    """
    conn = connection or Connection(check_url(es_url, "--es"), auth or Credentials())
    client = ElasticsearchClient(conn)
    try:
        recorder = _Recorder(client)
        options = RunOptions(data_streams=tuple(data_streams), geoip_dir=geoip_dir)
        tests = run_package(package_dir, options, factory=recorder)
        events: list[EventFidelity] = []
        if tests.skip is None:
            for stream in _streams(package_dir, data_streams):
                events.extend(_compare_stream(package_dir, stream, recorder, geoip_dir))
        return FidelityReport(tests, tuple(events))
    finally:
        client.close()


def _compare_stream(
    root: Path, stream: DataStream, recorder: _Recorder, geoip_dir: str | None
) -> list[EventFidelity]:
    try:
        pipelines = load_pipelines(load_package(root), stream)
    except PackageError:
        return []  # the test results already report it
    definitions = pipelines.definitions()
    embedded = EmbeddedBackend(geoip_dir=geoip_dir)
    out: list[EventFidelity] = []
    for path in stream.case_files():
        try:
            case = load_case(path)
            if case.config.skip is not None:
                continue
            events = read_events(case)
        except PackageError:
            continue
        docs = tuple({"_index": stream.index, "_source": e} for e in events)
        request = SimulateRequest(pipelines.entry, docs)
        cluster, _ = _outcomes(recorder, request, definitions)
        local, gaps = _outcomes(embedded, request, definitions)
        dynamic = case.config.dynamic_fields
        for index, (c, e, gap) in enumerate(zip(cluster, local, gaps, strict=False)):
            event = compare_event(stream.name, case.name, index, c, e, dynamic)
            note = "; ".join(n for n in (event.note, gap) if n)
            out.append(dataclasses.replace(event, note=note))
    return out
