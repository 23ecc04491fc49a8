"""The geoip processor: MaxMind mmdb lookups with ES's properties, defaults and tagging."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import maxminddb

from ..document import IngestDocument
from ..errors import illegal_argument
from .base import Config, Processor
from .enrich_geoip_data import DATABASES, PROPERTY_ORDER, database_kind, extract
from .network_util import parse_ip

LOOKUP_CACHE_SIZE = 1000  # ES's default ingest.geoip.cache_size
TEST_SUFFIX = "-Test.mmdb"


def find_database(directory: Path | None, name: str) -> Path | None:
    """The file of ``database_file`` ``name`` in ``directory``: the one place for file names.

    ``name`` is what a pipeline asks for (ES's names: ``GeoLite2-City.mmdb``…). A missing
    production-named file falls back to MaxMind's test database beside it
    (``GeoLite2-City-Test.mmdb``, the name in MaxMind-DB's test-data and ES's own tests), so a
    directory of either kind works. No directory, a name with a path separator or no such file:
    None (the processor then tags documents ``_geoip_database_unavailable_<name>``, as ES does).
    """
    if directory is None or "/" in name or "\\" in name:
        return None
    path = directory / name
    if path.is_file():
        return path
    if name.endswith(".mmdb") and not name.endswith(TEST_SUFFIX):
        test = directory / (name.removesuffix(".mmdb") + TEST_SUFFIX)
        if test.is_file():
            return test
    return None


@lru_cache(maxsize=32)
def _open(path: str, mtime_ns: int) -> maxminddb.Reader:
    return maxminddb.open_database(path, maxminddb.MODE_MEMORY)


def open_database(path: Path) -> maxminddb.Reader:
    """An mmdb reader, shared while the file is unchanged."""
    return _open(str(path), path.stat().st_mtime_ns)


class GeoIp(Processor):
    type = "geoip"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.string("field")
        self.target = cfg.string("target_field", "geoip")
        self.database_file = cfg.string("database_file", "GeoLite2-City.mmdb")
        names = cfg.string_list("properties", None)
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self.first_only = cfg.boolean("first_only", True)
        cfg.boolean("download_database_on_pipeline_creation", True)
        cfg.take("fallback_to_default_databases", None)
        path = find_database(cfg.compiler.geoip_dir, self.database_file)
        self.reader = open_database(path) if path is not None else None
        # ES keeps recent lookups in its GeoIpCache; records are only read, never changed
        self._records: Any = None
        if self.reader is not None:
            self._records = lru_cache(LOOKUP_CACHE_SIZE)(self.reader.get_with_prefix_len)
        self.properties: tuple[str, ...] = ()
        if self.reader is not None:
            self.properties = self._properties(cfg, names)

    def _properties(self, cfg: Config, names: list[str] | None) -> tuple[str, ...]:
        assert self.reader is not None
        database_type = self.reader.metadata().database_type
        kind = database_kind(database_type)
        if kind is None:
            raise cfg.error(
                "database_file",
                f"Unsupported database type [{database_type}] for file [{self.database_file}]",
            )
        valid, defaults = DATABASES[kind]
        if names is None:
            return defaults
        chosen = set()
        for name in names:
            upper = name.upper()
            if upper not in valid:
                listed = ", ".join(p for p in PROPERTY_ORDER if p in valid)
                raise cfg.error(
                    "properties", f"illegal property value [{name}]. valid values are [{listed}]"
                )
            chosen.add(upper)
        return tuple(p for p in PROPERTY_ORDER if p in chosen)

    def run(self, doc: IngestDocument) -> None:
        if self.reader is None:
            doc.append("tags", f"_geoip_database_unavailable_{self.database_file}")
            return
        value = doc.get(self.field, ignore_missing=self.ignore_missing)
        if value is None:
            if self.ignore_missing:
                return
            raise illegal_argument(
                f"field [{self.field}] is null, cannot extract geoip information."
            )
        if isinstance(value, str):
            data = self.lookup(value)
            if data:
                doc.set(self.target, data)
        elif isinstance(value, list):
            self._run_list(doc, value)
        else:
            raise illegal_argument(
                f"field [{self.field}] should contain only string or array of strings"
            )

    def _run_list(self, doc: IngestDocument, values: list[Any]) -> None:
        results: list[dict[str, Any] | None] = []
        for value in values:
            if not isinstance(value, str):
                raise illegal_argument(f"array in field [{self.field}] should only contain strings")
            data = self.lookup(value)
            if not data:
                results.append(None)
                continue
            if self.first_only:
                doc.set(self.target, data)
                return
            results.append(data)
        if any(r is not None for r in results):
            doc.set(self.target, results)

    def lookup(self, text: str) -> dict[str, Any]:
        """Geo data for one address ({} when the database has no record)."""
        assert self._records is not None
        ip = parse_ip(text)
        try:
            record, prefix = self._records(ip)
        except ValueError as exc:
            raise illegal_argument(f"Error looking up {ip}. {exc}") from None
        if not isinstance(record, dict):
            return {}
        return extract(record, self.properties, ip, prefix)
