"""Specialised ``if`` closures must agree with the general Painless path, errors included."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from ingest_helpers import run

from fleetpkg.ingest import IngestError
from fleetpkg.ingest.conditions import FALLBACK, specialise
from fleetpkg.ingest.document import IngestDocument
from fleetpkg.ingest.scripting import Condition, compile_condition, compile_script

CONDITIONS = [
    "ctx.http?.response?.status_code != null && ctx.http.response.status_code < 400",
    "ctx.http?.response?.status_code != null && ctx.http.response.status_code >= 400",
    "ctx.http.response.status_code > 199.5",
    "400 <= ctx.http?.response?.status_code",
    "ctx.cloudflare?.logpull?.security?.action == 'block'",
    "'block' != ctx.cloudflare?.logpull?.security?.action",
    "ctx.source?.ip != null",
    "null == ctx.source?.ip",
    "ctx.a.b == null",
    "ctx.tags == null || !ctx.tags.contains('preserve_original_event')",
    "ctx.tags != null && ctx.tags.contains('x')",
    "ctx.message != null && (ctx.message.startsWith('GET') || ctx.message.endsWith('!'))",
    "ctx.flag",
    "!ctx.flag",
    "ctx.ts instanceof String",
    "ctx.ts instanceof Number || ctx.ts instanceof List",
    "ctx.m.containsKey('k')",
]
DOCS: list[dict[str, Any]] = [
    {},
    {"http": {"response": {"status_code": 200}}},
    {"http": {"response": {"status_code": 404}}},
    {"http": {"response": {"status_code": 399.9}}},
    {"http": {"response": {"status_code": "200"}}},
    {"http": {"response": {"status_code": True}}},
    {"http": {"response": None}},
    {"http": "text"},
    {"http": [{"response": 1}]},
    {"cloudflare": {"logpull": {"security": {"action": "block"}}}},
    {"cloudflare": {"logpull": {"security": {"action": 7}}}},
    {"cloudflare": {"logpull": None}},
    {"source": {"ip": "10.0.0.1"}, "a": {"b": None}},
    {"a": None, "tags": ["preserve_original_event"]},
    {"tags": ["x", 1]},
    {"tags": "preserve_original_event"},
    {"tags": 5},
    {"message": "GET /", "flag": True},
    {"message": "POST!", "flag": False},
    {"message": 12, "flag": "yes"},
    {"ts": "2024-01-01", "m": {"k": 1}},
    {"ts": 12, "m": ["k"]},
    {"ts": [1], "m": None},
]


def _doc(source: dict[str, Any]) -> IngestDocument:
    return IngestDocument(copy.deepcopy(source), {"_index": "i", "_id": "1"}, timestamp="t")


def _outcome(condition: Condition, source: dict[str, Any]) -> Any:
    try:
        return condition.test(_doc(source))
    except IngestError as e:
        return (e.type, e.reason, e.to_es() if hasattr(e, "to_es") else None)


@pytest.mark.parametrize("source", CONDITIONS)
def test_specialised_conditions_match_general_path(source: str) -> None:
    fast = compile_condition(source)
    assert fast.fast is not None, source
    general = Condition(compile_script(source, what="if"))
    for doc in DOCS:
        assert _outcome(fast, doc) == _outcome(general, doc), (source, doc)


def test_fast_results_are_real_values() -> None:
    test = specialise(
        "ctx.http?.response?.status_code != null && ctx.http.response.status_code < 400"
    )
    assert test is not None
    assert test(_doc({"http": {"response": {"status_code": 200}}})) is True
    assert test(_doc({"http": {"response": {"status_code": 500}}})) is False
    assert test(_doc({})) is False
    assert test(_doc({"http": {"response": {"status_code": "200"}}})) is FALLBACK
    contains = specialise("ctx.tags == null || !ctx.tags.contains('keep')")
    assert contains is not None
    assert contains(_doc({"tags": ["keep"]})) is False
    assert contains(_doc({"tags": ["other"]})) is True
    assert contains(_doc({})) is True


def test_general_errors_still_reported() -> None:
    condition = compile_condition("ctx.a.b == 'x'")
    with pytest.raises(IngestError) as e:
        condition.test(_doc({}))
    assert e.value.type == "script_exception"
    assert e.value.caused_by is not None
    assert e.value.caused_by.type == "null_pointer_exception"
    assert e.value.caused_by.reason == "Cannot access field [b] of a null value"
    assert e.value.extra["script_stack"] == ["ctx.a.b == 'x'", "     ^---- HERE"]


def test_non_boolean_result_keeps_es_error() -> None:
    out = run(
        [{"set": {"field": "x", "value": 1, "if": "ctx.flag"}}], {"flag": "yes"}, {"flag": True}
    )
    assert out[0]["type"] == "illegal_argument_exception"
    assert out[0]["reason"] == "condition [ctx.flag] returned non-boolean value of type [str]"
    assert out[1] == {"flag": True, "x": 1}


@pytest.mark.parametrize(
    "source",
    [
        "ctx._index == 'i'",
        "ctx._ingest?.timestamp != null",
        "ctx.a.size() > 1",
        "ctx.list.remove('x')",
        "ctx.a == ctx.b",
        "ctx.n < 10L",
        "def x = ctx.a; return x != null",
        "params.x == 1",
        "ctx.m?.containsKey('k')",
        "ctx.message?.startsWith('GET') == true",
    ],
)
def test_other_shapes_use_the_general_path(source: str) -> None:
    assert specialise(source) is None


def test_metadata_and_ingest_in_conditions() -> None:
    out = run(
        [
            {"set": {"field": "idx", "value": "yes", "if": "ctx._index == 'idx'"}},
            {"set": {"field": "ts", "value": "yes", "if": "ctx._ingest?.timestamp != null"}},
        ],
        {"k": 1},
    )
    assert out == [{"k": 1, "idx": "yes", "ts": "yes"}]
