"""The Cloudflare package's mock service: audit logs v1/v2 and Logpull with the real rules.

``create(config)`` is the factory ``fleetpkg-service.yml`` names; fleetpkg calls it once per
system test scenario (and for ``fleetpkg collect --simulator`` / ``fleetpkg service serve``).
It imports nothing from fleetpkg but the service interface, ``fleetpkg.system.service``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from fleetpkg.system.service import Fault, ServiceConfig

from .api import ACCOUNT, EMAIL, KEY, TOKEN, ZONE, ApiError, Credentials, Limits, parse_time
from .audit import AUDIT_V2_RETENTION
from .dataset import Dataset
from .logpull import LOGPULL_MAX_AGE, LOGPULL_MAX_WINDOW, LOGPULL_MIN_DELAY, STREAM_ERROR
from .records import NS
from .simulator import CloudflareSimulator, iter_served

__all__ = [
    "ACCOUNT",
    "AUDIT_V2_RETENTION",
    "EMAIL",
    "FAULT_KINDS",
    "KEY",
    "LOGPULL_MAX_AGE",
    "LOGPULL_MAX_WINDOW",
    "LOGPULL_MIN_DELAY",
    "NS",
    "STREAM_ERROR",
    "TOKEN",
    "ZONE",
    "ApiError",
    "CloudflareSimulator",
    "Credentials",
    "Dataset",
    "Fault",
    "Limits",
    "create",
    "iter_served",
    "parse_time",
]

FAULT_KINDS = ("status", "slow", "reset", "trailer")
_TRAFFIC = ("audit_per_hour", "logs_per_minute", "empty_minutes", "audit_delay")


def create(config: ServiceConfig) -> CloudflareSimulator:
    """A simulator for one run: ``traffic`` sets the dataset's rates (``audit_per_hour``,
    ``logs_per_minute``, ``empty_minutes``, ``audit_delay``), ``limits`` the rate limits
    (``logpull_per_zone``, ``logpull_per_user``, ``global_per_user``)."""
    unknown = sorted(set(config.traffic) - set(_TRAFFIC))
    if unknown:
        raise ValueError(f"unknown traffic setting(s): {', '.join(unknown)}")
    known_limits = {f.name for f in fields(Limits)}
    unknown = sorted(set(config.limits) - known_limits)
    if unknown:
        raise ValueError(f"unknown limit(s): {', '.join(unknown)} (known: {sorted(known_limits)})")
    bad = sorted({f.kind for f in config.faults} - set(FAULT_KINDS))
    if bad:
        raise ValueError(f"unknown fault kind(s): {', '.join(bad)}")
    traffic: dict[str, Any] = dict(config.traffic)
    accounts, zones, credentials = _accepted(config.accept)
    return CloudflareSimulator(
        config.clock,
        Dataset(seed=config.seed, **traffic),
        accounts=accounts,
        zones=zones,
        credentials=credentials,
        limits=Limits(**{k: tuple(v) for k, v in config.limits.items()}),  # type: ignore[arg-type]
        faults=config.faults,
    )


def _accepted(
    policy: Mapping[str, Any] | None,
) -> tuple[tuple[str, ...], tuple[str, ...], Credentials]:
    """The account, zone and credentials of ``fleetpkg collect``'s vars, else the defaults."""
    if policy is None:
        return (ACCOUNT,), (ZONE,), Credentials()
    stream = (policy.get("data_stream") or {}).get("vars") or {}
    creds = Credentials()
    if stream.get("auth_email") and stream.get("auth_key"):
        creds = Credentials(email=str(stream["auth_email"]), key=str(stream["auth_key"]))
    if stream.get("auth_token"):
        tokens = {**creds.tokens, str(stream["auth_token"]): frozenset(Credentials().tokens[TOKEN])}
        creds = Credentials(email=creds.email, key=creds.key, tokens=tokens)
    account = str(stream.get("account_id") or ACCOUNT)
    zone = str(stream.get("zone_id") or ZONE)
    return (account,), (zone,), creds
