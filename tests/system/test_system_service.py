"""The service interface: loading a mock by path, the manifest, the stand-alone server."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cfmock import ACCOUNT, EMAIL, KEY, MANIFEST, ROOT

from fleetpkg.errors import FleetpkgError
from fleetpkg.system import service
from fleetpkg.system.discovery import find_service, read_manifest
from fleetpkg.system.service import Fault, Request, VirtualClock, load_module

SYSTEM = ROOT / "fleetpkg" / "system"


def test_a_mock_is_loaded_by_path_under_a_unique_name(tmp_path: Path) -> None:
    path_before = list(sys.path)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    for name in ("one", "two"):
        (tmp_path / name / "mock.py").write_text(f"NAME = {name!r}\n")
    one = load_module(tmp_path / "one" / "mock.py")
    two = load_module(tmp_path / "two" / "mock.py")
    assert (one.NAME, two.NAME) == ("one", "two")
    assert one.__name__ != two.__name__
    assert one.__name__.startswith("_fleetpkg_service_")
    assert load_module(tmp_path / "one" / "mock.py") is one
    assert sys.path == path_before
    assert "mock" not in sys.modules


def test_a_broken_mock_is_a_located_problem(tmp_path: Path) -> None:
    folder = tmp_path / "_dev" / "deploy" / "docker"
    folder.mkdir(parents=True)
    (folder / "mock.py").write_text("raise RuntimeError('boom')\n")
    (folder / "fleetpkg-service.yml").write_text("service: x\nmodule: mock.py\n")
    manifest = find_service(tmp_path)
    with pytest.raises(FleetpkgError, match=r"fleetpkg-service.yml: cannot load the mock service: "
                       r"RuntimeError: boom"):  # fmt: skip
        manifest.load()
    assert not [m for m in sys.modules if m.startswith("_fleetpkg_service_") and "boom" in m]


def test_manifest_problems_have_positions(tmp_path: Path) -> None:
    path = tmp_path / "fleetpkg-service.yml"
    path.write_text("service: x\nmodule: nowhere.py\nfactroy: create\n")
    with pytest.raises(FleetpkgError) as caught:
        read_manifest(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3:1: unknown key 'factroy' (known: service, module, factory, url_var)"
    ]
    path.write_text("service: x\nmodule: nowhere.py\n")
    with pytest.raises(FleetpkgError, match=r":2:9: module 'nowhere.py' does not exist"):
        read_manifest(path)
    with pytest.raises(FleetpkgError, match="no mock service"):
        find_service(tmp_path)


def test_request_helpers() -> None:
    request = Request("GET", "/a/b?x=1&y=&x=2", {"X-Thing": "v"})
    assert request.path == "/a/b"
    assert request.query == {"x": "2", "y": ""}
    assert request.header("x-thing") == "v"
    assert request.header("missing") is None


def test_the_cloudflare_mock_implements_the_protocol() -> None:
    mock = MANIFEST.load()(service.ServiceConfig(VirtualClock(1_795_000_000.0)))
    checked: service.Service = mock
    assert checked.credentials("default") == {"auth_email": EMAIL, "auth_key": KEY}
    assert KEY in checked.secrets()
    with pytest.raises(ValueError, match="unknown auth mode"):
        checked.credentials("nope")
    with pytest.raises(ValueError, match="unknown traffic"):
        MANIFEST.load()(service.ServiceConfig(VirtualClock(0.0), traffic={"nope": 1}))
    faults = (Fault("boom", "*", frozenset({1})),)
    with pytest.raises(ValueError, match="unknown fault kind"):
        MANIFEST.load()(service.ServiceConfig(VirtualClock(0.0), faults=faults))


def test_the_mock_runs_on_the_standard_library_alone(tmp_path: Path) -> None:
    """As in the docker-compose service: only the interface files, no site-packages."""
    interface = tmp_path / "fleetpkg" / "system"
    interface.mkdir(parents=True)
    for name in ("service.py", "httpserver.py"):
        shutil.copy(SYSTEM / name, interface / name)
    mock = tmp_path / "cloudflare_mock"
    shutil.copytree(MANIFEST.module, mock, ignore=shutil.ignore_patterns("__pycache__"))
    argv = [sys.executable, "-S", "-m", "fleetpkg.system.service", str(mock), "--host",
            "127.0.0.1", "--port", "0"]  # fmt: skip
    env = {"PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1", "PATH": os.defpath}
    process = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("mock service on http://127.0.0.1:"), first
        port = int(first.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"X-Auth-Email": EMAIL, "X-Auth-Key": KEY}
        conn.request("GET", f"/client/v4/accounts/{ACCOUNT}/audit_logs?per_page=1", headers=headers)
        response = conn.getresponse()
        assert response.status == 200
        assert b'"success":true' in response.read()
        conn.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_compose_file_runs_the_same_server() -> None:
    folder = ROOT / "_dev" / "deploy" / "docker"
    compose = yaml.safe_load((folder / "docker-compose.yml").read_text())
    (name, svc) = next(iter(compose["services"].items()))
    assert name == MANIFEST.service
    assert svc["image"] == "python:3.11-slim"
    assert svc["command"][:3] == ["python", "-m", "fleetpkg.system.service"]
    for volume in svc["volumes"]:
        source = re.sub(r"\$\{FLEETPKG_SYSTEM:-([^}]*)\}", r"\1", volume).split(":")[0]
        assert (folder / source).exists(), volume
