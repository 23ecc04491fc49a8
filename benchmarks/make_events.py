"""Write deterministic Cloudflare-logpull-like events (NDJSON, one JSON text in ``message``)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "curl/8.4.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
]
IPS = ["89.160.20.156", "81.2.69.142", "2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6", "10.1.2.3"]


def event(rng: random.Random, i: int) -> dict[str, object]:
    start = 1_700_000_000_000_000_000 + i * 1_234_567_891
    return {
        "RayID": f"{rng.getrandbits(64):016x}",
        "EdgeStartTimestamp": start,
        "EdgeEndTimestamp": start + rng.randint(1_000_000, 900_000_000),
        "ClientIP": rng.choice(IPS),
        "ClientSrcPort": rng.randint(1024, 65535),
        "ClientCountry": rng.choice(["se", "gb", "us", "no"]),
        "ClientASN": rng.choice([29518, 15169, 13335]),
        "ClientRequestHost": rng.choice(["www.example.com", "api.example.co.uk"]),
        "ClientRequestMethod": rng.choice(["GET", "POST", "PUT"]),
        "ClientRequestURI": f"/path/{i}/item.json?q={rng.randint(0, 99)}&page=2",
        "ClientRequestProtocol": rng.choice(["HTTP/1.1", "HTTP/2", "HTTP/3"]),
        "ClientRequestBytes": rng.randint(200, 5000),
        "ClientRequestReferer": "https://www.example.com/start",
        "ClientRequestUserAgent": rng.choice(AGENTS),
        "ClientSSLProtocol": rng.choice(["TLSv1.3", "TLSv1.2", "none"]),
        "ClientSSLCipher": "AEAD-AES128-GCM-SHA256",
        "EdgeResponseStatus": rng.choice([200, 200, 200, 304, 403, 404, 502]),
        "EdgeResponseBytes": rng.randint(500, 90000),
        "EdgeResponseContentType": "application/json",
        "EdgeColoCode": rng.choice(["ARN", "LHR", "OSL"]),
        "EdgeServerIP": "172.70.1.2",
        "OriginIP": "192.0.2.10",
        "OriginResponseStatus": 200,
        "OriginResponseDurationMs": rng.randint(1, 900),
        "CacheCacheStatus": rng.choice(["hit", "miss", "dynamic"]),
        "CacheResponseBytes": rng.randint(0, 90000),
        "SecurityAction": rng.choice(["", "block", "managedChallenge", "skip"]),
        "SecurityRuleID": rng.choice(["", "a1b2c3"]),
        "WAFAttackScore": rng.randint(1, 99),
        "BotScore": rng.randint(1, 99),
        "JA3Hash": f"{rng.getrandbits(128):032x}",
        "ZoneName": "example.com",
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rng = random.Random(7)
    out = Path(__file__).with_name("logpull-events.ndjson")
    with out.open("w", encoding="utf-8") as fh:
        for i in range(count):
            fh.write(json.dumps({"message": json.dumps(event(rng, i))}) + "\n")


if __name__ == "__main__":
    main()
