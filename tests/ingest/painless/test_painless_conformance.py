"""Run the Painless conformance cases (tests/ingest/painless/cases, see NOTICE.md) on the engine."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fleetpkg.ingest.painless import PainlessCompileError, PainlessError, compile_script

_CASES = Path(__file__).resolve().parent / "cases"
_FILES = ("painless_elvis_tests.json", "painless_regex_tests.json")


def _load() -> list[Any]:
    cases = []
    for name in _FILES:
        cases.extend(json.loads((_CASES / name).read_text(encoding="utf-8")))
    return cases


def _strict_eq(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_strict_eq(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_strict_eq(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


CASES = _load()


def test_the_corpus_is_complete() -> None:
    assert len(CASES) == 68
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_painless_case(case: dict[str, Any]) -> None:
    script = case["request"]["pipeline"]["processors"][0]["script"]
    source, params = script["source"], script.get("params")
    if "expect_error" in case:
        with pytest.raises(PainlessCompileError) as info:
            compile_script(source, params=params)
        body = info.value.to_es()
        assert body["type"] == case["expect_error"]["type"]
        assert case["expect_error"]["reason_contains"] in body["reason"]
        return
    compiled = compile_script(source, params=params)
    ctx: dict[str, Any] = {"existing": 1}
    error: dict[str, Any] | None = None
    try:
        compiled.execute(ctx, params)
    except PainlessError as e:
        error = e.to_es()
    for path, op, expected in case["checks"]:
        if path == "docs.0.error":
            if op == "not_exists":
                assert error is None, error
            elif op == "exists":
                assert error is not None
            elif op == "json_matches":
                assert error is not None
                assert re.search(expected, json.dumps(error))
            continue
        field = path.removeprefix("docs.0.doc._source.")
        assert op == "eq"
        assert field in ctx, f"{field} missing from {ctx}"
        assert _strict_eq(ctx[field], expected), (ctx[field], expected)
