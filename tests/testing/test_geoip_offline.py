"""No network in a build or a pipeline test: GeoIP comes from the shipped databases."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fleetpkg.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every socket connection, name lookup and child process fails (and is recorded)."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise OSError(f"network and child processes are blocked in this test ({what})")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(subprocess, "Popen", refuse("subprocess.Popen"))
    monkeypatch.setattr(os, "system", refuse("os.system"))
    return attempts


def test_the_blocking_works(offline: list[str]) -> None:
    with pytest.raises(OSError, match="blocked"):
        subprocess.run(["true"], check=False)
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("127.0.0.1", 9))
    assert len(offline) == 2


def test_test_pipeline_with_geoip_runs_offline(
    offline: list[str], fixtures: Path, tmp_path: Path
) -> None:
    package = tmp_path / "geoip_stack"
    shutil.copytree(fixtures / "geoip_stack", package)
    report = tmp_path / "report.json"
    args = ["test", "pipeline", "--package", str(package), "--report-format", "json"]
    assert main([*args, "--report-output", str(report)]) == 0
    result = json.loads(report.read_text("utf-8"))
    assert result["summary"]["pass"] == 1
    expected = package / "data_stream/conn/_dev/test/pipeline/test-geoip.log-expected.json"
    expected.unlink()
    assert main(["test", "pipeline", "--package", str(package), "--generate"]) == 0
    docs = json.loads(expected.read_text("utf-8"))["expected"]
    assert docs[0]["source"]["geo"]["city_name"] == "Las Vegas"
    assert docs[0]["source"]["geo"]["region_iso_code"] == "US-NV"
    assert docs[0]["source"]["as"] == {
        "number": 64500,
        "organization": {"name": "Documentation ASN"},
    }
    assert docs[1]["destination"]["geo"]["country_iso_code"] == "GB"  # 2001:db8::1
    assert docs[3]["source"]["geo"]["city_name"] == "Linköping"
    assert docs[3]["source"]["as"]["organization"] == {"name": "Bredband2 AB"}
    assert docs[4]["source"]["geo"]["country_name"] == "Bhutan"
    assert offline == []


def test_build_generates_sample_events_offline(offline: list[str]) -> None:
    from fleetpkg.load import load_package
    from fleetpkg.render import render
    from fleetpkg.resolve import validate

    files = render(validate(load_package(ROOT)))
    sample = json.loads(files["data_stream/logpull/sample_event.json"])
    assert sample["source"]["geo"]["city_name"] == "Linköping"
    assert sample["source"]["as"]["organization"]["name"] == "Bredband2 AB"
    assert offline == []
