"""Load stage, GeoIP part: the databases' directory and the networks counted as test IPs."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import maxminddb

# Test databases are tiny; a production database would take long to enumerate and is skipped.
MAX_NODES = 200_000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
GEOIP_ENV = "FLEETPKG_GEOIP_DIR"
TEST_SUFFIX = "-Test.mmdb"


def es_named_dir(folder: Path) -> Path:
    """A directory where MaxMind's ``GeoLite2-*-Test.mmdb`` files carry the names ES looks up.

    ES's test clusters install the test databases as ``GeoLite2-City.mmdb`` and so on; when
    ``folder`` only has the ``-Test`` files, they are copied once into ``folder/es``.
    """
    tests = sorted(folder.glob("*" + TEST_SUFFIX))
    if not tests or all(
        (folder / (p.name[: -len(TEST_SUFFIX)] + ".mmdb")).is_file() for p in tests
    ):
        return folder
    named = folder / "es"
    named.mkdir(parents=True, exist_ok=True)
    for path in tests:
        target = named / (path.name[: -len(TEST_SUFFIX)] + ".mmdb")
        data = path.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    return named


def resolve_geoip_dir(given: str | None) -> str | None:
    """``--geoip-dir``, else ``$FLEETPKG_GEOIP_DIR``, with test databases under ES's names."""
    chosen = given or os.environ.get(GEOIP_ENV)
    if not chosen or not Path(chosen).is_dir():
        return chosen
    return str(es_named_dir(Path(chosen)))


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
