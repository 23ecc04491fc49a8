"""Verbose simulate through ``pipeline`` processors: the entries ES's TrackingResultProcessor
records (server/src/main/java/org/elasticsearch/ingest/TrackingResultProcessor.java and the
verbose tests of 90_simulate.yml)."""

from __future__ import annotations

from typing import Any

from fleetpkg.ingest import simulate


def _results(
    processors: list[dict[str, Any]],
    pipelines: dict[str, Any],
    source: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    request = {"pipeline": {"processors": processors}, "docs": [{"_source": source or {}}]}
    response = simulate(request, pipelines=pipelines, verbose=True)
    results: list[dict[str, Any]] = response["docs"][0]["processor_results"]
    return results


def _set(field: str, **extra: Any) -> dict[str, Any]:
    return {"set": {"field": field, "value": True, **extra}}


def _shape(results: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["processor_type"], r["status"]) for r in results]


def test_each_called_pipeline_adds_its_own_entry_before_its_processors() -> None:
    pipelines = {
        "p1": {"processors": [_set("p1"), {"pipeline": {"name": "p2"}}]},
        "p2": {"processors": [_set("p2")]},
    }
    results = _results([_set("p0", description="first"), {"pipeline": {"name": "p1"}}], pipelines)
    assert _shape(results) == [
        ("set", "success"),
        ("pipeline", "success"),
        ("set", "success"),
        ("pipeline", "success"),
        ("set", "success"),
    ]
    assert results[0]["description"] == "first"
    assert "doc" not in results[1]
    assert "doc" not in results[3]
    assert results[2]["doc"]["_source"] == {"p0": True, "p1": True}
    assert results[2]["doc"]["_ingest"]["pipeline"] == "p1"
    assert results[4]["doc"]["_source"] == {"p0": True, "p1": True, "p2": True}
    assert results[4]["doc"]["_ingest"]["pipeline"] == "p2"


def test_pipeline_entry_carries_tag_description_and_condition() -> None:
    pipelines = {"inner": {"processors": [_set("x")]}}
    call = {"pipeline": {"name": "inner", "tag": "t", "description": "d", "if": "true"}}
    entry = _results([call], pipelines)[0]
    assert entry == {
        "processor_type": "pipeline",
        "status": "success",
        "description": "d",
        "tag": "t",
        "if": {"condition": "true", "result": True},
    }
    skipped = _results([{"pipeline": {"name": "inner", "if": "false"}}], pipelines)
    assert skipped == [
        {
            "processor_type": "pipeline",
            "status": "skipped",
            "if": {"condition": "false", "result": False},
        }
    ]


def test_error_inside_called_pipeline_is_recorded_once_where_it_happened() -> None:
    pipelines = {"inner": {"processors": [{"rename": {"field": "nope", "target_field": "x"}}]}}
    results = _results([{"pipeline": {"name": "inner"}}, _set("after")], pipelines)
    assert _shape(results) == [("pipeline", "success"), ("rename", "error")]
    assert results[1]["error"]["reason"] == "field [nope] doesn't exist"


def test_ignore_failure_on_the_pipeline_processor_adds_no_entry_of_its_own() -> None:
    pipelines = {"inner": {"processors": [{"rename": {"field": "nope", "target_field": "x"}}]}}
    call = {"pipeline": {"name": "inner", "ignore_failure": True}}
    results = _results([call, _set("after")], pipelines)
    assert [r["processor_type"] for r in results] == ["pipeline", "rename", "set"]
    assert results[1]["status"] == "error"
    assert results[2]["doc"]["_source"] == {"after": True}


def test_on_failure_of_the_pipeline_processor_sees_the_inner_failure() -> None:
    pipelines = {
        "inner": {"processors": [{"rename": {"field": "nope", "target_field": "x", "tag": "r"}}]}
    }
    handler = {"set": {"field": "why", "value": "{{_ingest.on_failure_processor_tag}}"}}
    call = {"pipeline": {"name": "inner", "on_failure": [handler]}}
    results = _results([call], pipelines)
    assert _shape(results) == [("pipeline", "success"), ("rename", "error"), ("set", "success")]
    ingest = results[2]["doc"]["_ingest"]
    assert ingest["on_failure_processor_type"] == "rename"
    assert ingest["on_failure_processor_tag"] == "r"
    assert ingest["on_failure_pipeline"] == "inner"
    assert results[2]["doc"]["_source"] == {"why": "r"}


def test_ignore_failure_and_on_failure_inside_the_called_pipeline() -> None:
    pipelines = {
        "inner": {
            "processors": [
                {"rename": {"field": "a", "target_field": "b", "ignore_failure": True}},
                {"fail": {"message": "boom"}},
            ],
            "on_failure": [_set("handled")],
        }
    }
    results = _results([{"pipeline": {"name": "inner"}}, _set("after")], pipelines)
    assert _shape(results) == [
        ("pipeline", "success"),
        ("rename", "error_ignored"),
        ("fail", "error"),
        ("set", "success"),
        ("set", "success"),
    ]
    assert results[1]["ignored_error"]["error"]["type"] == "illegal_argument_exception"
    assert "doc" in results[1]
    assert results[4]["doc"]["_source"] == {"handled": True, "after": True}


def test_drop_inside_called_pipeline_ends_the_document_with_one_dropped_entry() -> None:
    pipelines = {"inner": {"processors": [{"drop": {}}, _set("never")]}}
    results = _results([{"pipeline": {"name": "inner"}}, _set("after")], pipelines)
    assert results == [
        {"processor_type": "pipeline", "status": "success"},
        {"processor_type": "drop", "status": "dropped"},
    ]


def test_missing_pipeline_in_verbose_is_an_illegal_argument_entry() -> None:
    results = _results([{"pipeline": {"name": "nope"}}, _set("after")], {})
    assert _shape(results) == [("pipeline", "error")]
    error = results[0]["error"]
    assert error["type"] == "illegal_argument_exception"
    assert error["reason"] == "Pipeline processor configured for non-existent pipeline [nope]"
    # ignore_failure does not turn it into error_ignored: ES records it before failing
    call = {"pipeline": {"name": "nope", "ignore_failure": True}}
    assert _shape(_results([call, _set("after")], {})) == [
        ("pipeline", "error"),
        ("set", "success"),
    ]


def test_ignore_missing_pipeline_in_verbose_records_the_ignored_error() -> None:
    call = {"pipeline": {"name": "nope", "ignore_missing_pipeline": True}}
    results = _results([call, _set("after")], {})
    assert _shape(results) == [("pipeline", "error_ignored"), ("set", "success")]
    assert results[0]["ignored_error"]["error"]["type"] == "illegal_argument_exception"
    assert results[0]["doc"]["_source"] == {}


def test_missing_pipeline_without_verbose_stays_illegal_state() -> None:
    request = {
        "pipeline": {"processors": [{"pipeline": {"name": "nope"}}]},
        "docs": [{"_source": {}}],
    }
    error = simulate(request)["docs"][0]["error"]
    assert error["root_cause"][0]["type"] == "illegal_state_exception"


def test_cycle_is_one_error_entry() -> None:
    pipelines = {
        "outer": {"processors": [{"pipeline": {"name": "inner"}}]},
        "inner": {"processors": [{"pipeline": {"name": "outer"}}]},
    }
    results = _results([{"pipeline": {"name": "outer"}}], pipelines)
    assert len(results) == 1
    assert results[0]["error"]["reason"] == "Cycle detected for pipeline: outer"


def test_foreach_is_one_entry_even_when_it_calls_a_pipeline() -> None:
    pipelines = {"inner": {"processors": [_set("seen")]}}
    foreach = {
        "foreach": {
            "field": "values",
            "processor": {"pipeline": {"name": "inner"}},
        }
    }
    results = _results([foreach], pipelines, {"values": [1, 2]})
    assert _shape(results) == [("foreach", "success")]
    assert results[0]["doc"]["_source"]["seen"] is True


def test_called_pipeline_without_processors_has_just_its_entry() -> None:
    results = _results([{"pipeline": {"name": "empty"}}, _set("x")], {"empty": {"processors": []}})
    assert _shape(results) == [("pipeline", "success"), ("set", "success")]
