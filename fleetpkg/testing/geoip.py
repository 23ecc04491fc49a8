"""Load stage, GeoIP part: the shipped test databases, ``--geoip-dir`` and the test IPs.

The geoip processor finds a pipeline's ``database_file`` in one directory (file names are
handled in one place, ``fleetpkg.ingest.processors.enrich_geoip.find_database``). By default
that is ``DEFAULT_GEOIP_DIR``: the GeoLite2 ASN/City/Country test databases that
elastic-package's stack installs (MaxMind's test records plus the documentation ranges), built
by ``scripts/build_geoip_test_dbs.py`` from ``fleetpkg/geoip_data/source/*.json``. Nothing is
downloaded.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import maxminddb

from fleetpkg.geoip_data import GEOIP_TEST_DIR

DEFAULT_GEOIP_DIR: Path = GEOIP_TEST_DIR
UNAVAILABLE_TAG = "_geoip_database_unavailable_"  # ES tags documents so when a database is missing

# Test databases are tiny; a production database would take long to enumerate and is skipped.
MAX_NODES = 200_000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def geoip_dir_path(given: str | os.PathLike[str] | None) -> Path:
    """The GeoIP databases to use: ``given`` (``--geoip-dir``), else the shipped ones."""
    if given is None or not str(given):
        return DEFAULT_GEOIP_DIR
    return Path(given)


def geoip_networks(geoip_dir: str | os.PathLike[str] | None) -> tuple[Network, ...]:
    """Every network of the (small, test) ``*.mmdb`` databases in ``geoip_dir``."""
    if not geoip_dir:
        return ()
    files = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(Path(geoip_dir).glob("*.mmdb")))
    return _networks(files)


@lru_cache(maxsize=16)
def _networks(files: tuple[tuple[str, int], ...]) -> tuple[Network, ...]:
    networks: list[Network] = []
    for path, _ in files:
        try:
            with maxminddb.open_database(path) as reader:
                if reader.metadata().node_count > MAX_NODES:
                    continue
                networks.extend(network for network, _ in reader)
        except (OSError, ValueError, maxminddb.InvalidDatabaseError):
            continue
    return tuple(networks)


def allowed_networks(geoip_dir: str | os.PathLike[str] | None) -> tuple[Network, ...]:
    """Networks whose IPs count as test IPs: the shipped databases' (like elastic-package's fixed
    list, whatever ``--geoip-dir`` holds) and those of the databases in ``geoip_dir``."""
    shipped = geoip_networks(DEFAULT_GEOIP_DIR)
    given = geoip_dir_path(geoip_dir)
    if given.resolve() == DEFAULT_GEOIP_DIR:
        return shipped
    return shipped + geoip_networks(given)


def missing_databases(docs: Iterable[Any], geoip_dir: str | os.PathLike[str] | None) -> list[str]:
    """A note for each database a geoip processor did not find (the documents it tagged
    ``_geoip_database_unavailable_<file>``), in the order the documents name them."""
    names: dict[str, None] = {}
    for doc in docs:
        tags = doc.get("tags") if isinstance(doc, dict) else None
        for tag in tags if isinstance(tags, list) else [tags]:
            if isinstance(tag, str) and tag.startswith(UNAVAILABLE_TAG):
                names[tag.removeprefix(UNAVAILABLE_TAG)] = None
    where = geoip_dir_path(geoip_dir)
    return [
        f"no GeoIP database for {name} in {where} (the geoip processor tagged the documents "
        f"{UNAVAILABLE_TAG}{name})"
        for name in names
    ]
