"""The Cloudflare package's mock service (``_dev/deploy/docker/cloudflare_mock``), loaded
through the service interface as fleetpkg loads it, with its names for the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fleetpkg.system.discovery import find_service
from fleetpkg.system.service import load_module

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = find_service(ROOT)
mock: Any = load_module(MANIFEST.module)

ACCOUNT: str = mock.ACCOUNT
ZONE: str = mock.ZONE
EMAIL: str = mock.EMAIL
KEY: str = mock.KEY
TOKEN: str = mock.TOKEN
NS: int = mock.NS
CloudflareSimulator: Any = mock.CloudflareSimulator
Credentials: Any = mock.Credentials
Dataset: Any = mock.Dataset
Limits: Any = mock.Limits
LOGPULL_MAX_AGE: int = mock.LOGPULL_MAX_AGE
STREAM_ERROR: bytes = mock.STREAM_ERROR
iter_served: Any = mock.iter_served


def audit_vars(**extra: Any) -> dict[str, Any]:
    """The data stream vars the audit scenarios of the package use."""
    return {"account_id": ACCOUNT, "per_page": 5, "initial_interval": "24h", **extra}


def logpull_vars(**extra: Any) -> dict[str, Any]:
    return {"zone_id": ZONE, **extra}


def stream_vars(data_stream: str, **extra: Any) -> dict[str, Any]:
    return audit_vars(**extra) if data_stream == "audit" else logpull_vars(**extra)
