"""Comparison with expected results: numbers by value, dynamic fields, unified diff."""

from __future__ import annotations

import pytest

from fleetpkg.testing.compare import check_dynamic, equal, strip_dynamic, unified_diff


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (1, 1.0, True),
        ({"a": [1, 2.5]}, {"a": [1.0, 2.5]}, True),
        (True, 1, False),
        (False, 0, False),
        (None, None, True),
        ("1", 1, False),
        ({"a": 1}, {"a": 1, "b": None}, False),
        ([1, 2], [2, 1], False),
    ],
)
def test_equal(a: object, b: object, same: bool) -> None:
    assert equal(a, b) is same


def test_strip_dynamic_removes_nested_and_literal_keys() -> None:
    docs = [{"event": {"ingested": "x", "kind": "k"}, "a.b": 1}, None]
    stripped = strip_dynamic(docs, {"event.ingested": ".*", "a.b": ".*"})
    assert stripped == [{"event": {"kind": "k"}}, None]
    assert docs[0] == {"event": {"ingested": "x", "kind": "k"}, "a.b": 1}  # input untouched


def test_dynamic_patterns_check_only_strings() -> None:
    docs = [{"id": "abc"}, {"id": 12}, {"id": "x-1"}]
    problems = check_dynamic(docs, {"id": "^[a-z]+$"})
    assert problems == ['dynamic field "id" doesn\'t match the pattern (^[a-z]+$): x-1']


def test_unified_diff_want_vs_got() -> None:
    diff = unified_diff([{"a": 1}], [{"a": 2}])
    assert diff.startswith("--- want\n+++ got\n")
    assert '-            "a": 1\n' in diff
    assert '+            "a": 2\n' in diff
