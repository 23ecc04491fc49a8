"""Load stage, GeoIP part: networks of the test GeoIP databases count as allowed test IPs."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import maxminddb

# Test databases are tiny; a production database would take long to enumerate and is skipped.
MAX_NODES = 200_000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def geoip_networks(geoip_dir: str | None) -> tuple[Network, ...]:
    """Every network of the (small, test) ``*.mmdb`` databases in ``geoip_dir``."""
    if not geoip_dir:
        return ()
    networks: list[Network] = []
    for path in sorted(Path(geoip_dir).glob("*.mmdb")):
        try:
            with maxminddb.open_database(str(path)) as reader:
                if reader.metadata().node_count > MAX_NODES:
                    continue
                networks.extend(network for network, _ in reader)
        except (OSError, ValueError, maxminddb.InvalidDatabaseError):
            continue
    return tuple(networks)
