"""The Kibana half of the fake stack: Fleet's EPM and policy endpoints, with their checks."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Fault:
    method: str
    prefix: str
    status: int = 500
    body: Any = None
    delay: float = 0.0


@dataclass
class State:
    pipelines: dict[str, dict[str, Any]] = field(default_factory=dict)
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)
    packages: dict[str, dict[str, Any]] = field(default_factory=dict)
    agent_policies: list[dict[str, Any]] = field(default_factory=list)
    package_policies: list[dict[str, Any]] = field(default_factory=list)


class Reply(Exception):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def kibana_error(status: int, message: str) -> Reply:
    names = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}
    names |= {409: "Conflict", 500: "Internal Server Error"}
    return Reply(
        status, {"statusCode": status, "error": names.get(status, "Error"), "message": message}
    )


def es_error(status: int, type_: str, reason: str) -> Reply:
    cause = {"type": type_, "reason": reason}
    return Reply(status, {"error": {"root_cause": [cause], **cause}, "status": status})


class FakeKibana:
    """Fleet endpoints (mixed into ``FakeStack``): uploads, packages, agent/package policies."""

    state: State
    fleet_upload: bool

    def kibana(self, req: Request) -> Any:
        if req.method != "GET" and not req.headers.get("kbn-xsrf"):
            raise kibana_error(400, "Request must contain a kbn-xsrf header.")
        epm = "/api/fleet/epm/packages"
        if req.path == epm and req.method == "POST":
            return self._upload(req)
        if req.path.startswith(epm + "/"):
            parts = req.path[len(epm) + 1 :].split("/")
            if req.method == "GET" and len(parts) == 1:
                return self._get_package(parts[0])
            if req.method == "DELETE" and len(parts) == 2:
                return self._delete_package(parts[0], parts[1], req)
        if req.path == "/api/fleet/agent_policies":
            if req.method == "GET":
                return {
                    "items": self.state.agent_policies,
                    "total": len(self.state.agent_policies),
                    "page": 1,
                    "perPage": 100,
                }
            if req.method == "POST":
                return self._agent_policy(req)
        if req.path == "/api/fleet/package_policies" and req.method == "POST":
            return self._package_policy(req)
        raise kibana_error(404, "Not Found")

    def _upload(self, req: Request) -> Any:
        if not self.fleet_upload:
            raise kibana_error(404, "Not Found")
        if req.headers.get("content-type") != "application/zip":
            raise kibana_error(400, "Unsupported Content-Type; expected application/zip")
        if req.headers.get("elastic-api-version") != "2023-10-31":
            raise kibana_error(400, "missing elastic-api-version header")
        try:
            archive = zipfile.ZipFile(io.BytesIO(req.body))
        except zipfile.BadZipFile:
            raise kibana_error(
                400, "Error during extraction of package: end of central directory"
            ) from None
        names = archive.namelist()
        roots = {n.split("/", 1)[0] for n in names}
        if len(roots) != 1 or f"{next(iter(roots))}/manifest.yml" not in names:
            raise kibana_error(400, "Package must contain a top-level manifest.yml file")
        root = roots.pop()
        manifest = yaml.safe_load(archive.read(f"{root}/manifest.yml"))
        name, version = manifest["name"], str(manifest["version"])
        if root != f"{name}-{version}":
            raise kibana_error(400, f"Name {root} and version do not match manifest")
        installed = self.state.packages.get(name)
        if installed is not None:
            if installed["version"] == version:
                raise kibana_error(409, f"{name}-{version} is already installed")
            if _newer(installed["version"], version):
                raise kibana_error(
                    400, f"{name}-{version} is out-of-date and cannot be installed or updated"
                )
        streams = sorted(
            {
                n.split("/")[2]
                for n in names
                if n.count("/") >= 3 and n.split("/")[1] == "data_stream"
            }
        )
        assets = []
        for ds in streams:
            t = f"logs-{name}.{ds}"
            assets += [
                {"id": t, "type": "index_template"},
                {"id": f"{t}@package", "type": "component_template"},
                {"id": f"{t}-{version}", "type": "ingest_pipeline"},
            ]
        self.state.packages[name] = {
            "version": version,
            "assets": assets,
            "title": manifest.get("title"),
        }
        return {"items": assets, "_meta": {"install_source": "upload", "name": name}}

    def _get_package(self, name: str) -> Any:
        pkg = self.state.packages.get(name)
        if pkg is None:
            raise kibana_error(404, f"[{name}] package not installed or found in registry")
        return {
            "item": {
                "name": name,
                "version": pkg["version"],
                "title": pkg["title"],
                "status": "installed",
                "installationInfo": {
                    "version": pkg["version"],
                    "install_status": "installed",
                    "installed_es": pkg["assets"],
                    "installed_kibana": [],
                },
            }
        }

    def _delete_package(self, name: str, version: str, req: Request) -> Any:
        pkg = self.state.packages.get(name)
        if pkg is None or pkg["version"] != version:
            raise kibana_error(404, f"{name}-{version} is not installed")
        used = [p for p in self.state.package_policies if p["package"]["name"] == name]
        if used and req.query.get("force") != ["true"]:
            raise kibana_error(
                400, "Unable to remove package with existing package policy(s) in use by agent(s)"
            )
        del self.state.packages[name]
        return {"items": pkg["assets"]}

    def _agent_policy(self, req: Request) -> Any:
        body = req.json()
        if not isinstance(body.get("name"), str) or not isinstance(body.get("namespace"), str):
            raise kibana_error(400, "[request body.name]: expected value of type [string]")
        if any(p["name"] == body["name"] for p in self.state.agent_policies):
            raise kibana_error(409, f"Agent Policy '{body['name']}' already exists")
        item = {"id": str(uuid.uuid4()), "revision": 1, "status": "active", **body}
        self.state.agent_policies.append(item)
        return {"item": item}

    def _package_policy(self, req: Request) -> Any:
        body = req.json()
        for key in ("name", "policy_id", "package", "inputs"):
            if key not in body:
                raise kibana_error(400, f"[request body.{key}]: expected value")
        if not any(p["id"] == body["policy_id"] for p in self.state.agent_policies):
            raise kibana_error(400, f"Agent policy {body['policy_id']} not found")
        pkg = self.state.packages.get(body["package"]["name"])
        if pkg is None or pkg["version"] != body["package"]["version"]:
            raise kibana_error(
                400,
                f"Package {body['package']['name']}-{body['package']['version']} is not installed",
            )
        if not isinstance(body["inputs"], dict):
            raise kibana_error(400, "inputs must be a map in the simplified format")
        for key, value in body["inputs"].items():
            if "-" not in key or not isinstance(value.get("streams", {}), dict):
                raise kibana_error(400, f"Input not found: {key}")
            for vars_ in [value.get("vars", {})] + [
                s.get("vars", {}) for s in value.get("streams", {}).values()
            ]:
                for var, raw in vars_.items():
                    if isinstance(raw, dict) and set(raw) == {"value", "type"}:
                        raise kibana_error(400, f"var {var}: simplified format takes raw values")
        if any(p["name"] == body["name"] for p in self.state.package_policies):
            raise kibana_error(
                409, f"An integration policy with the name {body['name']} already exists"
            )
        item = {"id": str(uuid.uuid4()), "revision": 1, **body}
        self.state.package_policies.append(item)
        return {"item": item}


def _newer(a: str, b: str) -> bool:
    return tuple(int(x) for x in a.split(".")[:3]) > tuple(int(x) for x in b.split(".")[:3])
