"""A Cloudflare API simulator: audit logs v1 and v2 and Logpull, with the real rules.

:class:`CloudflareSimulator` answers requests (``handle``) from a deterministic
:class:`~.dataset.Dataset` on a shared clock and records every request with the rules it
broke. It is a ``fleetpkg.system.service.Service``: fleetpkg serves it over HTTP and asks it
which records it held (``held``, in :mod:`.delivery`).
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from fleetpkg.system.service import REDACTED, Clock, Fault, Held, Request, RequestRecord, Response

from . import delivery
from .access import _Window, authenticate, find_fault, rate_limit
from .api import (
    ACCOUNT,
    ACCOUNT_READ,
    API,
    LOGS_READ,
    SECRET_HEADERS,
    TOKEN,
    ZONE,
    ApiError,
    Credentials,
    Limits,
    envelope,
    error_body,
)
from .audit import audit_v1, audit_v2
from .audit_records import AuditRecord
from .dataset import Dataset
from .logpull import fields_of, logpull
from .logpull_records import LogRecord
from .records import NS

BAD_KEY = "f" * 37
BAD_TOKEN = "X" * 40

_AUDIT_V1 = re.compile(rf"^{API}/accounts/([^/]+)/audit_logs/?$")
_AUDIT_V2 = re.compile(rf"^{API}/accounts/([^/]+)/logs/audit/?$")
_LOGPULL = re.compile(rf"^{API}/zones/([^/]+)/logs/received/?$")
_LOGPULL_FIELDS = re.compile(rf"^{API}/zones/([^/]+)/logs/received/fields/?$")
_VERIFY = re.compile(rf"^{API}/user/tokens/verify/?$")


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
        self.accepted = credentials or Credentials()
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

    # -- the service interface (besides ``handle`` and ``requests``) -------------------------

    def credentials(self, mode: str) -> dict[str, Any]:
        """Stream vars: ``default``/``key`` (Global API key), ``token``, ``bad-key``,
        ``bad-token`` (the bad ones are refused)."""
        creds = self.accepted
        known = {
            "default": {"auth_email": creds.email, "auth_key": creds.key},
            "key": {"auth_email": creds.email, "auth_key": creds.key},
            "token": {"auth_token": next(iter(creds.tokens), TOKEN)},
            "bad-key": {"auth_email": creds.email, "auth_key": BAD_KEY},
            "bad-token": {"auth_token": BAD_TOKEN},
        }
        if mode not in known:
            raise ValueError(f"unknown auth mode {mode!r} (known: {', '.join(known)})")
        return dict(known[mode])

    def secrets(self) -> tuple[str, ...]:
        return (*self.accepted.secrets(), BAD_KEY, BAD_TOKEN)

    def record_key(self, data_stream: str, event: Mapping[str, Any]) -> str:
        return delivery.record_key(data_stream, event)

    def held(self, data_stream: str, expect_until: float, until: float) -> Held:
        return delivery.held(self, data_stream, expect_until, until)

    def describe(self) -> list[str]:
        creds = self.accepted
        return [
            f"  account_id {self.accounts[0]}  zone_id {self.zones[0]}",
            f"  test credentials: auth_email {creds.email}, auth_key {creds.key}, "
            f"auth_token {next(iter(creds.tokens), '')}",
        ]

    # -- request handling --------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        method, path, query = request.method, request.path, request.query
        headers = request.headers
        lowered = {k.lower(): v for k, v in headers.items()}
        shown = {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}
        endpoint = _endpoint(path)
        with self._lock:
            record = RequestRecord(
                self.clock.now(), method, path, query, shown, endpoint or "unknown"
            )
            self.requests.append(record)
            if endpoint:
                self._counts[endpoint] += 1
            nth = self._counts[endpoint] if endpoint else 0
        try:
            response = self._handle(record, method, path, query, lowered, endpoint, nth)
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
        principal, scopes = authenticate(self.accepted, headers)
        rate_limit(self, record, endpoint, path, principal)
        fault = find_fault(self.faults, endpoint, nth)
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
                return audit_v1(self, record, account, query)
            return audit_v2(self, record, account, query)
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
            names = {n: f"{n} (simulated)" for n in fields_of(self, zone)}
            return Response(200, json.dumps(names).encode(), {"Content-Type": "application/json"})
        return logpull(self, record, zone, query, fault)


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


def iter_served(requests: list[RequestRecord], endpoint: str) -> Iterator[str]:
    for req in requests:
        if req.endpoint == endpoint and req.status == 200:
            yield from req.served
