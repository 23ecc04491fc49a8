"""Fixtures of the live-path tests: the fake stack, a closed port, fast retries."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakestack import FAST, FakeStack

from fleetpkg.cli import main as fleetpkg_main
from fleetpkg.live import install

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def built_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Cloudflare package zip, built from the sources into a temporary folder."""
    out = tmp_path_factory.mktemp("built")
    code = fleetpkg_main(
        ["build", "--source", str(ROOT), "--out", str(out / "package"), "--zip-dir", str(out)]
    )
    assert code == 0
    (zip_path,) = out.glob("*.zip")
    return zip_path


@pytest.fixture(autouse=True)
def _zip_of_the_sources(built_zip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands without --zip upload the freshly built zip, not ROOT/build (absent in CI)."""
    original = install.default_zip

    def default_zip(source: Path) -> Path:
        return built_zip if source.resolve() == ROOT else original(source)

    monkeypatch.setattr(install, "default_zip", default_zip)


@pytest.fixture
def stack() -> Iterator[FakeStack]:
    fake = FakeStack().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on (bound, then released): connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def api_key_env(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``--api-key FLEETPKG_TEST_KEY`` with the fake stack's key in that variable, fast retries."""
    from fakestack import API_KEY

    monkeypatch.setenv("FLEETPKG_TEST_KEY", API_KEY)
    return ["--api-key", "FLEETPKG_TEST_KEY", *FAST]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``fleetpkg ARGS…``; returns (exit code, stdout, stderr)."""
    from fleetpkg.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exit:  # a usage error: usage and message, exit 2
            code = int(exit.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (made with the openssl command)."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.fixture
def tls_stack(certificate: tuple[str, str]) -> Iterator[FakeStack]:
    fake = FakeStack(tls=certificate).start()
    try:
        yield fake
    finally:
        fake.stop()
