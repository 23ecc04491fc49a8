"""Generated Logpull records and the Logpull field lists, one minute at a time."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import Any

from .records import _AGENTS, NS, _ip, _rng

# Logpull fields Cloudflare currently documents (reference §2.4); ``Bot*``/``JA4Signals``
# need Bot Management on the zone.
BOT_FIELDS = frozenset(
    {
        "BotDetectionIDs",
        "BotDetectionTags",
        "BotScore",
        "BotScoreSrc",
        "BotTags",
        "JA4Signals",
        "JSDetectionPassed",
    }
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
    "FraudAttack",
    "FraudDetectionIDs",
    "FraudDetectionTags",
    "FraudEmailRisk",
    "FraudUserID",
    "JA3Hash",
    "JA4",
    "JA4Signals",
    "JSDetectionPassed",
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
    "PayPerCrawlStatus",
    "RayID",
    "SecurityAction",
    "SecurityActions",
    "SecurityRuleDescription",
    "SecurityRuleID",
    "SecurityRuleIDs",
    "SecuritySources",
    "SmartRouteColoID",
    "UpperTierColoID",
    "VerifiedBotCategory",
    "WAFAttackScore",
    "WAFFlags",
    "WAFMatchedVar",
    "WAFRCEAttackScore",
    "WAFSQLiAttackScore",
    "WAFXSSAttackScore",
    "WebAssetsLabelsManaged",
    "WebAssetsOperationID",
    "WorkerCPUTime",
    "WorkerScriptName",
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

_HOSTS = ("www.example.com", "api.example.com", "static.example.com")
_PATHS = ("/", "/login", "/api/v1/items", "/static/app.js", "/wp-cron.php", "/search")
_COLOS = (("AMS", 14), ("FRA", 20), ("IAD", 7), ("SIN", 43))


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One Logpull line: ``end_ns`` (EdgeEndTimestamp) is when it reached the log store."""

    end_ns: int
    ray_id: str
    fields: dict[str, Any]


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
        "FraudAttack": "",
        "FraudDetectionIDs": [],
        "FraudDetectionTags": [],
        "FraudEmailRisk": "",
        "FraudUserID": "",
        "JA4Signals": {},
        "JSDetectionPassed": "missing",
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
        "PayPerCrawlStatus": "",
        "RayID": ray,
        "SecurityAction": "block" if blocked else "",
        "SecurityActions": ["block"] if blocked else [],
        "SecurityRuleDescription": "Block bad bots" if blocked else "",
        "SecurityRuleID": f"{rng.getrandbits(64):016x}" if blocked else "",
        "SecurityRuleIDs": [f"{rng.getrandbits(64):016x}"] if blocked else [],
        "SecuritySources": ["firewallCustom"] if blocked else [],
        "SmartRouteColoID": 0,
        "UpperTierColoID": 0,
        "VerifiedBotCategory": "Search Engine Crawler" if ray[-1] in "01" else "",
        "WAFAttackScore": rng.randint(1, 99),
        "WAFFlags": "0",
        "WAFMatchedVar": "",
        "WAFRCEAttackScore": rng.randint(1, 99),
        "WAFSQLiAttackScore": rng.randint(1, 99),
        "WAFXSSAttackScore": rng.randint(1, 99),
        "WebAssetsLabelsManaged": ["cf-log-in"] if path == "/login" else [],
        "WebAssetsOperationID": "",
        "WorkerCPUTime": 0,
        "WorkerScriptName": "",
        "WorkerStatus": "unknown",
        "WorkerSubrequest": False,
        "WorkerSubrequestCount": 0,
        "WorkerWallTimeUs": 0,
        "ZoneName": "example.com",
    }
    return LogRecord(end_ns, ray, fields)
