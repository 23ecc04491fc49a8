"""Processors of the enrich family: fingerprint, geoip, user_agent."""

from __future__ import annotations

from .base import Factory
from .enrich_fingerprint import Fingerprint
from .enrich_geoip import GeoIp
from .enrich_useragent import UserAgent

FACTORIES: dict[str, Factory] = {
    "fingerprint": Fingerprint,
    "user_agent": UserAgent,
    "geoip": GeoIp,
}
