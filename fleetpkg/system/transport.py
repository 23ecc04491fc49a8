"""The HTTP client of the Agent's CEL input: retries (go-retryablehttp's policy), a rate limiter
and a timeout, on a shared clock, with a redacted request trace."""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit

from .cel import TransportError, new_response
from .clock import Clock

REDACTED = "[redacted]"


@dataclass(frozen=True)
class ClientConfig:
    """``resource.retry.*``, ``resource.rate_limit.*`` and ``resource.timeout`` of the input."""

    max_attempts: int = 5  # retries after the first attempt
    wait_min: float = 1.0
    wait_max: float = 60.0
    timeout: float = 30.0
    rate_limit: float | None = None  # requests per second
    burst: int = 1
    real_timeout: float = 20.0  # wall-clock guard for the socket itself


@dataclass
class TraceEntry:
    at: float
    method: str
    url: str
    status: int | None
    headers: dict[str, list[str]]
    error: str | None = None
    attempt: int = 0
    body_bytes: int = 0


@dataclass
class _Bucket:
    rate: float
    burst: int
    tokens: float
    updated: float


def redact(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


@dataclass
class HttpTransport:
    """``do(request)`` for the CEL runtime; every attempt lands in ``trace`` (secrets redacted)."""

    clock: Clock
    config: ClientConfig = field(default_factory=ClientConfig)
    secrets: tuple[str, ...] = ()
    log: Callable[[str], None] = lambda _m: None
    trace: list[TraceEntry] = field(default_factory=list)
    _bucket: _Bucket | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _conns: dict[tuple[str, str, int | None], http.client.HTTPConnection] = field(
        default_factory=dict
    )

    def close(self) -> None:
        for conn in self._conns.values():
            conn.close()
        self._conns.clear()

    def _connection(self, scheme: str, host: str, port: int | None) -> http.client.HTTPConnection:
        key = (scheme, host, port)
        conn = self._conns.get(key)
        if conn is None:
            conn_class = (
                http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            )
            conn = conn_class(host, port, timeout=self.config.real_timeout)
            self._conns[key] = conn
        return conn

    def do(self, request: dict[str, Any]) -> dict[str, Any]:
        attempts = self.config.max_attempts + 1
        last_error = ""
        for attempt in range(attempts):
            self._wait_rate_limit()
            try:
                response = self._once(request, attempt)
            except TransportError as err:
                last_error = str(err)
                if attempt + 1 < attempts:
                    self._backoff(attempt, None)
                continue
            status = response["StatusCode"]
            retryable = status == 429 or (status >= 500 and status != 501)
            if not retryable or attempt + 1 == attempts:
                return response  # retryablehttp's PassthroughErrorHandler: the last response
            self.log(f"retrying {request['Method']} {self._shown(request['URL'])}: HTTP {status}")
            self._backoff(attempt, response)
        raise TransportError(f"giving up after {attempts} attempt(s): {last_error}")

    def _shown(self, url: str) -> str:
        return redact(url, self.secrets)

    def _backoff(self, attempt: int, response: dict[str, Any] | None) -> None:
        if response is not None and response["StatusCode"] in (429, 503):
            values = response["Header"].get("Retry-After") or []
            if values and values[0].isdigit():
                self.clock.sleep(float(values[0]))
                return
        self.clock.sleep(min(self.config.wait_max, self.config.wait_min * 2**attempt))

    def _wait_rate_limit(self) -> None:
        if not self.config.rate_limit:
            return
        now = self.clock.now()
        if self._bucket is None:
            self._bucket = _Bucket(
                self.config.rate_limit, self.config.burst, self.config.burst, now
            )
        bucket = self._bucket
        bucket.tokens = min(bucket.burst, bucket.tokens + (now - bucket.updated) * bucket.rate)
        bucket.updated = now
        if bucket.tokens < 1:
            wait = (1 - bucket.tokens) / bucket.rate
            self.clock.sleep(wait)
            bucket.tokens = 1.0
            bucket.updated = self.clock.now()
        bucket.tokens -= 1

    def _once(self, request: dict[str, Any], attempt: int) -> dict[str, Any]:
        url = str(request["URL"])
        method = str(request.get("Method") or "GET")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TransportError(f"unsupported protocol scheme {parts.scheme!r}")
        headers = {k: ", ".join(v) for k, v in (request.get("Header") or {}).items()}
        headers.setdefault("User-Agent", "Elastic-Filebeat-cel (fleetpkg system test)")
        headers.setdefault("Accept-Encoding", "gzip")
        body = request.get("Body") or b""
        if isinstance(body, str):
            body = body.encode()
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        shown = {
            k: [
                REDACTED
                if k.lower() in ("authorization", "x-auth-key")
                else redact(v, self.secrets)
            ]
            for k, v in headers.items()
        }
        entry = TraceEntry(self.clock.now(), method, self._shown(url), None, shown, attempt=attempt)
        self.trace.append(entry)
        started = self.clock.now()
        conn = self._connection(parts.scheme, parts.hostname, parts.port)
        try:
            if conn.sock is None:
                conn.connect()
                cast(socket.socket, conn.sock).setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.request(method, target, body=body or None, headers=headers)
            raw = conn.getresponse()
            data = raw.read()
            status, reason, pairs = raw.status, raw.reason, raw.getheaders()
            if raw.will_close:
                conn.close()
        except (TimeoutError, OSError, http.client.HTTPException) as err:
            conn.close()
            entry.error = f"{type(err).__name__}: {err}"
            raise TransportError(
                "connection reset by peer"
                if isinstance(err, http.client.RemoteDisconnected | ConnectionError)
                else f"{type(err).__name__}"
            ) from None
        if self.clock.now() - started > self.config.timeout:
            entry.error = "timeout"
            raise TransportError(
                "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
            )
        uncompressed = False
        if any(k.lower() == "content-encoding" and v == "gzip" for k, v in pairs):
            data = gzip.decompress(data)
            pairs = [
                (k, v) for k, v in pairs if k.lower() not in ("content-encoding", "content-length")
            ]
            uncompressed = True
        entry.status = status
        entry.body_bytes = len(data)
        response = new_response(request, status, reason, pairs, data)
        if uncompressed:
            response["Uncompressed"] = True
            response["ContentLength"] = -1
        return response
