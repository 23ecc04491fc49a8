"""A deterministic Cloudflare dataset: audit log records (v1 and v2) and Logpull request logs.

Every record is a pure function of (seed, account or zone, hour or minute), generated lazily,
so any period can be replayed and the records a period holds can be listed for the exactly-once
checks of the system tests.
"""

from __future__ import annotations

import functools
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

NS = 1_000_000_000

# Logpull fields Cloudflare currently documents (reference §2.4); ``Bot*``/``JA4Signals``
# need Bot Management on the zone.
BOT_FIELDS = frozenset(
    {"BotDetectionIDs", "BotDetectionTags", "BotScore", "BotScoreSrc", "BotTags", "JA4Signals"}
)
LOGPULL_FIELDS = (
    "BotDetectionIDs",
    "BotDetectionTags",
    "BotScore",
    "BotScoreSrc",
    "BotTags",
    "CacheCacheStatus",
    "CacheReserveUsed",
    "CacheResponseBytes",
    "CacheResponseStatus",
    "CacheTieredFill",
    "ClientASN",
    "ClientCity",
    "ClientCountry",
    "ClientDeviceType",
    "ClientIP",
    "ClientIPClass",
    "ClientLatitude",
    "ClientLongitude",
    "ClientMTLSAuthCertFingerprint",
    "ClientMTLSAuthStatus",
    "ClientRegionCode",
    "ClientRequestBytes",
    "ClientRequestHost",
    "ClientRequestMethod",
    "ClientRequestPath",
    "ClientRequestProtocol",
    "ClientRequestReferer",
    "ClientRequestScheme",
    "ClientRequestSource",
    "ClientRequestURI",
    "ClientRequestUserAgent",
    "ClientSSLCipher",
    "ClientSSLProtocol",
    "ClientSrcPort",
    "ClientTCPRTTMs",
    "ClientXRequestedWith",
    "ContentScanObjResults",
    "ContentScanObjSizes",
    "ContentScanObjTypes",
    "EdgeCFConnectingO2O",
    "EdgeColoCode",
    "EdgeColoID",
    "EdgeEndTimestamp",
    "EdgePathingOp",
    "EdgePathingSrc",
    "EdgePathingStatus",
    "EdgeRequestHost",
    "EdgeResponseBodyBytes",
    "EdgeResponseBytes",
    "EdgeResponseCompressionRatio",
    "EdgeResponseContentType",
    "EdgeResponseStatus",
    "EdgeServerIP",
    "EdgeStartTimestamp",
    "EdgeTimeToFirstByteMs",
    "JA3Hash",
    "JA4",
    "JA4Signals",
    "LeakedCredentialCheckResult",
    "OriginDNSResponseTimeMs",
    "OriginIP",
    "OriginRequestHeaderSendDurationMs",
    "OriginResponseBytes",
    "OriginResponseDurationMs",
    "OriginResponseHTTPExpires",
    "OriginResponseHTTPLastModified",
    "OriginResponseHeaderReceiveDurationMs",
    "OriginResponseStatus",
    "OriginResponseTime",
    "OriginSSLProtocol",
    "OriginTCPHandshakeDurationMs",
    "OriginTLSHandshakeDurationMs",
    "ParentRayID",
    "RayID",
    "SecurityAction",
    "SecurityActions",
    "SecurityRuleDescription",
    "SecurityRuleID",
    "SecurityRuleIDs",
    "SecuritySources",
    "SmartRouteColoID",
    "UpperTierColoID",
    "WAFAttackScore",
    "WAFFlags",
    "WAFMatchedVar",
    "WAFRCEAttackScore",
    "WAFSQLiAttackScore",
    "WAFXSSAttackScore",
    "WorkerCPUTime",
    "WorkerStatus",
    "WorkerSubrequest",
    "WorkerSubrequestCount",
    "WorkerWallTimeUs",
    "ZoneName",
)
DEFAULT_LOGPULL_FIELDS = (
    "ClientIP",
    "ClientRequestHost",
    "ClientRequestMethod",
    "ClientRequestURI",
    "EdgeEndTimestamp",
    "EdgeResponseBytes",
    "EdgeResponseStatus",
    "EdgeStartTimestamp",
    "RayID",
)
TIMESTAMP_FIELDS = ("EdgeStartTimestamp", "EdgeEndTimestamp")

_IPS_V4 = ("192.0.2.", "198.51.100.", "203.0.113.")
_HOSTS = ("www.example.com", "api.example.com", "static.example.com")
_PATHS = ("/", "/login", "/api/v1/items", "/static/app.js", "/wp-cron.php", "/search")
_AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "curl/8.5.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
)
_COLOS = (("AMS", 14), ("FRA", 20), ("IAD", 7), ("SIN", 43))
_AUDIT_ACTIONS = (
    ("login", "user"),
    ("token_create", "token"),
    ("token_roll", "token"),
    ("token_revoke", "token"),
    ("API_key_view", "api_key"),
    ("rotate_API_key", "account"),
    ("purge", "zone"),
    ("rec_add", "DNS_record"),
    ("rec_del", "DNS_record"),
    ("change_setting", "zone"),
    ("tls_settings_deployed", "zone"),
)


def _rng(*key: object) -> random.Random:
    return random.Random(":".join(str(k) for k in key))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _ip(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return f"2001:db8::{rng.randint(1, 0xFFFF):x}"
    return rng.choice(_IPS_V4) + str(rng.randint(1, 254))


def rfc3339(ns: int, micro: bool = False) -> str:
    when = datetime.fromtimestamp(ns // NS, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if micro:
        return f"{when}.{(ns % NS) // 1000:06d}Z"
    return when + "Z"


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit log entry: ``ns`` is its exact time, ``v1``/``v2`` the API shapes."""

    ns: int
    id: str
    v1: dict[str, Any]
    v2: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One Logpull line: ``end_ns`` (EdgeEndTimestamp) is when it reached the log store."""

    end_ns: int
    ray_id: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class Dataset:
    """Deterministic traffic: ``audit_per_hour`` and ``logs_per_minute`` are maxima."""

    seed: int = 1
    audit_per_hour: int = 6
    logs_per_minute: int = 4
    empty_minutes: float = 0.3
    audit_delay: float = 0.0  # at most this many seconds between `when` and visibility

    def audit_visible_ns(self, record: AuditRecord) -> int:
        """When the API starts listing ``record`` (its ``when``, or later with a delay)."""
        if not self.audit_delay:
            return record.ns
        fraction = int(record.id.replace("-", "")[:8], 16) / 0xFFFFFFFF
        return record.ns + int(fraction * self.audit_delay * NS)

    def audit_hour(self, account: str, hour: int) -> tuple[AuditRecord, ...]:
        return _audit_hour(self.seed, self.audit_per_hour, account, hour)

    def audit_between(self, account: str, start_ns: int, end_ns: int) -> list[AuditRecord]:
        """Records with ``start_ns <= ns < end_ns``, oldest first (ties by id)."""
        out: list[AuditRecord] = []
        for hour in range(start_ns // NS // 3600, (end_ns - 1) // NS // 3600 + 1):
            out.extend(r for r in self.audit_hour(account, hour) if start_ns <= r.ns < end_ns)
        return out

    def logs_minute(self, zone: str, minute: int) -> tuple[LogRecord, ...]:
        return _logs_minute(self.seed, self.logs_per_minute, self.empty_minutes, zone, minute)

    def logs_between(self, zone: str, start_ns: int, end_ns: int) -> list[LogRecord]:
        """Lines received in ``[start_ns, end_ns)``, in the order the store holds them."""
        out: list[LogRecord] = []
        for minute in range(start_ns // NS // 60, (end_ns - 1) // NS // 60 + 1):
            out.extend(r for r in self.logs_minute(zone, minute) if start_ns <= r.end_ns < end_ns)
        return out


@functools.lru_cache(maxsize=8192)
def _audit_hour(seed: int, per_hour: int, account: str, hour: int) -> tuple[AuditRecord, ...]:
    rng = _rng(seed, "audit", account, hour)
    times: list[int] = []
    for _ in range(rng.randint(0, per_hour)):
        second = hour * 3600 + rng.randint(0, 3599)
        ns = second * NS + (rng.randint(0, 999_999) * 1000 if rng.random() < 0.4 else 0)
        times.append(ns)
        if rng.random() < 0.25:  # records sharing one timestamp: the cursor boundary case
            times.extend([ns] * rng.randint(1, 2))
    records = [_audit_record(rng, account, ns) for ns in times]
    return tuple(sorted(records, key=lambda r: (r.ns, r.id)))


def _audit_record(rng: random.Random, account: str, ns: int) -> AuditRecord:
    action, resource_type = rng.choice(_AUDIT_ACTIONS)
    system = action == "tls_settings_deployed"
    ident = _uuid(rng)
    user_id = f"{rng.getrandbits(128):032x}"
    email = f"user{rng.randint(1, 9)}@example.com"
    ip = _ip(rng)
    micro = ns % NS != 0
    result = rng.random() < 0.9
    resource_id = f"{rng.getrandbits(128):032x}"
    interface = rng.choice(("", "UI", "API"))
    v1: dict[str, Any] = {
        "id": ident,
        "when": rfc3339(ns, micro),
        "action": {"type": action, "result": result},
        "actor": (
            {"id": "1", "type": "system"}
            if system
            else {"id": user_id, "email": email, "ip": ip, "type": "user"}
        ),
        "interface": interface,
        "metadata": {"zone_name": "example.com"} if resource_type != "account" else {},
        "newValue": "",
        "oldValue": "",
        "owner": {"id": account},
        "resource": {"id": resource_id, "type": resource_type},
    }
    if action == "rotate_API_key":
        v1["action"]["info"] = f"key digest: {rng.getrandbits(64):016x}"
    if action == "rec_add":
        v1["newValueJson"] = {"type": "A", "name": "www.example.com", "content": _ip(rng)}
    if action == "rec_del":
        v1["newValue"] = "null"
        v1["oldValue"] = "null"
        v1["oldValueJson"] = {"type": "A", "name": "old.example.com", "content": _ip(rng)}
    kind = {"add": "create", "del": "delete", "view": "view"}
    action_type = next((v for k, v in kind.items() if k in action.lower()), "update")
    v2: dict[str, Any] = {
        "id": ident,
        "account": {"id": account, "name": "Example account"},
        "action": {
            "description": action.replace("_", " "),
            "result": "success" if result else "failure",
            "time": rfc3339(ns, micro),
            "type": action_type,
        },
        "actor": {
            "id": "1" if system else user_id,
            "context": "dash" if interface == "UI" else "api_token",
            "email": "" if system else email,
            "ip_address": "" if system else ip,
            "token_id": "",
            "token_name": "",
            "type": "system" if system else "user",
        },
        "raw": {
            "cf_ray_id": f"{rng.getrandbits(64):016x}",
            "method": "POST",
            "status_code": 200 if result else 403,
            "uri": f"/accounts/{account}/{resource_type.lower()}",
            "user_agent": _AGENTS[1],
        },
        "resource": {
            "id": resource_id,
            "product": resource_type.lower(),
            "request": {},
            "response": {},
            "scope": "accounts",
            "type": resource_type.lower(),
        },
        "zone": {"id": "", "name": ""},
    }
    return AuditRecord(ns, ident, v1, v2)


@functools.lru_cache(maxsize=65536)
def _logs_minute(
    seed: int, per_minute: int, empty: float, zone: str, minute: int
) -> tuple[LogRecord, ...]:
    rng = _rng(seed, "logpull", zone, minute)
    if rng.random() < empty:
        return ()
    records = [_log_record(rng, zone, minute) for _ in range(rng.randint(1, per_minute))]
    rng.shuffle(records)  # Logpull results are not sorted
    return tuple(records)


def _log_record(rng: random.Random, zone: str, minute: int) -> LogRecord:
    end_ns = minute * 60 * NS + rng.randint(0, 60 * NS - 1)
    start_ns = end_ns - rng.randint(1_000_000, 2 * NS)
    ray = f"{rng.getrandbits(64):016x}"
    colo, colo_id = rng.choice(_COLOS)
    host = rng.choice(_HOSTS)
    path = rng.choice(_PATHS)
    query = f"?q={rng.randint(1, 99)}" if rng.random() < 0.3 else ""
    tls = rng.random() < 0.85
    status = rng.choice((200, 200, 200, 301, 304, 403, 404, 500))
    blocked = status == 403
    bytes_out = rng.randint(200, 60_000)
    origin = rng.random() < 0.6
    fields: dict[str, Any] = {
        "BotDetectionIDs": [rng.randint(1, 9999)] if rng.random() < 0.3 else [],
        "BotDetectionTags": ["api"] if rng.random() < 0.2 else [],
        "BotScore": rng.randint(1, 99),
        "BotScoreSrc": rng.choice(("Machine Learning", "Heuristics", "Verified Bot")),
        "BotTags": [],
        "CacheCacheStatus": rng.choice(("hit", "miss", "dynamic", "unknown")),
        "CacheReserveUsed": False,
        "CacheResponseBytes": bytes_out if origin else 0,
        "CacheResponseStatus": status if origin else 0,
        "CacheTieredFill": rng.random() < 0.1,
        "ClientASN": rng.choice((64496, 64500, 64511)),
        "ClientCity": rng.choice(("Amsterdam", "Frankfurt", "Ashburn")),
        "ClientCountry": rng.choice(("nl", "de", "us")),
        "ClientDeviceType": rng.choice(("desktop", "mobile", "tablet")),
        "ClientIP": _ip(rng),
        "ClientIPClass": rng.choice(("noRecord", "searchEngine", "unknown")),
        "ClientLatitude": f"{rng.uniform(-60, 60):.4f}",
        "ClientLongitude": f"{rng.uniform(-120, 120):.4f}",
        "ClientMTLSAuthCertFingerprint": "",
        "ClientMTLSAuthStatus": "unknown",
        "ClientRegionCode": rng.choice(("NH", "HE", "VA")),
        "ClientRequestBytes": rng.randint(100, 4000),
        "ClientRequestHost": host,
        "ClientRequestMethod": rng.choice(("GET", "GET", "POST", "HEAD")),
        "ClientRequestPath": path,
        "ClientRequestProtocol": rng.choice(("HTTP/1.1", "HTTP/2", "HTTP/3")),
        "ClientRequestReferer": f"https://{host}/" if rng.random() < 0.5 else "",
        "ClientRequestScheme": "https" if tls else "http",
        "ClientRequestSource": "eyeball",
        "ClientRequestURI": path + query,
        "ClientRequestUserAgent": rng.choice(_AGENTS),
        "ClientSSLCipher": "ECDHE-ECDSA-AES128-GCM-SHA256" if tls else "NONE",
        "ClientSSLProtocol": rng.choice(("TLSv1.2", "TLSv1.3")) if tls else "none",
        "ClientSrcPort": rng.randint(1024, 65535),
        "ClientTCPRTTMs": rng.randint(1, 300),
        "ClientXRequestedWith": "",
        "ContentScanObjResults": [],
        "ContentScanObjSizes": [],
        "ContentScanObjTypes": [],
        "EdgeCFConnectingO2O": False,
        "EdgeColoCode": colo,
        "EdgeColoID": colo_id,
        "EdgeEndTimestamp": end_ns,
        "EdgePathingOp": "ban" if blocked else "wl",
        "EdgePathingSrc": "filter_based_firewall" if blocked else "macro",
        "EdgePathingStatus": "nr",
        "EdgeRequestHost": host,
        "EdgeResponseBodyBytes": bytes_out - 300,
        "EdgeResponseBytes": bytes_out,
        "EdgeResponseCompressionRatio": round(rng.uniform(1.0, 3.0), 2),
        "EdgeResponseContentType": rng.choice(("text/html", "application/json")),
        "EdgeResponseStatus": status,
        "EdgeServerIP": _ip(rng) if origin else "",
        "EdgeStartTimestamp": start_ns,
        "EdgeTimeToFirstByteMs": rng.randint(1, 900),
        "JA3Hash": f"{rng.getrandbits(128):032x}",
        "JA4": "t13d1516h2_8daaf6152771_e5627efa2ab1",
        "JA4Signals": {},
        "LeakedCredentialCheckResult": "clean",
        "OriginDNSResponseTimeMs": rng.randint(0, 50) if origin else 0,
        "OriginIP": _ip(rng) if origin else "",
        "OriginRequestHeaderSendDurationMs": 0,
        "OriginResponseBytes": 0,
        "OriginResponseDurationMs": rng.randint(1, 2000) if origin else 0,
        "OriginResponseHTTPExpires": "",
        "OriginResponseHTTPLastModified": "Tue, 01 Oct 2024 10:00:00 GMT" if origin else "",
        "OriginResponseHeaderReceiveDurationMs": rng.randint(0, 900) if origin else 0,
        "OriginResponseStatus": status if origin else 0,
        "OriginResponseTime": rng.randint(1, 2000) * 1_000_000 if origin else 0,
        "OriginSSLProtocol": "TLSv1.3" if origin else "unknown",
        "OriginTCPHandshakeDurationMs": rng.randint(0, 40) if origin else 0,
        "OriginTLSHandshakeDurationMs": rng.randint(0, 80) if origin else 0,
        "ParentRayID": "00",
        "RayID": ray,
        "SecurityAction": "block" if blocked else "",
        "SecurityActions": ["block"] if blocked else [],
        "SecurityRuleDescription": "Block bad bots" if blocked else "",
        "SecurityRuleID": f"{rng.getrandbits(64):016x}" if blocked else "",
        "SecurityRuleIDs": [f"{rng.getrandbits(64):016x}"] if blocked else [],
        "SecuritySources": ["firewallCustom"] if blocked else [],
        "SmartRouteColoID": 0,
        "UpperTierColoID": 0,
        "WAFAttackScore": rng.randint(1, 99),
        "WAFFlags": "0",
        "WAFMatchedVar": "",
        "WAFRCEAttackScore": rng.randint(1, 99),
        "WAFSQLiAttackScore": rng.randint(1, 99),
        "WAFXSSAttackScore": rng.randint(1, 99),
        "WorkerCPUTime": 0,
        "WorkerStatus": "unknown",
        "WorkerSubrequest": False,
        "WorkerSubrequestCount": 0,
        "WorkerWallTimeUs": 0,
        "ZoneName": "example.com",
    }
    return LogRecord(end_ns, ray, fields)
