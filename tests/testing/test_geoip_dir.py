"""--geoip-dir: an existing directory (argparse type), else the shipped test databases."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from fleetpkg.geoip_data import geoip_dir_arg
from fleetpkg.testing.geoip import DEFAULT_GEOIP_DIR, geoip_dir_path


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fleetpkg test pipeline")
    parser.add_argument("--geoip-dir", type=geoip_dir_arg, metavar="DIR")
    return parser


def test_an_existing_directory_is_taken(tmp_path: Path) -> None:
    assert geoip_dir_arg(str(tmp_path)) == tmp_path
    assert parser().parse_args(["--geoip-dir", str(tmp_path)]).geoip_dir == tmp_path
    assert parser().parse_args([]).geoip_dir is None


def test_a_missing_directory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(argparse.ArgumentTypeError, match="does not exist"):
        geoip_dir_arg(str(missing))
    with pytest.raises(SystemExit) as info:
        parser().parse_args(["--geoip-dir", str(missing)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: fleetpkg test pipeline")
    assert f"argument --geoip-dir: GeoIP database directory '{missing}' does not exist" in err


def test_a_file_is_not_a_directory(tmp_path: Path) -> None:
    file = tmp_path / "GeoLite2-City.mmdb"
    file.write_bytes(b"")
    with pytest.raises(argparse.ArgumentTypeError, match="is not a directory"):
        geoip_dir_arg(str(file))


def test_default_is_the_shipped_databases_never_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEETPKG_GEOIP_DIR", str(tmp_path))
    assert geoip_dir_path(None) == DEFAULT_GEOIP_DIR
    assert geoip_dir_path("") == DEFAULT_GEOIP_DIR
    assert geoip_dir_path(tmp_path) == tmp_path
    for kind in ("City", "Country", "ASN"):
        assert (DEFAULT_GEOIP_DIR / f"GeoLite2-{kind}.mmdb").is_file()
