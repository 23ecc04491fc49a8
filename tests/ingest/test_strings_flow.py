"""Strings and flow processors, on_failure, verbose results."""

from __future__ import annotations

import pytest
from ingest_helpers import run, run_one

from fleetpkg.ingest import IngestError, simulate


def test_case_trim_and_lists() -> None:
    out = run_one(
        [
            {"uppercase": {"field": "a"}},
            {"lowercase": {"field": "b", "target_field": "c"}},
            {"trim": {"field": "d"}},
        ],
        {"a": ["x", "y"], "b": "QQ", "d": "\t hi \n"},
    )
    assert out == {"a": ["X", "Y"], "b": "QQ", "c": "qq", "d": "hi"}


def test_string_processor_type_errors() -> None:
    err = run_one([{"uppercase": {"field": "a"}}], {"a": 5})
    assert (
        err["reason"]
        == "field [a] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
    )
    err = run_one([{"uppercase": {"field": "a"}}], {"a": ["x", 1]})
    assert err["reason"] == (
        "value [1] of type [java.lang.Integer] in list field [a] "
        "cannot be cast to [java.lang.String]"
    )
    assert run_one([{"uppercase": {"field": "zz", "ignore_missing": True}}], {"a": 1}) == {"a": 1}


def test_gsub_split_join_sort() -> None:
    out = run_one(
        [
            {"gsub": {"field": "a", "pattern": "(\\d+)-(\\d+)", "replacement": "$2:$1"}},
            {"split": {"field": "b", "separator": "\\s*,\\s*"}},
            {"join": {"field": "c", "separator": "/"}},
            {"sort": {"field": "d", "order": "desc"}},
        ],
        {"a": "12-34 5-6", "b": "x , y,z,,", "c": [1, "a", 2.0], "d": [3, 1, 2]},
    )
    assert out == {"a": "34:12 6:5", "b": ["x", "y", "z"], "c": "1/a/2.0", "d": [3, 2, 1]}


def test_split_preserve_trailing() -> None:
    out = run_one(
        [{"split": {"field": "b", "separator": ",", "preserve_trailing": True}}], {"b": "a,,"}
    )
    assert out["b"] == ["a", "", ""]


def test_bytes_urldecode_html_strip() -> None:
    out = run_one(
        [
            {"bytes": {"field": "a"}},
            {"urldecode": {"field": "b"}},
            {"html_strip": {"field": "c"}},
        ],
        {
            "a": "1kb",
            "b": "https%3a%2f%2felastic.co%2f+x",
            "c": "<p>this <title>is</title> a <b>test</b>",
        },
    )
    assert out == {"a": 1024, "b": "https://elastic.co/ x", "c": "\nthis \nis\n a test"}


def test_fail_and_on_failure_metadata() -> None:
    out = run_one(
        [
            {
                "fail": {
                    "tag": "t1",
                    "message": "bad {{a}}",
                    "on_failure": [
                        {"set": {"field": "m", "value": "{{_ingest.on_failure_message}}"}},
                        {"set": {"field": "p", "value": "{{_ingest.on_failure_processor_type}}"}},
                        {"set": {"field": "t", "value": "{{_ingest.on_failure_processor_tag}}"}},
                        {"set": {"field": "l", "value": "{{_ingest.on_failure_pipeline}}"}},
                    ],
                }
            }
        ],
        {"a": "x"},
    )
    assert out == {"a": "x", "m": "bad x", "p": "fail", "t": "t1", "l": "_simulate_pipeline"}


def test_pipeline_on_failure_keeps_earlier_effects() -> None:
    out = run_one(
        [
            {"set": {"field": "done", "value": True}},
            {"rename": {"field": "x", "target_field": "y"}},
            {"set": {"field": "never", "value": 1}},
        ],
        {},
        pipeline_options={
            "on_failure": [{"set": {"field": "err", "value": "{{_ingest.on_failure_message}}"}}]
        },
    )
    assert out == {"done": True, "err": "field [x] doesn't exist"}


def test_ignore_failure_continues() -> None:
    out = run_one(
        [
            {"rename": {"field": "x", "target_field": "y", "ignore_failure": True}},
            {"set": {"field": "after", "value": 1}},
        ],
        {},
    )
    assert out == {"after": 1}


def test_drop_and_foreach() -> None:
    results = run([{"drop": {}}], {"a": 1})
    assert results == [None]
    out = run_one(
        [{"foreach": {"field": "m", "processor": {"uppercase": {"field": "_ingest._value"}}}}],
        {"m": {"k1": "a", "k2": "b"}},
    )
    assert out == {"m": {"k1": "A", "k2": "B"}}


def test_pipeline_processor_and_cycles() -> None:
    pipelines = {
        "inner": {"processors": [{"append": {"field": "seen", "value": "{{_ingest.pipeline}}"}}]},
        "loop": {"processors": [{"pipeline": {"name": "loop"}}]},
    }
    out = run_one([{"pipeline": {"name": "inner"}}], {}, pipelines=pipelines)
    assert out == {"seen": ["inner"]}
    err = run_one([{"pipeline": {"name": "loop"}}], {}, pipelines=pipelines)
    assert err["root_cause"][0] == {
        "type": "illegal_state_exception",
        "reason": "Cycle detected for pipeline: loop",
    }
    err = run_one([{"pipeline": {"name": "nope"}}], {}, pipelines=pipelines)
    assert err["reason"] == "Pipeline processor configured for non-existent pipeline [nope]"


def test_terminate_stops_only_current_pipeline() -> None:
    pipelines = {"inner": {"processors": [{"terminate": {}}, {"set": {"field": "no", "value": 1}}]}}
    out = run_one(
        [{"pipeline": {"name": "inner"}}, {"set": {"field": "outer", "value": 1}}],
        {},
        pipelines=pipelines,
    )
    assert out == {"outer": 1}


def test_reroute() -> None:
    response = simulate(
        {
            "pipeline": {
                "processors": [
                    {"reroute": {"dataset": "My-DS"}},
                    {"set": {"field": "x", "value": 1}},
                ]
            },
            "docs": [{"_index": "logs-generic-default", "_source": {}}],
        }
    )
    doc = response["docs"][0]["doc"]
    assert doc["_index"] == "logs-my_ds-default"
    assert doc["_source"]["data_stream"] == {
        "type": "logs",
        "dataset": "my_ds",
        "namespace": "default",
    }
    assert "x" not in doc["_source"]


def test_verbose_results() -> None:
    response = simulate(
        {
            "pipeline": {
                "processors": [
                    {"set": {"tag": "s", "field": "a", "value": 1}},
                    {"rename": {"field": "nope", "target_field": "b", "ignore_failure": True}},
                    {"uppercase": {"field": "zz"}},
                ]
            },
            "docs": [{"_source": {}}],
        },
        verbose=True,
    )
    results = response["docs"][0]["processor_results"]
    assert [r.get("status") for r in results] == ["success", "error_ignored", "error"]
    assert results[0]["tag"] == "s"
    assert results[0]["doc"]["_ingest"]["pipeline"] == "_simulate_pipeline"
    assert results[1]["ignored_error"]["error"]["reason"] == "field [nope] doesn't exist"
    assert results[2]["error"]["type"] == "illegal_argument_exception"


def test_request_errors() -> None:
    with pytest.raises(IngestError) as e:
        simulate({"docs": [{"_source": {}}]})
    assert e.value.reason == "[pipeline] required property is missing"
    with pytest.raises(IngestError) as e:
        simulate({"pipeline": {"processors": [{"nope": {}}]}, "docs": [{"_source": {}}]})
    assert e.value.reason == "No processor type exists with name [nope]"
    with pytest.raises(IngestError) as e:
        simulate(
            {
                "pipeline": {"processors": [{"set": {"field": "a", "value": 1, "on_failure": []}}]},
                "docs": [{"_source": {}}],
            }
        )
    assert e.value.reason == "[on_failure] processors list cannot be empty"


def test_join_and_sort_need_a_list() -> None:
    err = run_one([{"join": {"field": "a", "separator": ","}}], {"a": "x"})
    assert (
        err["reason"] == "field [a] of type [java.lang.String] cannot be cast to [java.util.List]"
    )
    err = run_one([{"sort": {"field": "a"}}], {"a": None})
    assert err["reason"] == "field [a] is null, cannot sort."
    err = run_one([{"sort": {"field": "a"}}], {"a": [1, "x"]})
    assert err["type"] == "class_cast_exception"


def test_bytes_is_a_long_in_painless() -> None:
    out = run_one(
        [{"bytes": {"field": "a"}}, {"script": {"source": "ctx.b = ctx.a * 4194304"}}],
        {"a": "1kb"},
    )
    assert out["a"] == 1024
    assert out["b"] == 4294967296  # long arithmetic: an int would overflow to 0


def test_gsub_understands_java_only_regex_syntax() -> None:
    out = run_one(
        [
            {"gsub": {"field": "a", "pattern": "\\h+", "replacement": "_"}},
            {"gsub": {"field": "b", "pattern": "\\Q.*\\E", "replacement": "!"}},
            {"gsub": {"field": "c", "pattern": "\\p{Punct}", "replacement": ""}},
        ],
        {"a": "x \t\u00a0y", "b": "a.*b.c", "c": "a,b;c"},
    )
    assert out == {"a": "x_y", "b": "a!b.c", "c": "abc"}
