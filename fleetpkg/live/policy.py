"""``fleetpkg policy create``: an agent policy (created or reused) and the package policy, built
from a vars file against the built package's manifests (Fleet's simplified request format).

Vars file (YAML)::

    name: cloudflare-1            # package policy name (default: <package>-1)
    namespace: default
    description: ...
    vars: {api_url: ...}          # package-level and input-level vars
    data_streams:
      audit: {enabled: true, vars: {account_id: ..., auth_token: {env: CLOUDFLARE_API_TOKEN}}}
      logpull: {enabled: false}

Secret vars (``secret: true`` or ``type: password``) must be ``{env: NAME}`` or ``{file: PATH}``.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError

MASK = "***"


@dataclass(frozen=True, slots=True)
class PolicyRequest:
    """The package-policy body (without ``policy_id``) and the secret values it carries."""

    body: dict[str, Any]
    secrets: tuple[str, ...]

    def for_agent_policy(self, policy_id: str) -> dict[str, Any]:
        return dict(self.body, policy_id=policy_id)

    def masked(self) -> dict[str, Any]:
        """The body with secret values replaced by ``***`` (safe to print)."""

        def mask(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: mask(v) for k, v in value.items()}
            if isinstance(value, list):
                return [mask(v) for v in value]
            return MASK if isinstance(value, str) and value in self.secrets else value

        result: dict[str, Any] = mask(copy.deepcopy(self.body))
        return result


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UsageError(f"{path}: {err.strerror}") from None
    except yaml.YAMLError as err:
        raise UsageError(f"{path}: invalid YAML: {err}") from None


def _is_secret(var: dict[str, Any]) -> bool:
    return bool(var.get("secret")) or var.get("type") == "password"


def _resolve(name: str, value: Any, var: dict[str, Any], where: str, base: Path) -> Any:
    """A var's value: secret references read, types checked, ``yaml`` vars as YAML text."""
    if isinstance(value, dict) and set(value) in ({"env"}, {"file"}):
        if "env" in value:
            found = os.environ.get(str(value["env"]))
            if not found:
                raise UsageError(f"{where}: {name}: environment variable {value['env']} is not set")
            return found
        path = base / str(value["file"])
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as err:
            raise UsageError(f"{where}: {name}: cannot read {path}: {err.strerror}") from None
    if _is_secret(var) and value is not None:
        raise UsageError(
            f"{where}: {name} is a secret: give it as {{env: NAME}} or {{file: PATH}}, not inline"
        )
    kind = var.get("type")
    if var.get("multi") and not isinstance(value, list):
        raise UsageError(f"{where}: {name} takes a list")
    values = value if isinstance(value, list) else [value]
    if kind == "bool" and not all(isinstance(v, bool) for v in values):
        raise UsageError(f"{where}: {name} must be true or false")
    if kind == "integer" and not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise UsageError(f"{where}: {name} must be an integer")
    if kind == "yaml" and not isinstance(value, str):
        return yaml.safe_dump(value, sort_keys=False) if value not in ([], {}, None) else None
    return value


def _vars(
    given: Any, declared: list[dict[str, Any]], where: str, base: Path, secrets: list[str]
) -> dict[str, Any]:
    given = given or {}
    if not isinstance(given, dict):
        raise UsageError(f"{where}: vars must be a map")
    known = {str(v["name"]): v for v in declared if isinstance(v, dict) and "name" in v}
    out: dict[str, Any] = {}
    for name, value in given.items():
        if name not in known:
            raise UsageError(f"{where}: unknown var {name!r} (known: {', '.join(sorted(known))})")
        resolved = _resolve(name, value, known[name], where, base)
        if resolved is None:
            continue
        if _is_secret(known[name]) and isinstance(resolved, str):
            secrets.append(resolved)
        out[name] = resolved
    return out


def _required(declared: list[dict[str, Any]], given: dict[str, Any], where: str) -> None:
    for var in declared:
        if var.get("required") and var.get("default") is None and var["name"] not in given:
            raise UsageError(f"{where}: required var {var['name']!r} is missing")


def build_request(package_dir: Path, vars_file: Path) -> PolicyRequest:
    """The package-policy request for the built package in ``package_dir`` (``SOURCE/package``)."""
    manifest = _load_yaml(package_dir / "manifest.yml")
    spec = _load_yaml(vars_file) or {}
    if not isinstance(manifest, dict) or not isinstance(spec, dict):
        raise UsageError(f"{vars_file}: must be a map")
    unknown = set(spec) - {"name", "namespace", "description", "vars", "data_streams"}
    if unknown:
        raise UsageError(f"{vars_file}: unknown key(s): {', '.join(sorted(unknown))}")
    pkg, where, base = str(manifest["name"]), str(vars_file), vars_file.parent
    secrets: list[str] = []
    package_vars = list(manifest.get("vars") or [])
    templates = list(manifest.get("policy_templates") or [])
    top = spec.get("vars") or {}
    if not isinstance(top, dict):
        raise UsageError(f"{where}: vars must be a map")
    package_names = {v["name"] for v in package_vars}
    pkg_given = _vars(
        {k: v for k, v in top.items() if k in package_names}, package_vars, where, base, secrets
    )
    streams_spec = spec.get("data_streams") or {}
    known_streams = {p.name for p in (package_dir / "data_stream").iterdir() if p.is_dir()}
    for name in streams_spec:
        if name not in known_streams:
            raise UsageError(f"{where}: unknown data stream {name!r}")
    inputs: dict[str, Any] = {}
    for template in templates:
        for inp in template.get("inputs") or []:
            declared = list(inp.get("vars") or [])
            in_given = _vars(
                {k: v for k, v in top.items() if k not in package_names},
                declared,
                where,
                base,
                secrets,
            )
            _required(declared, in_given, f"{where}: input {inp['type']}")
            streams = _streams(
                package_dir, pkg, template, inp["type"], streams_spec, where, base, secrets
            )
            enabled = any(s["enabled"] for s in streams.values())
            inputs[f"{template['name']}-{inp['type']}"] = {
                "enabled": enabled,
                "vars": in_given,
                "streams": streams,
            }
    _required(package_vars, pkg_given, where)
    body: dict[str, Any] = {
        "name": str(spec.get("name") or f"{pkg}-1"),
        "description": str(spec.get("description") or ""),
        "namespace": str(spec.get("namespace") or "default"),
        "package": {"name": pkg, "version": str(manifest["version"])},
        "vars": pkg_given,
        "inputs": inputs,
    }
    return PolicyRequest(body, tuple(secrets))


def _streams(
    package_dir: Path,
    pkg: str,
    template: dict[str, Any],
    input_type: str,
    spec: dict[str, Any],
    where: str,
    base: Path,
    secrets: list[str],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ds in template.get("data_streams") or sorted(
        p.name for p in (package_dir / "data_stream").iterdir()
    ):
        manifest = _load_yaml(package_dir / "data_stream" / ds / "manifest.yml") or {}
        for stream in manifest.get("streams") or []:
            if stream.get("input") != input_type:
                continue
            given = spec.get(ds) or {}
            enabled = bool(given.get("enabled", ds in spec))
            declared = list(stream.get("vars") or [])
            values = _vars(given.get("vars"), declared, f"{where}: {ds}", base, secrets)
            if enabled:
                _required(declared, values, f"{where}: data stream {ds}")
            dataset = str(manifest.get("dataset") or f"{pkg}.{ds}")
            out[dataset] = {"enabled": enabled, "vars": values}
    return out
