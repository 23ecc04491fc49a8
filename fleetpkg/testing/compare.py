"""Validate stage, results part: actual pipeline outputs against ``-expected.json``."""

from __future__ import annotations

import copy
import difflib
import math
import re
from collections.abc import Mapping
from typing import Any

from .jsonfmt import format_json

DIFF_REASON = "Expected results are different from actual ones"


def delete_path(doc: dict[str, Any], path: str) -> None:
    """Remove a dotted key (nested objects, or a literal dotted key) when present."""
    if path in doc:
        del doc[path]
        return
    head, _, rest = path.partition(".")
    child = doc.get(head)
    if rest and isinstance(child, dict):
        delete_path(child, rest)


def get_path(doc: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    if path in doc:
        return True, doc[path]
    head, _, rest = path.partition(".")
    child = doc.get(head)
    if rest and isinstance(child, Mapping):
        return get_path(child, rest)
    return False, None


def strip_dynamic(docs: list[Any], dynamic: Mapping[str, str]) -> list[Any]:
    """Copies of docs with every dynamic field removed (null docs kept)."""
    out = []
    for doc in docs:
        doc = copy.deepcopy(doc)
        if isinstance(doc, dict):
            for name in dynamic:
                delete_path(doc, name)
        out.append(doc)
    return out


def equal(a: Any, b: Any) -> bool:
    """Deep equality with JSON numbers compared by value (1 == 1.0) but never bool == number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def unified_diff(want: list[Any], got: list[Any]) -> str:
    want_text = format_json({"expected": want}).splitlines(keepends=True)
    got_text = format_json({"expected": got}).splitlines(keepends=True)
    return "".join(difflib.unified_diff(want_text, got_text, "want", "got", n=3))


def check_dynamic(docs: list[Any], dynamic: Mapping[str, str]) -> list[str]:
    """Each string value of a dynamic field must match its pattern (Go regexp: unanchored)."""
    problems = []
    for name, pattern in dynamic.items():
        regex = re.compile(pattern)
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            found, value = get_path(doc, name)
            if found and isinstance(value, str) and not regex.search(value):
                problems.append(
                    f'dynamic field "{name}" doesn\'t match the pattern ({pattern}): {value}'
                )
    return problems
