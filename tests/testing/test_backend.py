"""The runner talks to a pluggable Backend; the embedded engine is only the default."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from fleetpkg.testing import BackendError, CoverageData, RunOptions, SimulateRequest, run_package
from fleetpkg.testing.embedded import EmbeddedBackend
from fleetpkg.testing.gaps import unsupported_reason


class RecordingBackend:
    """Answers every document with its own source plus a marker; remembers the requests."""

    def __init__(self, calls: list[tuple[SimulateRequest, list[str]]]) -> None:
        self.calls = calls

    def simulate(
        self, request: SimulateRequest, pipelines: Mapping[str, dict[str, Any]]
    ) -> dict[str, Any]:
        self.calls.append((request, sorted(pipelines)))
        return {"docs": [{"doc": {"_source": {**d["_source"], "seen": 1}}} for d in request.docs]}

    def coverage(self) -> CoverageData | None:
        return None


def test_runner_uses_the_given_backend(fixtures: Path) -> None:
    calls: list[tuple[SimulateRequest, list[str]]] = []
    result = run_package(
        fixtures / "good",
        RunOptions(data_streams=("metrics",), coverage=True),
        lambda: RecordingBackend(calls),
    )
    ((request, pipelines),) = calls
    assert request.pipeline == "default"
    assert pipelines == ["default"]
    assert request.docs[0]["_index"] == "metrics-good.custom_metrics-default"
    assert request.body()["docs"][0]["_source"]["metric.name"] == "CPU"
    (case,) = result.cases
    assert case.status == "fail"  # the fake answer differs from the expected file
    assert result.coverage is not None
    assert result.coverage.pipelines == ()


def test_unpicklable_factories_run_in_threads(fixtures: Path) -> None:
    calls: list[tuple[SimulateRequest, list[str]]] = []
    result = run_package(fixtures / "good", RunOptions(jobs=4), lambda: RecordingBackend(calls))
    assert len(calls) == 4  # every non-skipped case of both data streams, in this process
    assert {c.data_stream for c in result.cases} == {"access", "metrics"}


def test_embedded_backend_answers_like_simulate() -> None:
    backend = EmbeddedBackend()
    pipelines = {
        "default": {
            "processors": [{"pipeline": {"name": "inner"}}, {"set": {"field": "b", "value": 2}}]
        },
        "inner": {
            "processors": [{"set": {"field": "a", "value": 1}}, {"drop": {"if": "ctx.x == 1"}}]
        },
    }
    docs = ({"_index": "logs-p.d-default", "_source": {}}, {"_source": {"x": 1}})
    response = backend.simulate(SimulateRequest("default", docs), pipelines)
    first, second = response["docs"]
    assert first["doc"]["_source"] == {"a": 1, "b": 2}
    assert first["doc"]["_index"] == "logs-p.d-default"
    assert second is None
    hits = {(h.pipeline, h.pointer): h for h in backend.coverage().processors}
    assert hits[("inner", ("processors", 1))].cond_true == 1
    assert hits[("inner", ("processors", 1))].cond_false == 1
    assert hits[("default", ("processors", 1))].executed == 1


def test_embedded_backend_request_errors_carry_the_origin() -> None:
    backend = EmbeddedBackend()
    pipelines = {"default": {"processors": [{"set": {"field": "a", "value": 1}}, {"set": {}}]}}
    with pytest.raises(BackendError) as info:
        backend.simulate(SimulateRequest("default", ({"_source": {}},)), pipelines)
    origin = info.value.origin
    assert origin is not None
    assert (origin.pipeline, origin.pointer) == ("default", ("processors", 1))
    assert info.value.error["type"] == "parse_exception"
    assert unsupported_reason(info.value.error) is None  # a broken pipeline, not an engine gap


def test_engine_crash_is_reported_as_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    from fleetpkg.ingest.processors.fields import FACTORIES

    def boom(self: Any, doc: Any) -> None:
        raise ZeroDivisionError("engine bug")

    monkeypatch.setattr(FACTORIES["set"], "run", boom)
    backend = EmbeddedBackend()
    pipelines = {"default": {"processors": [{"set": {"field": "a", "value": 1}}]}}
    response = backend.simulate(SimulateRequest("default", ({"_source": {}},)), pipelines)
    (entry,) = response["docs"]
    assert unsupported_reason(entry["error"]) == "engine error: ZeroDivisionError: engine bug"
    assert entry["origin"].pointer == ("processors", 0)


def test_unsupported_reasons() -> None:
    assert (
        unsupported_reason(
            {"type": "parse_exception", "reason": "No processor type exists with name [attachment]"}
        )
        == "processor [attachment]"
    )
    assert (
        unsupported_reason(
            {"type": "parse_exception", "reason": "No processor type exists with name [sett]"}
        )
        is None
    )
    painless = {
        "type": "script_exception",
        "reason": "compile error",
        "script_stack": ["x", "^---- HERE"],
        "caused_by": {"type": "illegal_argument_exception", "reason": "Unknown call [foo]"},
    }
    assert unsupported_reason(painless) == "painless: Unknown call [foo]"
    syntax = dict(painless, caused_by={"type": "x", "reason": "unexpected end of script."})
    assert unsupported_reason(syntax) is None
    unknown_type = dict(
        painless, caused_by={"type": "x", "reason": "invalid sequence of tokens near ['Foo']."}
    )
    assert unsupported_reason(unknown_type) == "painless: invalid sequence of tokens near ['Foo']."
    assert unsupported_reason({"type": "x", "reason": "y", "caused_by": {"type": "engine_crash"}})


def test_pipelines_that_do_not_compile_fail_every_document_once_compiled() -> None:
    backend = EmbeddedBackend()
    pipelines = {
        "default": {"processors": [{"pipeline": {"name": "bad"}}]},
        "bad": {"processors": [{"script": {"source": "NoSuchType.call()"}}]},
    }
    docs: tuple[dict[str, Any], ...] = ({"_source": {}}, {"_source": {}})
    first = backend.simulate(SimulateRequest("default", docs), pipelines)
    second = backend.simulate(SimulateRequest("default", docs), pipelines)
    for response in (first, second):
        for entry in response["docs"]:
            ((reason, origin),) = entry["gaps"]
            assert reason.startswith("painless: cannot resolve symbol [NoSuchType]")
            assert (origin.pipeline, origin.pointer) == ("bad", ("processors", 0))


def test_unsupported_painless_names_the_script_line() -> None:
    error = {
        "type": "script_exception",
        "reason": "compile error",
        "script": "def a = 1;\nLong b = Long.decode('1');",
        "position": {"offset": 20, "start": 0, "end": 30},
        "caused_by": {"type": "x", "reason": "static method [Long, decode/1] not found"},
    }
    assert unsupported_reason(error) == (
        "painless: static method [Long, decode/1] not found (script line 2)"
    )
