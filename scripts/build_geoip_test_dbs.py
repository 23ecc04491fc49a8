#!/usr/bin/env python3
"""Build the GeoIP test databases of fleetpkg/geoip_data/ from their JSON sources.

Usage: python scripts/build_geoip_test_dbs.py [--check] [--source DIR] [--out DIR]

Needs the ``geoip-build`` extra (``pip install -e '.[geoip-build]'``: the pinned mmdb-writer).
Nothing else ever runs this: builds, checks and pipeline tests read the committed ``.mmdb`` files.
``--check`` writes nothing and exits 1 when a committed file is not what the sources give.

Each source ``GeoLite2-<Kind>.json`` holds ``database_type``, ``description``, ``languages``,
``build_epoch`` (fixed, so the output is byte-for-byte reproducible), ``records`` (name →
record) and ``networks`` (``[CIDR, record name]`` pairs; a later network overrides an earlier
one it overlaps). The database is written the way elastic-package's ``tools/geoipdatabases``
writes its stack's databases with Go's mmdbwriter: an IPv6 tree with IPv4 networks under
``::/96`` and IPv4 aliases (``::ffff:0:0/96``, ``2001::/32``, ``2002::/16``), integers typed by
field name, and sibling networks with equal records merged, so that a lookup reports the same
network (``as.network``) as Elasticsearch does on elastic-package's stack.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "fleetpkg" / "geoip_data"
SOURCE_DIR = DATA_DIR / "source"
SOURCE_KEYS = frozenset(
    {"database_type", "description", "languages", "build_epoch", "records", "networks"}
)
# Integer and float fields of MaxMind's GeoIP2/GeoLite2 records, typed as MaxMind types them
# (and as elastic-package's tools/geoipdatabases does); any other number is an error.
UINT16_KEYS = frozenset({"accuracy_radius", "confidence", "metro_code"})
UINT32_KEYS = frozenset(
    {
        "autonomous_system_number",
        "average_income",
        "geoname_id",
        "ipv4_24",
        "ipv4_32",
        "ipv6_32",
        "ipv6_48",
        "ipv6_64",
        "population_density",
    }
)
DOUBLE_KEYS = frozenset({"ip_risk", "latitude", "longitude", "score", "static_ip_score"})
IPV4_ALIASES = ("::ffff:0:0/96", "2001::/32", "2002::/16")
IPV4_DEPTH = 96


class SourceError(Exception):
    """A source file that cannot be built; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Source:
    """One database's JSON source, checked."""

    path: Path
    database_type: str
    description: str
    languages: tuple[str, ...]
    build_epoch: int
    records: Mapping[str, Any]
    networks: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...]

    @property
    def file_name(self) -> str:
        return f"{self.database_type}.mmdb"


def load_source(path: Path) -> Source:
    """Read and check one ``GeoLite2-<Kind>.json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or set(data) != SOURCE_KEYS:
        raise SourceError(f"{path}: expected an object with exactly {sorted(SOURCE_KEYS)}")
    database_type = data["database_type"]
    if database_type != path.stem:
        raise SourceError(f"{path}: database_type {database_type!r} is not the file name")
    records = data["records"]
    if not isinstance(records, dict) or not all(isinstance(r, dict) for r in records.values()):
        raise SourceError(f"{path}: records must map names to objects")
    networks: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str]] = []
    for entry in data["networks"]:
        if not (isinstance(entry, list) and len(entry) == 2 and entry[1] in records):
            raise SourceError(f"{path}: bad network entry {entry!r} (want [CIDR, record name])")
        try:
            network = ipaddress.ip_network(entry[0])
        except ValueError as exc:
            raise SourceError(f"{path}: {exc}") from None
        networks.append((network, entry[1]))
    unused = sorted(set(records) - {name for _, name in networks})
    if unused:
        raise SourceError(f"{path}: records no network uses: {', '.join(unused)}")
    return Source(
        path,
        database_type,
        str(data["description"]),
        tuple(data["languages"]),
        int(data["build_epoch"]),
        records,
        tuple(networks),
    )


def load_sources(source_dir: Path = SOURCE_DIR) -> list[Source]:
    sources = [load_source(p) for p in sorted(source_dir.glob("*.json"))]
    if not sources:
        raise SourceError(f"{source_dir}: no *.json sources")
    return sources


class _Typer:
    """JSON values → mmdb-writer values, typed by field name; equal values are one object, so
    the writer's data cache shares them and equal records are recognisably equal."""

    def __init__(self, path: Path) -> None:
        import mmdb_writer

        self.mmdb = mmdb_writer
        self.path = path
        self._scalars: dict[tuple[str, Any], Any] = {}
        self._records: dict[str, Any] = {}

    def record(self, value: dict[str, Any]) -> Any:
        key = json.dumps(value, sort_keys=True)
        if key not in self._records:
            self._records[key] = self.value("", value)
        return self._records[key]

    def value(self, key: str, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.value(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(key, v) for v in value]
        if isinstance(value, bool | str):
            return value
        if isinstance(value, int | float):
            return self._number(key, value)
        raise SourceError(f"{self.path}: unsupported value for {key!r}: {value!r}")

    def _number(self, key: str, value: int | float) -> Any:
        mmdb = self.mmdb
        kind: type[Any]
        if key in DOUBLE_KEYS:
            kind, value = mmdb.MmdbF64, float(value)
        elif key in UINT16_KEYS and isinstance(value, int):
            kind = mmdb.MmdbU16
        elif key in UINT32_KEYS and isinstance(value, int):
            kind = mmdb.MmdbU32
        else:
            raise SourceError(f"{self.path}: no MaxMind type known for {key!r}: {value!r}")
        memo = (kind.__name__, value)
        if memo not in self._scalars:
            self._scalars[memo] = kind(value)
        return self._scalars[memo]


def _merge_equal_siblings(node: Any) -> Any:
    """Replace every node whose two halves hold the same record by that record (bottom-up),
    as Go's mmdbwriter does on insert: a lookup then reports the widest such network."""
    from mmdb_writer import SearchTreeLeaf, SearchTreeNode

    if not isinstance(node, SearchTreeNode):
        return node
    node.left = _merge_equal_siblings(node.left)
    node.right = _merge_equal_siblings(node.right)
    left, right = node.left, node.right
    if (
        isinstance(left, SearchTreeLeaf)
        and isinstance(right, SearchTreeLeaf)
        and left.value is right.value
    ):
        return left
    return node


def _bits(network: ipaddress.IPv6Network) -> list[int]:
    value = int(network.network_address)
    return [(value >> (127 - i)) & 1 for i in range(network.prefixlen)]


def _add_ipv4_aliases(root: Any) -> None:
    """Point the IPv4-mapped, Teredo and 6to4 ranges at the IPv4 subtree (``::/96``)."""
    from mmdb_writer import SearchTreeNode

    ipv4: Any = root
    for _ in range(IPV4_DEPTH):
        ipv4 = ipv4.left
        if not isinstance(ipv4, SearchTreeNode):
            raise SourceError("an IPv6 network covers ::/96: there is no IPv4 subtree to alias")
    for alias in IPV4_ALIASES:
        bits = _bits(ipaddress.IPv6Network(alias))
        node: Any = root
        for bit in bits[:-1]:
            child = node[bit]
            if child is None:
                child = node[bit] = SearchTreeNode()
            elif not isinstance(child, SearchTreeNode):
                raise SourceError(f"a network covers the IPv4 alias {alias}")
            node = child
        if node[bits[-1]] is not None:
            raise SourceError(f"a network lies inside the IPv4 alias {alias}")
        node[bits[-1]] = ipv4


def build_database(source: Source) -> bytes:
    """The ``.mmdb`` bytes of one source."""
    from mmdb_writer import MMDBWriter, TreeWriter
    from netaddr import IPSet

    typer = _Typer(source.path)
    writer = MMDBWriter(
        ip_version=6,
        database_type=source.database_type,
        languages=list(source.languages),
        description=dict.fromkeys(source.languages, source.description),
        ipv4_compatible=True,
    )
    for network, name in source.networks:
        writer.insert_network(IPSet([str(network)]), typer.record(source.records[name]))
    tree = writer.tree
    tree.left = _merge_equal_siblings(tree.left)
    tree.right = _merge_equal_siblings(tree.right)
    _add_ipv4_aliases(tree)
    meta = {
        "ip_version": 6,
        "database_type": source.database_type,
        "languages": list(source.languages),
        "binary_format_major_version": 2,
        "binary_format_minor_version": 0,
        "description": dict.fromkeys(source.languages, source.description),
        "build_epoch": source.build_epoch,
    }
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / source.file_name
        TreeWriter(tree, meta).write(str(target))
        verify(target, source)
        return target.read_bytes()


def verify(path: Path, source: Source) -> None:
    """Read the database back: each network answers with the last source record covering it."""
    import maxminddb

    with maxminddb.open_database(str(path), maxminddb.MODE_MEMORY) as reader:
        for index, (network, name) in enumerate(source.networks):
            winner = name
            for later, later_name in source.networks[index + 1 :]:
                if network.network_address in later:
                    winner = later_name
            for address in (network.network_address, network.broadcast_address):
                found = reader.get(address)
                if found != _plain(source.records[winner]):
                    raise SourceError(f"{source.path}: {address} reads back as {found!r}")


def _plain(value: Any) -> Any:
    """A source record as maxminddb returns it (latitude/longitude always floats)."""
    if isinstance(value, dict):
        return {k: float(v) if k in DOUBLE_KEYS else _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def build_all(source_dir: Path = SOURCE_DIR) -> dict[str, bytes]:
    """File name → bytes of every database the sources in ``source_dir`` give."""
    return {s.file_name: build_database(s) for s in load_sources(source_dir)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=SOURCE_DIR, help="JSON sources")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="where the .mmdb files go")
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    try:
        import mmdb_writer  # noqa: F401
    except ImportError:
        print("error: mmdb-writer is missing: pip install -e '.[geoip-build]'", file=sys.stderr)
        return 2
    try:
        built = build_all(args.source)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stale = False
    for name, data in built.items():
        target: Path = args.out / name
        if target.is_file() and target.read_bytes() == data:
            continue
        stale = True
        if args.check:
            print(f"differs: {target} (the sources give {len(data)} bytes)")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"wrote: {target} ({len(data)} bytes)")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
