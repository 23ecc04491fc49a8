"""The shipped GeoIP test databases: what scripts/build_geoip_test_dbs.py writes from the JSON."""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import maxminddb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GEOIP_DIR = ROOT / "fleetpkg" / "geoip_data"
SCRIPT = ROOT / "scripts" / "build_geoip_test_dbs.py"
SOURCE = DEFAULT_GEOIP_DIR / "source"
KINDS = ("ASN", "City", "Country")


def build_script() -> ModuleType:
    pytest.importorskip(
        "mmdb_writer",
        reason="the geoip-build extra (mmdb-writer) is not installed: "
        "pip install -e '.[geoip-build]' to check the committed .mmdb files",
    )
    spec = importlib.util.spec_from_file_location("build_geoip_test_dbs", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


def source(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SOURCE / f"GeoLite2-{kind}.json").read_text("utf-8"))
    return data


def test_committed_databases_are_what_the_sources_give() -> None:
    built = build_script().build_all(SOURCE)
    assert sorted(built) == [f"GeoLite2-{k}.mmdb" for k in KINDS]
    for name, data in built.items():
        assert (DEFAULT_GEOIP_DIR / name).read_bytes() == data, (
            f"{name} is stale: run python scripts/build_geoip_test_dbs.py"
        )


def test_the_build_is_deterministic(tmp_path: Path) -> None:
    script = build_script()
    first = script.build_all(SOURCE)
    assert script.main(["--source", str(SOURCE), "--out", str(tmp_path)]) == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first
    assert script.main(["--source", str(SOURCE), "--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "GeoLite2-ASN.mmdb").write_bytes(b"stale")
    assert script.main(["--source", str(SOURCE), "--out", str(tmp_path), "--check"]) == 1
    assert (tmp_path / "GeoLite2-ASN.mmdb").read_bytes() == b"stale"


def test_a_bad_source_is_reported(tmp_path: Path) -> None:
    script = build_script()
    bad = source("ASN")
    bad["networks"].append(["192.0.2.0/24", "no such record"])
    (tmp_path / "GeoLite2-ASN.json").write_text(json.dumps(bad), "utf-8")
    with pytest.raises(script.SourceError, match="bad network entry"):
        script.build_all(tmp_path)


@pytest.mark.parametrize("kind", KINDS)
def test_metadata_like_the_real_databases(kind: str) -> None:
    path = DEFAULT_GEOIP_DIR / f"GeoLite2-{kind}.mmdb"
    with maxminddb.open_database(str(path)) as reader:
        meta = reader.metadata()
        assert meta.database_type == f"GeoLite2-{kind}"
        assert meta.ip_version == 6
        assert meta.languages == ["en"]
        assert meta.binary_format_major_version == 2
        assert meta.build_epoch == source(kind)["build_epoch"]
        assert meta.description == {"en": source(kind)["description"]}
    assert path.stat().st_size < 32_000


@pytest.mark.parametrize("kind", KINDS)
def test_every_network_answers_with_its_source_record(kind: str) -> None:
    data = source(kind)
    networks = [(ipaddress.ip_network(n), name) for n, name in data["networks"]]
    with maxminddb.open_database(str(DEFAULT_GEOIP_DIR / f"GeoLite2-{kind}.mmdb")) as reader:
        for index, (network, name) in enumerate(networks):
            if any(network.network_address in later for later, _ in networks[index + 1 :]):
                continue  # overridden by a later entry
            record = reader.get(network.network_address)
            assert record == data["records"][name], (str(network), name)


def test_documentation_ranges_are_in_every_database() -> None:
    for kind in KINDS:
        cidrs = [n for n, _ in source(kind)["networks"]]
        for doc in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"):
            assert doc in cidrs, (kind, doc)
        assert "3fff::/20" in cidrs


def test_package_data_ships_the_databases_and_notice() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    assert "*.mmdb" in patterns
    assert "*.json" in patterns
    assert "NOTICE*" in patterns
    notice = (DEFAULT_GEOIP_DIR / "NOTICE").read_text("utf-8")
    assert "MaxMind" in notice
    assert "Apache License, Version 2.0" in notice
    assert "elastic-package" in notice
    extra = config["project"]["optional-dependencies"]["geoip-build"]
    assert extra == ["mmdb-writer==0.2.7"]
    assert not any("mmdb" in d for d in config["project"]["dependencies"])
