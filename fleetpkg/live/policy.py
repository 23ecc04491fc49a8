"""``fleetpkg policy create``: the package-policy request from the same vars file as
``policy render`` (``{vars: {...}, data_stream: {vars: {...}}}``), secrets resolved from
``{env: NAME}`` / ``{file: PATH}`` references.

The body comes from ``fleetpkg.policy.render.request_body`` (vars validated like Fleet) when that
package is installed; otherwise a small adapter reads the built package's manifests.
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
    """The package-policy body (``policy_id`` filled in later) and the secret values in it."""

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


def _reference(name: str, value: Any, base: Path, where: str) -> str | None:
    """The secret a ``{env: NAME}`` / ``{file: PATH}`` value points at (None: not a reference)."""
    if not isinstance(value, dict) or set(value) not in ({"env"}, {"file"}):
        return None
    if "env" in value:
        found = os.environ.get(str(value["env"]))
        if not found:
            raise UsageError(f"{where}: {name}: environment variable {value['env']} is not set")
        return found
    path = base / str(value["file"])
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise UsageError(f"{where}: {name}: cannot read {path}: {err.strerror}") from None
    if not text:
        raise UsageError(f"{where}: {name}: {path} is empty")
    return text


def load_vars(path: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The vars file with its secret references resolved, and the secret values."""
    doc = _load_yaml(path) or {}
    if not isinstance(doc, dict):
        raise UsageError(f"{path}: must be a map with `vars` and `data_stream.vars`")
    secrets: list[str] = []
    stream = doc.get("data_stream") or {}
    for values in (doc.get("vars"), stream.get("vars") if isinstance(stream, dict) else None):
        if not isinstance(values, dict):
            continue
        for name, value in values.items():
            found = _reference(name, value, path.parent, str(path))
            if found is not None:
                values[name] = found
                secrets.append(found)
    return doc, tuple(secrets)


def _data_stream(package_dir: Path, doc: dict[str, Any], given: str | None, path: Path) -> str:
    """``--data-stream``, else ``data_stream.name`` in the vars file, else the only one."""
    stream = doc.get("data_stream")
    named = stream.pop("name", None) if isinstance(stream, dict) else None
    if given or named:
        return str(given or named)
    folder = package_dir / "data_stream"
    streams = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    if len(streams) == 1:
        return streams[0]
    raise UsageError(
        f"{path}: which data stream? pass --data-stream NAME or set data_stream.name "
        f"(one of: {', '.join(streams)})"
    )


def build_request(
    package_dir: Path, vars_file: Path, data_stream: str | None, name: str, namespace: str
) -> PolicyRequest:
    """The body of ``POST /api/fleet/package_policies`` (simplified format)."""
    doc, secrets = load_vars(vars_file)
    data_stream = _data_stream(package_dir, doc, data_stream, vars_file)
    body, hidden = _from_policy_package(package_dir, doc, vars_file, data_stream, name, namespace)
    return PolicyRequest(body, secrets + _inline_secrets(doc, hidden))


def _from_policy_package(
    package_dir: Path, doc: dict[str, Any], path: Path, ds: str, name: str, namespace: str
) -> tuple[dict[str, Any], set[str]]:
    """The request body, and the names of the vars Fleet must never show."""
    from fleetpkg.errors import FleetpkgError
    from fleetpkg.policy.render import request_body
    from fleetpkg.policy.spec import load_stream
    from fleetpkg.policy.varcheck import PolicyVars

    try:
        spec = load_stream(package_dir, ds)
        given = PolicyVars.from_config(doc)
        body: dict[str, Any] = request_body(
            spec, given, source=str(path), show_secrets=True, name=name, namespace=namespace
        )
    except FleetpkgError as err:
        raise UsageError("; ".join(str(p) for p in err.problems)) from None
    except (ValueError, OSError) as err:
        raise UsageError(f"{path}: {err}") from None
    body.pop("policy_id", None)
    return body, {var.name for var in spec.vars if var.hidden}


def _inline_secrets(doc: dict[str, Any], hidden: set[str]) -> tuple[str, ...]:
    """Values of secret vars written inline in the vars file (still never printed)."""
    stream = doc.get("data_stream") or {}
    values = {**(doc.get("vars") or {}), **((stream or {}).get("vars") or {})}
    return tuple(str(v) for k, v in values.items() if k in hidden and isinstance(v, str) and v)
