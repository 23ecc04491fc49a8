"""Shared pieces of the generated Cloudflare records: time units, RFC 3339, seeded randomness."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

NS = 1_000_000_000

_IPS_V4 = ("192.0.2.", "198.51.100.", "203.0.113.")
_AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "curl/8.5.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
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
