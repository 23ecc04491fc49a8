"""A fake Elasticsearch + Kibana on 127.0.0.1 for the live-path tests.

It implements the handful of endpoints fleetpkg uses, checks request shapes (auth, ``kbn-xsrf``,
``Content-Type``, zip layout, JSON bodies) and answers like the real services. Pipelines are
compiled and simulated by the embedded engine, so results look like a cluster's. Faults (an HTTP
status, a delay) are queued per method and path prefix and consumed in order.
"""

from __future__ import annotations

import base64
import io
import json
import ssl
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from fleetpkg.ingest.errors import IngestError
from fleetpkg.ingest.pipeline import Compiler
from fleetpkg.testing.backend import BackendError, SimulateRequest
from fleetpkg.testing.embedded import EmbeddedBackend

API_KEY = "fake-api-key-Zm9vYmFy"
READONLY_KEY = "readonly-key-YmFyYmF6"
USER, PASSWORD = "elastic", "s3cret-Passw0rd"
ES_MEDIA = ("application/json", "application/vnd.elasticsearch+json")
MAX_DELAY = 5.0


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


class FakeStack:
    """Both services on one port: paths under ``/api/`` are Kibana, the rest Elasticsearch."""

    def __init__(
        self,
        es_version: str = "9.1.0",
        kibana_version: str = "9.1.0",
        tls: tuple[str, str] | None = None,
    ) -> None:
        self.es_version = es_version
        self.kibana_version = kibana_version
        self.state = State()
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.fleet_upload = True  # False: a Kibana older than 8.7 (no zip upload → 404)
        self.diverge: Callable[[dict[str, Any]], None] | None = None  # alter simulate output
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.product_header = True  # False: answers like a server that is not Elasticsearch
        self.scheme = "http"
        if tls is not None:  # (certificate file, key file): serve https
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeStack:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def fail(self, method: str, prefix: str, status: int = 500, times: int = 1, **kw: Any) -> None:
        self.faults.extend(Fault(method, prefix, status, **kw) for _ in range(times))

    def seen(self, method: str, prefix: str = "") -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    # --- dispatch ---------------------------------------------------------------------------
    def handle(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        kibana = req.path.startswith("/api/")
        es = not kibana and self.product_header
        headers = {"X-Elastic-Product": "Elasticsearch"} if es else {}
        with self.lock:
            self.requests.append(req)
            fault = next(
                (
                    f
                    for f in self.faults
                    if f.method == req.method and req.path.startswith(f.prefix)
                ),
                None,
            )
            if fault is not None:
                self.faults.remove(fault)
        if fault is not None:
            time.sleep(min(fault.delay, MAX_DELAY))
            if fault.status:
                body = fault.body if fault.body is not None else {"message": "injected fault"}
                return fault.status, body, headers
        try:
            self._authenticate(req, kibana)
            with self.lock:
                body = self._kibana(req) if kibana else self._es(req)
            return 200, body, headers
        except Reply as reply:
            return reply.status, reply.body, headers

    def _authenticate(self, req: Request, kibana: bool) -> None:
        auth = req.headers.get("authorization", "")
        basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if auth in (f"ApiKey {API_KEY}", basic):
            return
        if auth == f"ApiKey {READONLY_KEY}":
            if req.method == "GET":
                return
            message = "action [cluster:admin/ingest/pipeline/put] is unauthorized for API key"
            if kibana:
                raise kibana_error(403, "Forbidden: missing fleet-all privilege")
            raise es_error(403, "security_exception", message)
        if kibana:
            raise kibana_error(401, "[security_exception]: unable to authenticate user")
        raise es_error(401, "security_exception", "unable to authenticate user for REST request")

    # --- Elasticsearch ------------------------------------------------------------------------
    def _es(self, req: Request) -> Any:
        accept = req.headers.get("accept", "")
        if not accept.startswith(ES_MEDIA):
            raise es_error(406, "media_type_header_exception", f"bad Accept header [{accept}]")
        if req.body and not req.headers.get("content-type", "").startswith(ES_MEDIA):
            raise es_error(406, "media_type_header_exception", "bad Content-Type header")
        parts = [unquote(p) for p in req.path.strip("/").split("/")] if req.path != "/" else []
        if not parts and req.method == "GET":
            return {
                "name": "fake-node",
                "cluster_name": "fake",
                "version": {"number": self.es_version},
            }
        if parts == ["_nodes", "stats", "ingest"] and req.method == "GET":
            return self._node_stats()
        if parts == ["_ingest", "pipeline"] and req.method == "GET":
            summary = req.query.get("summary") == ["true"]
            return {k: {} if summary else v for k, v in self.state.pipelines.items()}
        if len(parts) >= 3 and parts[:2] == ["_ingest", "pipeline"]:
            name = parts[2]
            if len(parts) == 4 and parts[3] == "_simulate" and req.method == "POST":
                return self._simulate(name, req)
            if len(parts) == 3:
                return self._pipeline(req, name)
        raise es_error(400, "illegal_argument_exception", f"no handler for {req.method} {req.path}")

    def _pipeline(self, req: Request, name: str) -> Any:
        if req.method == "PUT":
            definition = req.json()
            if not isinstance(definition, dict) or not isinstance(
                definition.get("processors"), list
            ):
                raise es_error(400, "parse_exception", "[processors] required property is missing")
            try:
                Compiler({}).pipeline(name, definition)
            except IngestError as err:
                raise Reply(400, {"error": err.to_es(), "status": 400}) from None
            self.state.pipelines[name] = definition
            self.state.stats[name] = _empty_stats(definition)
            return {"acknowledged": True}
        if name not in self.state.pipelines:
            if req.method == "GET":
                raise Reply(404, {})
            raise es_error(404, "resource_not_found_exception", f"pipeline [{name}] is missing")
        if req.method == "GET":
            return {name: self.state.pipelines[name]}
        if req.method == "DELETE":
            del self.state.pipelines[name]
            return {"acknowledged": True}
        raise es_error(405, "method_not_allowed", req.method)

    def _simulate(self, name: str, req: Request) -> Any:
        body = req.json()
        docs = body.get("docs") if isinstance(body, dict) else None
        if not isinstance(docs, list) or not all(
            isinstance(d, dict) and isinstance(d.get("_source"), dict) for d in docs
        ):
            raise es_error(400, "parse_exception", "[docs] must be a list of {_source}")
        if name not in self.state.pipelines:
            raise es_error(404, "resource_not_found_exception", f"pipeline [{name}] is missing")
        try:
            result = EmbeddedBackend().simulate(
                SimulateRequest(name, tuple(docs)), dict(self.state.pipelines)
            )
        except BackendError as err:
            raise Reply(400, {"error": err.error, "status": 400}) from None
        out = []
        for raw, entry in zip(docs, result["docs"], strict=True):
            if entry is None:
                out.append(None)
            elif "error" in entry:
                out.append({"error": entry["error"]})
            else:
                source = entry["doc"]["_source"]
                if self.diverge is not None:
                    self.diverge(source)
                out.append(
                    {
                        "doc": {
                            "_index": raw.get("_index", "_index"),
                            "_version": "-3",
                            "_id": "_id",
                            "_source": source,
                            "_ingest": {"timestamp": "2026-11-25T15:00:00.000Z"},
                        }
                    }
                )
        self._count(name, len(docs))
        return {"docs": out}

    def _count(self, name: str, docs: int) -> None:
        stats = self.state.stats[name]
        stats["count"] += docs
        stats["time_in_millis"] += max(1, docs // 10)
        for processor in stats["processors"]:
            for entry in processor.values():
                entry["stats"]["count"] += docs
                entry["stats"]["time_in_millis"] += docs // 50

    def _node_stats(self) -> Any:
        pipelines = {k: v for k, v in self.state.stats.items() if k in self.state.pipelines}
        total = sum(p["count"] for p in pipelines.values())
        return {
            "_nodes": {"total": 1, "successful": 1, "failed": 0},
            "cluster_name": "fake",
            "nodes": {
                "n1": {
                    "name": "fake-node",
                    "ingest": {
                        "total": {"count": total, "time_in_millis": 0, "current": 0, "failed": 0},
                        "pipelines": pipelines,
                    },
                }
            },
        }

    # --- Kibana -------------------------------------------------------------------------------
    def _kibana(self, req: Request) -> Any:
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


def _empty_stats(definition: dict[str, Any]) -> dict[str, Any]:
    processors = []
    for processor in definition.get("processors") or []:
        type_, config = next(iter(processor.items()))
        key = (
            f"{type_}:{config['tag']}" if isinstance(config, dict) and config.get("tag") else type_
        )
        inner = type_
        if isinstance(config, dict) and config.get("if"):
            inner = "conditional"
        if type_ == "foreach" or (isinstance(config, dict) and config.get("on_failure")):
            inner = "compound"
        stats = {"count": 0, "time_in_millis": 0, "current": 0, "failed": 0}
        processors.append({key: {"type": inner, "stats": stats}})
    return {"count": 0, "time_in_millis": 0, "current": 0, "failed": 0, "processors": processors}


def _handler(stack: FakeStack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            req = Request(self.command, split.path, parse_qs(split.query), headers, body)
            status, payload, extra = stack.handle(req)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler
