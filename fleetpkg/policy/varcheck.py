"""Vars of a policy checked against the manifest, as Fleet would (and a little stricter).

Checked: unknown vars, required vars, types (bool, integer, text-like, email, url, duration with
min/max, select options, yaml), `multi` (a list of values of the type), `required_vars` (exactly
one group must be complete and no var of another group set, e.g. one authentication mode), plus
the constraints the package's source declares on its vars (fleetpkg.constraints); `warnings`
lists what those constraints only warn about.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

import yaml

from fleetpkg import constraints
from fleetpkg.model import Constraints
from fleetpkg.packagedir import Var
from fleetpkg.policy.spec import StreamSpec
from fleetpkg.resolve import duration_ms

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TEXT_TYPES = {"text", "textarea", "password", "time_zone"}


@dataclass(frozen=True)
class PolicyVars:
    """What a policy sets: package/input-level vars and the data stream's vars."""

    vars: dict[str, Any]
    stream_vars: dict[str, Any]
    input: str | None = None  # the input type the case is for, when given

    @classmethod
    def from_config(cls, doc: Any) -> PolicyVars:
        """An elastic-package policy test config: {vars: {...}, data_stream: {vars: {...}}}."""
        doc = doc or {}
        if not isinstance(doc, dict):
            raise ValueError("the vars file must be a mapping with `vars` and `data_stream.vars`")
        unknown = sorted(set(doc) - {"vars", "data_stream", "input", "skip", "policy_api_format"})
        if unknown:
            raise ValueError(f"unknown keys in the vars file: {', '.join(unknown)}")
        stream = (doc.get("data_stream") or {}).get("vars") or {}
        given = doc.get("input")
        return cls(
            vars=dict(doc.get("vars") or {}),
            stream_vars=dict(stream),
            input=str(given) if given is not None else None,
        )


def is_set(value: Any) -> bool:
    """Fleet treats null, '' and [] as not set."""
    return value is not None and value != "" and value != []


def effective(spec: StreamSpec, given: PolicyVars) -> dict[str, Any]:
    """Every var's value as Fleet merges them: package < input < stream, defaults filled in."""
    values: dict[str, Any] = {}
    for var in spec.vars:
        source = given.stream_vars if var.level == "stream" else given.vars
        if var.name in source:
            values[var.name] = source[var.name]
        elif var.default is not None:
            values[var.name] = var.default
        elif var.name not in values:
            values[var.name] = None
    return values


def problems(spec: StreamSpec, given: PolicyVars) -> list[str]:
    """Every problem of the vars, as `<where>.<name>: message`, in manifest order."""
    out: list[str] = []
    if given.input is not None and given.input != spec.input:
        out.append(f"input: {given.input!r} is not the input of {spec.dataset} ({spec.input!r})")
    by_level = {
        "vars": {v.name: v for v in spec.package_vars + spec.input_vars},
        "data_stream.vars": {v.name: v for v in spec.stream_vars},
    }
    for where, source in (("vars", given.vars), ("data_stream.vars", given.stream_vars)):
        for name in source:
            if name not in by_level[where]:
                out.append(f"{where}.{name}: unknown var (not in the {spec.dataset} manifests)")
    values = effective(spec, given)
    for var in spec.vars:
        where = "data_stream.vars" if var.level == "stream" else "vars"
        found = _var_problems(var, values.get(var.name), spec.constraints_of(var))
        out.extend(f"{where}.{var.name}: {m}" for m in found)
    out.extend(_required_vars(spec, values))
    return out


def warnings(spec: StreamSpec, given: PolicyVars) -> list[str]:
    """What is accepted but worth a look (``one_of_default: warn``), as `<where>.<name>:
    message`, in manifest order; values with problems get no warnings."""
    out: list[str] = []
    values = effective(spec, given)
    for var in spec.vars:
        rules = spec.constraints_of(var)
        value = values.get(var.name)
        if rules is None or not is_set(value):
            continue
        where = "data_stream.vars" if var.level == "stream" else "vars"
        items = value if var.multi and isinstance(value, list) else [value]
        for item in items:
            if _value_problems(var, item) or _constraint_problems(var, item, rules):
                continue
            found = constraints.item_warnings(
                rules, item, default=var.default, title=var.title, hidden=var.hidden
            )
            out.extend(f"{where}.{var.name}: {m}" for m in found)
    return out


def _var_problems(var: Var, value: Any, rules: Constraints | None) -> list[str]:
    if not is_set(value):
        return [f"{var.title!r} is required"] if var.required else []
    if var.multi:
        if not isinstance(value, list):
            return [f"must be a list ({var.title!r} takes several values)"]
        found: list[str] = []
        for n, item in enumerate(value):
            item_found = _value_problems(var, item)
            found.extend(f"item {n + 1}: {m}" for m in item_found)
            if not item_found:
                found.extend(_constraint_problems(var, item, rules))
        if rules is not None:
            found.extend(constraints.duplicates(rules, value, hidden=var.hidden))
        return found
    if isinstance(value, list) and var.type != "yaml":
        return ["must be a single value, not a list"]
    return _value_problems(var, value) or _constraint_problems(var, value, rules)


def _constraint_problems(var: Var, value: Any, rules: Constraints | None) -> list[str]:
    if rules is None:
        return []
    return constraints.item_problems(
        rules, value, default=var.default, title=var.title, hidden=var.hidden
    )


def _value_problems(var: Var, value: Any) -> list[str]:
    kind = var.type
    if kind == "bool":
        return [] if isinstance(value, bool) else [f"must be true or false, not {value!r}"]
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"must be an integer, not {value!r}"]
    if kind == "yaml":
        if not isinstance(value, str):
            return []
        try:
            yaml.safe_load(value)
        except yaml.YAMLError as err:
            return [f"is not valid YAML: {str(err).splitlines()[0]}"]
        return []
    if not isinstance(value, str):
        return [f"must be a string, not {value!r}"]
    if kind == "email" and not EMAIL.match(value):
        return [f"{value!r} is not an email address"]
    if kind == "url":
        parsed = urllib.parse.urlsplit(value)
        if not parsed.scheme or not parsed.netloc:
            return [f"{value!r} is not an absolute URL"]
    if kind == "select" and value not in var.option_values:
        return [f"{value!r} is not one of {', '.join(var.option_values)}"]
    if kind == "duration":
        return _duration_problems(var, value)
    return []


def _duration_problems(var: Var, value: str) -> list[str]:
    ms = duration_ms(value)
    if ms is None:
        return [f"{value!r} is not a duration (like 30s, 5m, 1h30m; units ms, s, m, h)"]
    low = duration_ms(var.min_duration)
    high = duration_ms(var.max_duration)
    if low is not None and ms < low:
        return [f"{value} is shorter than the minimum {var.min_duration}"]
    if high is not None and ms > high:
        return [f"{value} is longer than the maximum {var.max_duration}"]
    return []


def _required_vars(spec: StreamSpec, values: dict[str, Any]) -> list[str]:
    if not spec.required_vars:
        return []
    groups = [(g, names) for g, names in spec.required_vars]
    complete = [g for g, names in groups if all(is_set(values.get(n)) for n in names)]
    touched = [g for g, names in groups if any(is_set(values.get(n)) for n in names)]
    describe = "; or ".join(f"{g} ({' + '.join(names)})" for g, names in groups)
    if not complete:
        partial = [n for _, names in groups for n in names if is_set(values.get(n))]
        hint = f" (only {', '.join(partial)} set)" if partial else ""
        return [f"data_stream.vars: configure exactly one of: {describe}{hint}"]
    if len(touched) > 1:
        return [
            f"data_stream.vars: configure exactly one of: {describe} "
            f"(vars of {', '.join(touched)} are set)"
        ]
    return []
