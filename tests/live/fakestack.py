"""A fake Elasticsearch + Kibana (Kibana endpoints in fakekibana.py) on 127.0.0.1 for the tests.

It implements the handful of endpoints fleetpkg uses, checks request shapes (auth, ``kbn-xsrf``,
``Content-Type``, zip layout, JSON bodies) and answers like the real services. Pipelines are
compiled and simulated by the embedded engine, so results look like a cluster's. Faults (an HTTP
status, a delay) are queued per method and path prefix and consumed in order.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fakekibana import FakeKibana, Fault, Reply, Request, State, es_error, kibana_error

from fleetpkg.ingest.errors import IngestError
from fleetpkg.ingest.pipeline import Compiler
from fleetpkg.testing.backend import BackendError, SimulateRequest
from fleetpkg.testing.embedded import EmbeddedBackend

API_KEY = "fake-api-key-Zm9vYmFy"
READONLY_KEY = "readonly-key-YmFyYmF6"
USER, PASSWORD = "elastic", "s3cret-Passw0rd"
ES_MEDIA = ("application/json", "application/vnd.elasticsearch+json")
MAX_DELAY = 5.0


class FakeStack(FakeKibana):
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
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

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
                body = self.kibana(req) if kibana else self._es(req)
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
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


# Client options that keep retry tests quick.
FAST = ["--retries", "2", "--retry-wait", "0.01", "--timeout", "5"]
