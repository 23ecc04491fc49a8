"""Var constraints: package rules on values that Fleet's manifest format cannot express.

A var of the source may carry a ``constraints`` mapping (see docs/fleetpkg/sources.md). It is never
rendered into the built package; ``fleetpkg policy`` reads it from the source. This module makes
the model value from the source (``make``), checks its definition (``definition_problems``) and
checks a value against it (``value_problems``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fleetpkg.errors import Location, Problem
from fleetpkg.model import Constraints
from fleetpkg.yamlloader import Document

LOWER = ("min", "exclusive_min")
UPPER = ("max", "exclusive_max")
NUMBER_TYPES = frozenset({"integer", "text"})
STRING_TYPES = frozenset({"text", "textarea", "password", "email", "url", "time_zone"})
_NUMBER = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_PHRASES = {
    "min": "at least",
    "exclusive_min": "above",
    "max": "at most",
    "exclusive_max": "below",
}


def make(raw: Any, location: Location) -> Constraints | None:
    """The model value of a (schema-checked) ``constraints`` mapping, or None without one."""
    if not isinstance(raw, dict):
        return None
    return Constraints(
        location=location,
        pattern=raw.get("pattern"),
        pattern_message=raw.get("pattern_message"),
        min=raw.get("min"),
        max=raw.get("max"),
        exclusive_min=raw.get("exclusive_min"),
        exclusive_max=raw.get("exclusive_max"),
        one_of_default="warn" if (mode := raw.get("one_of_default")) == "warn" else mode is True,
        unique=raw.get("unique") is True,
        hints=tuple(sorted((str(k), str(v)) for k, v in (raw.get("hints") or {}).items())),
    )


# Definition checks, on a schema-checked manifest document.


def _var_lists(value: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path, list of vars) of a package or data stream manifest."""
    yield ("vars",), value.get("vars")
    for n, template in enumerate(value.get("policy_templates") or []):
        for m, inp in enumerate(template.get("inputs") or []):
            yield ("policy_templates", n, "inputs", m, "vars"), inp.get("vars")
    for n, stream in enumerate(value.get("streams") or []):
        yield ("streams", n, "vars"), stream.get("vars")


def definition_problems(doc: Document) -> list[Problem]:
    """Constraints that cannot hold for their var: wrong type, bad pattern, empty range."""
    if not isinstance(doc.value, dict):
        return []
    out: list[Problem] = []
    for at, items in _var_lists(doc.value):
        for n, var in enumerate(items or []):
            raw = var.get("constraints")
            if isinstance(raw, dict):
                found = list(_definition(var, raw)) or list(_default(var, raw))
                where = (*at, n, "constraints")
                out.extend(Problem(doc.at(*where, key), m) for key, m in found)
    return out


def _definition(var: dict[str, Any], raw: dict[str, Any]) -> Iterator[tuple[str, str]]:
    name, kind, multi = var["name"], var["type"], var.get("multi") is True
    prefix = f"var {name!r}: constraints:"
    for key in (k for k in (*LOWER, *UPPER) if k in raw and kind not in NUMBER_TYPES):
        yield key, f"{prefix} {key} needs a var of type 'integer' or 'text', not {kind!r}"
    for key in (k for k in ("pattern", "hints") if k in raw and kind not in STRING_TYPES):
        yield key, f"{prefix} {key} needs a var with string values, not of type {kind!r}"
    if "pattern" in raw:
        try:
            re.compile(raw["pattern"])
        except re.error as err:
            yield (
                "pattern",
                f"{prefix} pattern {raw['pattern']!r} is not a regular expression: {err}",
            )
    yield from _range(raw, prefix)
    if raw.get("one_of_default") and not (multi and isinstance(var.get("default"), list)):
        yield "one_of_default", f"{prefix} one_of_default needs a multi var with a default list"
    if raw.get("unique") and not multi:
        yield "unique", f"{prefix} unique needs a multi var"


def _default(var: dict[str, Any], raw: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The default must meet the constraints too."""
    default = var.get("default")
    if default is None:
        return
    rules = make(raw, Location(""))
    assert rules is not None
    items = default if isinstance(default, list) else [default]
    found = [m for item in items for m in item_problems(rules, item, default=default)]
    found += duplicates(rules, items) if isinstance(default, list) else []
    for message in found:
        yield (
            next(iter(raw)),
            f"var {var['name']!r}: the default does not meet its constraints: {message}",
        )


def _range(raw: dict[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    for low in (k for k in LOWER if k in raw):
        for high in (k for k in UPPER if k in raw):
            a, b = raw[low], raw[high]
            if a > b or (a == b and (low, high) != ("min", "max")):
                yield low, f"{prefix} no value is {_PHRASES[low]} {a} and {_PHRASES[high]} {b}"


# Value checks.


def _show(value: Any, hidden: bool) -> str:
    if hidden:
        return "the value"
    return repr(value) if isinstance(value, str) else str(value)


def _notes(constraints: Constraints, value: Any, *first: str | None) -> str:
    hint = None
    if isinstance(value, str):
        matching = [(p, h) for p, h in constraints.hints if value.startswith(p)]
        hint = max(matching, key=lambda pair: len(pair[0]))[1] if matching else None
    notes = [n for n in (*first, hint) if n]
    return f" ({'; '.join(notes)})" if notes else ""


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value)
    return None


def _bounds(constraints: Constraints) -> list[tuple[str, int | float]]:
    keys = (*LOWER, *UPPER)
    return [(k, v) for k in keys if (v := getattr(constraints, k)) is not None]


def _in_range(number: int | float, key: str, bound: int | float) -> bool:
    if key == "min":
        return number >= bound
    if key == "exclusive_min":
        return number > bound
    if key == "max":
        return number <= bound
    return number < bound


def _bound_problems(constraints: Constraints, value: Any, shown: str) -> list[str]:
    bounds = _bounds(constraints)
    if not bounds:
        return []
    number = _number(value)
    if number is None:
        return [f"{shown} is not a number{_notes(constraints, value)}"]
    if all(_in_range(number, key, bound) for key, bound in bounds):
        return []
    wanted = " and ".join(f"{_PHRASES[key]} {bound}" for key, bound in bounds)
    return [f"{shown} must be {wanted}{_notes(constraints, value)}"]


def item_problems(
    constraints: Constraints,
    value: Any,
    *,
    default: Any = None,
    title: str = "",
    hidden: bool = False,
) -> list[str]:
    """Problems of one value (one item of a multi var) that passed the var's type check."""
    shown = _show(value, hidden)
    out = []
    pattern = constraints.pattern
    if pattern is not None and isinstance(value, str) and not re.search(pattern, value):
        note = _notes(constraints, value, constraints.pattern_message)
        out.append(f"{shown} does not match {pattern}{note}")
    out.extend(_bound_problems(constraints, value, shown))
    if constraints.one_of_default is True:
        out.extend(_not_a_default(constraints, value, default, title, shown))
    return out


def item_warnings(
    constraints: Constraints,
    value: Any,
    *,
    default: Any = None,
    title: str = "",
    hidden: bool = False,
) -> list[str]:
    """Warnings about one value that is accepted: ``one_of_default: warn`` and an item that is
    not one of the default's."""
    if constraints.one_of_default != "warn":
        return []
    return _not_a_default(constraints, value, default, title, _show(value, hidden))


def _not_a_default(
    constraints: Constraints, value: Any, default: Any, title: str, shown: str
) -> list[str]:
    if not isinstance(default, list) or value in default:
        return []
    owner = f" of {title!r}" if title else ""
    return [f"{shown} is not one of the default values{owner}{_notes(constraints, value)}"]


def duplicates(constraints: Constraints, values: list[Any], *, hidden: bool = False) -> list[str]:
    """With ``unique``: each value listed more than once, once."""
    if not constraints.unique:
        return []
    seen: list[Any] = []
    twice: list[Any] = []
    for value in values:
        if value in seen and value not in twice:
            twice.append(value)
        seen.append(value)
    return [f"{_show(v, hidden)} is listed more than once" for v in twice]
