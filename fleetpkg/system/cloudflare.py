"""A Cloudflare API simulator: audit logs v1 and v2 and Logpull, with the real rules.

:class:`CloudflareSimulator` answers requests (``handle``) from a deterministic
:class:`~fleetpkg.system.dataset.Dataset` on a shared clock and records every request with the
rules it broke; :class:`SimulatorServer` serves it over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import socket
import threading
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .clock import Clock
from .dataset import (
    BOT_FIELDS,
    DEFAULT_LOGPULL_FIELDS,
    LOGPULL_FIELDS,
    NS,
    TIMESTAMP_FIELDS,
    AuditRecord,
    Dataset,
    LogRecord,
    rfc3339,
)

API = "/client/v4"
LOGPULL_MAX_AGE = 7 * 24 * 3600
LOGPULL_MIN_DELAY = 60
LOGPULL_MAX_WINDOW = 3600
AUDIT_V2_RETENTION = 30 * 24 * 3600
STREAM_ERROR = b"Error streaming data\n"
REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"authorization", "x-auth-key"})

_AUDIT_V1 = re.compile(rf"^{API}/accounts/([^/]+)/audit_logs/?$")
_AUDIT_V2 = re.compile(rf"^{API}/accounts/([^/]+)/logs/audit/?$")
_LOGPULL = re.compile(rf"^{API}/zones/([^/]+)/logs/received/?$")
_LOGPULL_FIELDS = re.compile(rf"^{API}/zones/([^/]+)/logs/received/fields/?$")
_VERIFY = re.compile(rf"^{API}/user/tokens/verify/?$")

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
ZONE = "9a7806061c88ada191ed06f989cc3dac"
EMAIL = "user@example.com"
KEY = "c2547eb745079dac9320b638f5e225cf483cc"
TOKEN = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY"

LOGS_READ = "logs_read"
ACCOUNT_READ = "account_settings_read"


@dataclass(frozen=True)
class Credentials:
    """Accepted credentials: one Global API key (with its email) and API tokens with scopes."""

    email: str = EMAIL
    key: str = KEY
    tokens: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {TOKEN: frozenset({LOGS_READ, ACCOUNT_READ})}
    )

    def secrets(self) -> tuple[str, ...]:
        return (self.key, *self.tokens)


@dataclass(frozen=True)
class Fault:
    """An injected fault on the ``nth`` requests (1-based) to one endpoint.

    kinds: ``trailer`` (HTTP 200, half the lines, then ``Error streaming data``), ``status``
    (answer ``status``, with ``Retry-After`` when ``retry_after`` is set), ``slow`` (the answer
    takes ``delay`` seconds of clock time), ``reset`` (close the connection without an answer).
    """

    kind: str
    endpoint: str  # audit | audit_v2 | logpull | *
    nth: frozenset[int]
    status: int = 503
    delay: float = 0.0
    retry_after: int | None = None


@dataclass(frozen=True)
class Limits:
    logpull_per_zone: tuple[int, int] = (15, 60)  # requests, seconds
    logpull_per_user: tuple[int, int] = (180, 60)
    global_per_user: tuple[int, int] = (1200, 300)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False


@dataclass
class RequestRecord:
    """What the simulator saw and answered; headers have their secrets redacted."""

    at: float
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    endpoint: str
    status: int = 0
    error: str | None = None
    fault: str | None = None
    served: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ApiError(Exception):
    def __init__(self, status: int, code: int, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def envelope(result: Any, result_info: dict[str, Any] | None = None) -> bytes:
    body: dict[str, Any] = {"success": True, "errors": [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return json.dumps(body, separators=(",", ":")).encode()


def error_body(code: int, message: str) -> bytes:
    body = {
        "success": False,
        "errors": [{"code": code, "message": message}],
        "messages": [],
        "result": None,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def parse_time(text: str, name: str) -> int:
    """Cloudflare time parameters → ns: unix seconds, unix nanoseconds, RFC 3339 or a date."""
    value = text.strip()
    if re.fullmatch(r"\d+", value):
        number = int(value)
        return number if number >= 10**15 else number * NS
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            when = datetime.fromisoformat(value).replace(tzinfo=UTC)
        else:
            if not re.fullmatch(
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})", value
            ):
                raise ValueError(value)
            frac = re.search(r"\.(\d{1,9})", value)
            nanos = int((frac.group(1) + "000000000")[:9]) if frac else 0
            base = re.sub(r"\.\d{1,9}", "", value).replace("Z", "+00:00")
            when = datetime.fromisoformat(base)
            return int(when.timestamp()) * NS + nanos
    except ValueError:
        raise ApiError(400, 1001, f"bad query: invalid value for {name}: {text!r}") from None
    return int(when.timestamp()) * NS


def _int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
        raise ApiError(400, 1001, f"bad query: {name} must be an integer in [{low}, {high}]")
    return int(text)


class _Window:
    """A sliding-window request counter on the simulator clock."""

    def __init__(self, limit: int, seconds: int) -> None:
        self.limit = limit
        self.seconds = seconds
        self.times: deque[float] = deque()

    def retry_after(self, now: float) -> int:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0
        return max(1, int(self.times[0] + self.seconds - now + 0.999))

    def add(self, now: float) -> None:
        self.times.append(now)


class CloudflareSimulator:
    """The API: accounts and zones, credentials, limits and faults on a shared clock."""

    def __init__(
        self,
        clock: Clock,
        dataset: Dataset | None = None,
        *,
        accounts: tuple[str, ...] = (ACCOUNT,),
        zones: tuple[str, ...] = (ZONE,),
        bot_zones: tuple[str, ...] = (),
        credentials: Credentials | None = None,
        limits: Limits | None = None,
        faults: tuple[Fault, ...] = (),
        latency: float = 0.05,
        origin: float | None = None,
    ) -> None:
        self.clock = clock
        self.dataset = dataset or Dataset()
        self.accounts = accounts
        self.zones = zones
        self.bot_zones = bot_zones
        self.credentials = credentials or Credentials()
        self.limits = limits or Limits()
        self.faults = list(faults)
        self.latency = latency
        # No record is older than the origin (the dataset's beginning of time).
        self.origin_ns = int((origin if origin is not None else clock.now() - 40 * 86400) * NS)
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._counts: dict[str, int] = defaultdict(int)
        self._windows: dict[tuple[str, str], _Window] = {}

    # -- what the tests compare with -------------------------------------------------------

    def audit_records(self, account: str, start: float, end: float) -> list[AuditRecord]:
        lo = max(int(start * NS), self.origin_ns)
        return self.dataset.audit_between(account, lo, int(end * NS))

    def log_records(self, zone: str, start: float, end: float) -> list[LogRecord]:
        lo = max(int(start * NS), self.origin_ns)
        return self.dataset.logs_between(zone, lo, int(end * NS))

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    # -- request handling --------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str]) -> Response:
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        lowered = {k.lower(): v for k, v in headers.items()}
        shown = {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}
        endpoint = _endpoint(parts.path)
        with self._lock:
            record = RequestRecord(
                self.clock.now(), method, parts.path, query, shown, endpoint or "unknown"
            )
            self.requests.append(record)
            if endpoint:
                self._counts[endpoint] += 1
            nth = self._counts[endpoint] if endpoint else 0
        try:
            response = self._handle(record, method, parts.path, query, lowered, endpoint, nth)
        except ApiError as err:
            record.error = err.message
            response = Response(err.status, error_body(err.code, err.message), dict(err.headers))
        record.status = response.status
        if "gzip" in lowered.get("accept-encoding", "") and response.body and not response.reset:
            response.body = gzip.compress(response.body, mtime=0)
            response.headers["Content-Encoding"] = "gzip"
        return response

    def _handle(
        self,
        record: RequestRecord,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        endpoint: str | None,
        nth: int,
    ) -> Response:
        if self.latency:
            self.clock.sleep(self.latency)
        if endpoint is None:
            raise ApiError(
                404, 7003, f"Could not route to {path}, perhaps your object identifier is invalid?"
            )
        if method != "GET":
            raise ApiError(405, 10405, f"Method {method} not allowed for this endpoint")
        principal, scopes = self._authenticate(headers)
        self._rate_limit(record, endpoint, path, principal)
        fault = self._fault(endpoint, nth)
        if fault is not None:
            record.fault = fault.kind
            if fault.kind == "slow":
                self.clock.sleep(fault.delay)
            elif fault.kind == "reset":
                return Response(0, reset=True)
            elif fault.kind == "status":
                extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                message = "Internal server error" if fault.status < 503 else "Service unavailable"
                raise ApiError(fault.status, 10000 + fault.status, message, **extra)
        match = _AUDIT_V1.match(path) or _AUDIT_V2.match(path)
        if endpoint in ("audit", "audit_v2") and match:
            if ACCOUNT_READ not in scopes:
                raise ApiError(403, 10000, "Authentication error")
            account = match.group(1)
            if account not in self.accounts:
                raise ApiError(403, 9109, "Unauthorized to access requested resource")
            if endpoint == "audit":
                return self._audit_v1(record, account, query)
            return self._audit_v2(record, account, query)
        if endpoint == "verify":
            return Response(200, envelope({"id": "token", "status": "active"}))
        zone_match = _LOGPULL.match(path) or _LOGPULL_FIELDS.match(path)
        assert zone_match is not None
        zone = zone_match.group(1)
        if LOGS_READ not in scopes:
            raise ApiError(403, 10000, "Authentication error")
        if zone not in self.zones:
            raise ApiError(403, 9109, "Unauthorized to access requested resource")
        if endpoint == "logpull_fields":
            names = {n: f"{n} (simulated)" for n in self._fields_of(zone)}
            return Response(200, json.dumps(names).encode(), {"Content-Type": "application/json"})
        return self._logpull(record, zone, query, fault)

    def _authenticate(self, headers: Mapping[str, str]) -> tuple[str, frozenset[str]]:
        creds = self.credentials
        auth = headers.get("authorization")
        if auth is not None:
            token = auth[7:] if auth.startswith("Bearer ") else None
            if token is None or token not in creds.tokens:
                raise ApiError(401, 10000, "Authentication error")
            return f"token:{list(creds.tokens).index(token)}", creds.tokens[token]
        email, key = headers.get("x-auth-email"), headers.get("x-auth-key")
        if email is None and key is None:
            raise ApiError(401, 10000, "Authentication error")
        if email is None or key is None:
            raise ApiError(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
        if email != creds.email or key != creds.key:
            raise ApiError(403, 9103, "Unknown X-Auth-Key or X-Auth-Email")
        return "key", frozenset({LOGS_READ, ACCOUNT_READ})

    def _rate_limit(self, record: RequestRecord, endpoint: str, path: str, principal: str) -> None:
        now = self.clock.now()
        limits = [("global", principal, self.limits.global_per_user)]
        if endpoint == "logpull":
            zone = path.split("/")[4]
            limits.append(("zone", zone, self.limits.logpull_per_zone))
            limits.append(("user", principal, self.limits.logpull_per_user))
        with self._lock:
            windows = []
            for kind, key, (count, seconds) in limits:
                window = self._windows.setdefault((kind, key), _Window(count, seconds))
                wait = window.retry_after(now)
                if wait:
                    record.notes.append(f"rate limited ({kind})")
                    raise ApiError(
                        429,
                        971,
                        "Please wait and consider throttling your request speed",
                        **{"Retry-After": str(wait)},
                    )
                windows.append(window)
            for window in windows:
                window.add(now)

    def _fault(self, endpoint: str, nth: int) -> Fault | None:
        for fault in self.faults:
            if fault.endpoint in (endpoint, "*") and nth in fault.nth:
                return fault
        return None

    # -- audit logs -------------------------------------------------------------------------

    def _audit_window(self, query: Mapping[str, str], now_ns: int) -> tuple[int, int]:
        since = parse_time(query["since"], "since") if "since" in query else self.origin_ns
        before = parse_time(query["before"], "before") if "before" in query else now_ns + 1
        return max(since, self.origin_ns), min(before, now_ns + 1)

    def _visible(self, account: str, lo: int, hi: int, now_ns: int) -> list[AuditRecord]:
        if lo >= hi:
            return []
        records = self.dataset.audit_between(account, lo, hi)
        if self.dataset.audit_delay:
            records = [r for r in records if self.dataset.audit_visible_ns(r) <= now_ns]
        return records

    def _audit_v1(self, record: RequestRecord, account: str, query: dict[str, str]) -> Response:
        known = {"id", "action.type", "actor.email", "actor.ip", "zone.name", "since", "before"}
        known |= {"direction", "page", "per_page", "export", "hide_user_logs"}
        record.notes.extend(f"unknown parameter {k}" for k in query if k not in known)
        direction = query.get("direction", "desc")
        if direction not in ("asc", "desc"):
            raise ApiError(400, 1001, "bad query: direction must be one of asc, desc")
        page = _int_param(query, "page", 1, 1, 10**9)
        per_page = _int_param(query, "per_page", 100, 1, 1000)
        now_ns = int(self.clock.now() * NS)
        lo, hi = self._audit_window(query, now_ns)
        records = self._visible(account, lo, hi, now_ns)
        if "action.type" in query:
            records = [r for r in records if r.v1["action"]["type"] == query["action.type"]]
        if direction == "desc":
            records.reverse()
        chunk = records[(page - 1) * per_page : page * per_page]
        record.served = [r.id for r in chunk]
        info = {"page": page, "per_page": per_page, "count": len(chunk)}
        info["total_count"] = len(records)
        return Response(
            200, envelope([r.v1 for r in chunk], info), {"Content-Type": "application/json"}
        )

    def _audit_v2(self, record: RequestRecord, account: str, query: dict[str, str]) -> Response:
        for name in ("since", "before"):
            if name not in query:
                raise ApiError(400, 1001, f"bad query: {name} is required")
        direction = query.get("direction", "desc")
        if direction not in ("asc", "desc"):
            raise ApiError(400, 1001, "bad query: direction must be one of asc, desc")
        limit = _int_param(query, "limit", 100, 1, 1000)
        now_ns = int(self.clock.now() * NS)
        lo, hi = self._audit_window(query, now_ns)
        lo = max(lo, now_ns - AUDIT_V2_RETENTION * NS)
        records = self._visible(account, lo, hi, now_ns)
        if direction == "desc":
            records.reverse()
        start = 0
        if query.get("cursor"):
            start = _decode_cursor(query["cursor"], records)
        chunk = records[start : start + limit]
        record.served = [r.id for r in chunk]
        info: dict[str, Any] = {"count": len(chunk)}
        if start + limit < len(records):
            last = chunk[-1]
            info["cursor"] = _encode_cursor(last.ns, last.id)
        return Response(
            200, envelope([r.v2 for r in chunk], info), {"Content-Type": "application/json"}
        )

    # -- logpull -----------------------------------------------------------------------------

    def _fields_of(self, zone: str) -> tuple[str, ...]:
        if zone in self.bot_zones:
            return LOGPULL_FIELDS
        return tuple(n for n in LOGPULL_FIELDS if n not in BOT_FIELDS)

    def _logpull(
        self, record: RequestRecord, zone: str, query: dict[str, str], fault: Fault | None
    ) -> Response:
        known = {"start", "end", "count", "sample", "fields", "timestamps", "CVE-2021-44228"}
        record.notes.extend(f"unknown parameter {k}" for k in query if k not in known)
        if "start" not in query or "end" not in query:
            raise ApiError(400, 1009, "bad query: start and end are required")
        start = parse_time(query["start"], "start")
        end = parse_time(query["end"], "end")
        now = int(self.clock.now() * NS)
        prefix = "bad query: error parsing time: invalid time range"
        if now - start > LOGPULL_MAX_AGE * NS:
            raise ApiError(
                400, 1010, f"{prefix}: too early: logs older than 168h0m0s are not available"
            )
        if now - end < LOGPULL_MIN_DELAY * NS:
            raise ApiError(400, 1010, f"{prefix}: too late: end must be at least 1m0s in the past")
        if end <= start:
            raise ApiError(400, 1010, f"{prefix}: start must be earlier than end")
        if end - start > LOGPULL_MAX_WINDOW * NS:
            raise ApiError(400, 1010, f"{prefix}: end-start must not exceed 1h0m0s")
        fields = self._requested_fields(zone, query.get("fields"))
        stamps = query.get("timestamps", "unixnano")
        if stamps not in ("unixnano", "unix", "rfc3339"):
            raise ApiError(400, 1009, f"bad query: invalid timestamps format {stamps!r}")
        count = _int_param(query, "count", 0, 1, 10**9) if "count" in query else None
        sample = _sample(query.get("sample"))
        redact = query.get("CVE-2021-44228", "false")
        if redact not in ("true", "false"):
            raise ApiError(400, 1009, "bad query: CVE-2021-44228 must be true or false")
        records = self.dataset.logs_between(zone, max(start, self.origin_ns), end)
        if sample is not None:
            records = [r for r in records if int(r.ray_id[:8], 16) / 0xFFFFFFFF < sample]
        if count is not None:
            records = records[:count]
        lines = [_log_line(r, fields, stamps, redact == "true") for r in records]
        if fault is not None and fault.kind == "trailer":
            kept = lines[: len(lines) // 2]
            record.served = [r.ray_id for r in records[: len(kept)]]
            body = b"".join(kept) + STREAM_ERROR
        else:
            record.served = [r.ray_id for r in records]
            body = b"".join(lines)
        return Response(200, body, {"Content-Type": "application/x-ndjson"})

    def _requested_fields(self, zone: str, text: str | None) -> tuple[str, ...]:
        if text is None or text == "":
            return DEFAULT_LOGPULL_FIELDS
        names = tuple(text.split(","))
        known = set(LOGPULL_FIELDS)
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ApiError(400, 1009, f"bad query: unknown fields: {', '.join(unknown)}")
        if zone not in self.bot_zones:
            bot = [n for n in names if n in BOT_FIELDS]
            if bot:
                message = f"bad query: fields need Bot Management on this zone: {', '.join(bot)}"
                raise ApiError(400, 1009, message)
        return names


def _endpoint(path: str) -> str | None:
    for name, pattern in (
        ("audit", _AUDIT_V1),
        ("audit_v2", _AUDIT_V2),
        ("logpull", _LOGPULL),
        ("logpull_fields", _LOGPULL_FIELDS),
        ("verify", _VERIFY),
    ):
        if pattern.match(path):
            return name
    return None


def _sample(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value <= 1.0:
        raise ApiError(400, 1009, "bad query: sample must be in (0.0, 1.0]")
    return value


def _log_line(record: LogRecord, fields: tuple[str, ...], stamps: str, redact: bool) -> bytes:
    out: dict[str, Any] = {}
    for name in fields:
        value = record.fields[name]
        if name in TIMESTAMP_FIELDS:
            value = {"unix": value // NS, "rfc3339": rfc3339(value)}.get(stamps, value)
        elif redact and isinstance(value, str):
            value = value.replace("${", "x{")
        out[name] = value
    return json.dumps(out, separators=(",", ":")).encode() + b"\n"


def _encode_cursor(ns: int, ident: str) -> str:
    raw = json.dumps([ns, ident]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(text: str, records: list[AuditRecord]) -> int:
    try:
        ns, ident = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, TypeError):
        raise ApiError(400, 1001, "bad query: invalid cursor") from None
    for index, rec in enumerate(records):
        if rec.ns == ns and rec.id == ident:
            return index + 1
    raise ApiError(400, 1001, "bad query: invalid cursor")


class _Handler(BaseHTTPRequestHandler):
    simulator: CloudflareSimulator
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        response = self.server.simulator.handle(  # type: ignore[attr-defined]
            self.command, self.path, dict(self.headers.items())
        )
        if response.reset:
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.status >= 400 and "Content-Type" not in response.headers:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, simulator: CloudflareSimulator, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.simulator = simulator


class SimulatorServer:
    """The simulator on ``http://127.0.0.1:<port>``; a context manager."""

    def __init__(self, simulator: CloudflareSimulator, port: int = 0) -> None:
        self.simulator = simulator
        self._server = _Server(simulator, port)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SimulatorServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def iter_served(requests: list[RequestRecord], endpoint: str) -> Iterator[str]:
    for req in requests:
        if req.endpoint == endpoint and req.status == 200:
            yield from req.served
