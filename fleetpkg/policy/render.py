"""Render a data stream's agent/stream template for a set of vars, and Fleet API bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.policy.hbs import compile_template
from fleetpkg.policy.spec import StreamSpec
from fleetpkg.policy.varcheck import PolicyVars, effective, is_set, problems

REDACTED = "<redacted>"


@dataclass(frozen=True)
class Rendered:
    policy: dict[str, Any]  # {inputs: [...]}, the part of the agent policy Fleet builds
    stream: dict[str, Any]  # the rendered stream: data_stream + the template's keys
    secrets: tuple[str, ...]  # the secret values that were set (to check outputs against)


def secret_values(spec: StreamSpec, given: PolicyVars) -> tuple[str, ...]:
    values = effective(spec, given)
    found: list[str] = []
    for var in spec.vars:
        value = values.get(var.name)
        if var.hidden and is_set(value):
            found.extend(str(v) for v in (value if isinstance(value, list) else [value]))
    return tuple(found)


def default_name(spec: StreamSpec) -> str:
    """The name Fleet gives a package's first package policy: ``<package>-1``."""
    return f"{spec.package}-1"


def check(spec: StreamSpec, given: PolicyVars, source: str) -> None:
    found = problems(spec, given)
    if found:
        raise FleetpkgError([Problem(Location(source), m) for m in found])


def render(
    spec: StreamSpec,
    given: PolicyVars,
    *,
    source: str = "vars",
    show_secrets: bool = False,
    name: str | None = None,
    namespace: str = "default",
) -> Rendered:
    """Validate, then render as Fleet: merged vars, Fleet's helpers, yaml vars parsed.

    ``name`` is the package policy's name (default: ``default_name``).
    """
    check(spec, given, source)
    name = name or default_name(spec)
    values = effective(spec, given)
    if not show_secrets:
        for var in spec.vars:
            if var.hidden and is_set(values.get(var.name)):
                values[var.name] = REDACTED
    variables = {k: v for k, v in values.items() if v is not None}
    yaml_vars = {v.name for v in spec.vars if v.type == "yaml"}
    meta = {
        "package": {"name": spec.package, "title": spec.title, "version": spec.version},
        "stream": {
            "id": f"{spec.input}-{spec.dataset}",
            "data_stream": {"dataset": spec.dataset, "type": spec.type},
        },
        "input": {"id": f"{spec.policy_template}-{spec.input}"},
    }
    parsed, _ = compile_template(spec.template, variables, yaml_vars, meta)
    if not isinstance(parsed, dict):
        message = f"{spec.template_path} does not render to a mapping"
        raise FleetpkgError([Problem(Location(source), message)])
    stream = {"data_stream": {"dataset": spec.dataset, "type": spec.type}, **parsed}
    policy = {
        "inputs": [
            {
                "name": name,
                "type": spec.input,
                "use_output": "default",
                "meta": {"package": {"name": spec.package, "version": spec.version}},
                "data_stream": {"namespace": namespace},
                "streams": [stream],
            }
        ]
    }
    return Rendered(policy=policy, stream=stream, secrets=secret_values(spec, given))


def request_body(
    spec: StreamSpec,
    given: PolicyVars,
    *,
    source: str = "vars",
    show_secrets: bool = False,
    name: str | None = None,
    namespace: str = "default",
    policy_id: str = "<agent-policy-id>",
) -> dict[str, Any]:
    """POST /api/fleet/package_policies body in the simplified format (Kibana >= 8.5).

    Only the vars the user gave are sent (Fleet fills the defaults); yaml vars are strings;
    the other data streams of the same input are disabled. ``name`` defaults to
    ``default_name``.
    """
    check(spec, given, source)
    name = name or default_name(spec)
    hidden = {v.name for v in spec.vars if v.hidden}

    def shown(values: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in values.items():
            var = spec.var(key)
            if var is not None and var.type == "yaml" and not isinstance(value, str):
                value = yaml.safe_dump(value, sort_keys=False) if is_set(value) else None
            if key in hidden and is_set(value) and not show_secrets:
                value = REDACTED
            out[key] = value
        return out

    package_names = {v.name for v in spec.package_vars}
    package_vars = {k: v for k, v in given.vars.items() if k in package_names}
    input_vars = {k: v for k, v in given.vars.items() if k not in package_names}
    streams: dict[str, Any] = {}
    for dataset in spec.all_streams:
        if dataset == spec.dataset:
            streams[dataset] = {"enabled": True, "vars": shown(given.stream_vars)}
        else:
            streams[dataset] = {"enabled": False}
    body: dict[str, Any] = {
        "name": name,
        "description": "",
        "namespace": namespace,
        "policy_id": policy_id,
        "package": {"name": spec.package, "version": spec.version},
    }
    if package_vars:
        body["vars"] = shown(package_vars)
    body["inputs"] = {
        f"{spec.policy_template}-{spec.input}": {
            "enabled": True,
            "vars": shown(input_vars),
            "streams": streams,
        }
    }
    return body
