"""``fleetpkg install`` / ``uninstall`` against the fake Kibana: request shapes and failures."""

from __future__ import annotations

import base64
import io
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from fakestack import API_KEY, FAST, PASSWORD, READONLY_KEY, USER, FakeStack

ROOT = Path(__file__).resolve().parents[2]
SRC = ["--source", str(ROOT)]
EPM = "/api/fleet/epm/packages"


def _version() -> str:
    import yaml

    return str(yaml.safe_load((ROOT / "package" / "manifest.yml").read_text())["version"])


def test_install_uploads_the_zip_with_fleet_headers(stack: FakeStack, cli, api_key_env) -> None:
    code, out, err = cli("install", "--kibana", stack.url, *api_key_env, *SRC)
    assert (code, err) == (0, "")
    [upload] = stack.seen("POST", EPM)
    assert upload.headers["content-type"] == "application/zip"
    assert upload.headers["kbn-xsrf"]
    assert upload.headers["elastic-api-version"] == "2023-10-31"
    assert upload.headers["authorization"] == f"ApiKey {API_KEY}"
    names = zipfile.ZipFile(io.BytesIO(upload.body)).namelist()
    assert f"cloudflare-{_version()}/manifest.yml" in names
    assert all(n.startswith(f"cloudflare-{_version()}/") for n in names)
    assert out.splitlines()[0] == f"installed cloudflare {_version()}: 6 asset(s)"
    assert f"ingest_pipeline     logs-cloudflare.logpull-{_version()}" in out
    assert API_KEY not in out + err


def test_install_with_basic_auth(stack: FakeStack, cli, monkeypatch) -> None:
    monkeypatch.setenv("FLEETPKG_TEST_PW", PASSWORD)
    code, _, err = cli(
        "install",
        "--kibana",
        stack.url,
        "--username",
        USER,
        "--password-env",
        "FLEETPKG_TEST_PW",
        *SRC,
        *FAST,
    )
    assert (code, err) == (0, "")
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert stack.seen("POST", EPM)[0].headers["authorization"] == f"Basic {token}"


def test_password_from_a_file(stack: FakeStack, cli, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    code, _, _ = cli(
        "install",
        "--kibana",
        stack.url,
        "--username",
        USER,
        "--password-file",
        str(secret),
        *SRC,
        *FAST,
    )
    assert code == 0


def test_already_installed_is_409_and_force_reinstalls(stack: FakeStack, cli, api_key_env) -> None:
    assert cli("install", "--kibana", stack.url, *api_key_env, *SRC)[0] == 0
    code, out, err = cli("install", "--kibana", stack.url, *api_key_env, *SRC)
    assert code == 1
    assert "already installed (409 Conflict); use --force" in err
    assert len(stack.seen("POST", EPM)) == 2  # a 409 is not retried
    code, out, _ = cli("install", "--kibana", stack.url, *api_key_env, *SRC, "--force")
    assert code == 0
    [delete] = stack.seen("DELETE", EPM)
    assert delete.path == f"{EPM}/cloudflare/{_version()}"
    assert delete.query == {"force": ["true"]}
    assert out.startswith("installed cloudflare")


def test_old_kibana_without_upload_api(stack: FakeStack, cli, api_key_env) -> None:
    stack.fleet_upload = False
    code, _, err = cli("install", "--kibana", stack.url, *api_key_env, *SRC)
    assert code == 1
    assert "needs Kibana ≥ 8.7" in err


def test_newer_version_installed_is_a_version_conflict(stack: FakeStack, cli, api_key_env) -> None:
    stack.state.packages["cloudflare"] = {"version": "99.0.0", "assets": [], "title": "Cloudflare"}
    code, _, err = cli("install", "--kibana", stack.url, *api_key_env, *SRC)
    assert code == 1
    assert "version conflict" in err
    assert "out-of-date" in err


def test_wrong_key_is_401_without_retries(stack: FakeStack, cli, monkeypatch) -> None:
    monkeypatch.setenv("WRONG_KEY", "not-the-key-123456")
    code, out, err = cli("install", "--kibana", stack.url, "--api-key", "WRONG_KEY", *SRC, *FAST)
    assert code == 1
    assert "rejected the credentials (401 Unauthorized)" in err
    assert "not-the-key-123456" not in out + err
    assert len(stack.seen("POST", EPM)) == 1


def test_missing_privileges_is_403(stack: FakeStack, cli, monkeypatch) -> None:
    monkeypatch.setenv("RO_KEY", READONLY_KEY)
    code, _, err = cli("install", "--kibana", stack.url, "--api-key", "RO_KEY", *SRC, *FAST)
    assert code == 1
    assert "(403 Forbidden)" in err
    assert "privilege" in err
    assert READONLY_KEY not in err


def test_server_error_then_success_is_retried(stack: FakeStack, cli, api_key_env) -> None:
    stack.fail("POST", EPM, 500, times=1)
    stack.fail("POST", EPM, 503, times=1)
    code, out, _ = cli("install", "--kibana", stack.url, *api_key_env, *SRC)
    assert code == 0
    assert len(stack.seen("POST", EPM)) == 3
    assert out.startswith("installed")


def test_persistent_server_error_gives_up(stack: FakeStack, cli, api_key_env) -> None:
    stack.fail("POST", EPM, 500, times=10, body={"message": "kaboom"})
    code, _, err = cli("install", "--kibana", stack.url, *api_key_env, *SRC)
    assert code == 1
    assert "API status code = 500; response body = kaboom" in err
    assert len(stack.seen("POST", EPM)) == 3  # 1 + --retries 2


def test_timeout(stack: FakeStack, cli, api_key_env) -> None:
    stack.fail("POST", EPM, 0, times=1, delay=1.0)
    args = [*api_key_env, "--timeout", "0.2", "--retries", "0"]
    code, _, err = cli("install", "--kibana", stack.url, *args, *SRC)
    assert code == 1
    assert "did not answer within 0.2 s (timeout)" in err


def test_connection_refused(closed_port: int, cli, api_key_env) -> None:
    code, _, err = cli("install", "--kibana", f"http://127.0.0.1:{closed_port}", *api_key_env, *SRC)
    assert code == 1
    assert "connection refused" in err
    assert err.splitlines()[1:] == ["1 problem(s)"]  # one line and the count


def test_https_to_a_plain_http_port_is_a_tls_error(stack: FakeStack, cli, api_key_env) -> None:
    url = stack.url.replace("http://", "https://")
    code, _, err = cli("install", "--kibana", url, *api_key_env, *SRC)
    assert code == 1
    assert "TLS handshake" in err
    assert "is it really https" in err
    assert stack.seen("POST", EPM) == []


def test_uninstall(stack: FakeStack, cli, api_key_env) -> None:
    cli("install", "--kibana", stack.url, *api_key_env, *SRC)
    code, out, _ = cli("uninstall", "--kibana", stack.url, *api_key_env, *SRC)
    assert code == 0
    assert out.startswith(f"uninstalled cloudflare {_version()}: 6 asset(s)")
    assert "cloudflare" not in stack.state.packages
    code, _, err = cli("uninstall", "--kibana", stack.url, *api_key_env, *SRC)
    assert code == 1
    assert "is not installed (404)" in err


def test_uninstall_refused_while_policies_use_it(stack: FakeStack, cli, api_key_env) -> None:
    cli("install", "--kibana", stack.url, *api_key_env, *SRC)
    stack.state.package_policies.append({"name": "p", "package": {"name": "cloudflare"}})
    code, _, err = cli("uninstall", "--kibana", stack.url, *api_key_env, *SRC)
    assert code == 1
    assert "package policies still use it" in err


def test_bad_zip_layout_is_rejected_before_upload(stack: FakeStack, cli, api_key_env, tmp_path):
    bad = tmp_path / "cloudflare-0.1.0.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("manifest.yml", "name: cloudflare\nversion: 0.1.0\n")
    code, _, err = cli("install", "--kibana", stack.url, *api_key_env, "--zip", str(bad))
    assert code == 1
    assert "not a package zip" in err
    assert stack.seen("POST", EPM) == []


def test_fake_kibana_checks_xsrf_and_zip(stack: FakeStack) -> None:
    """The fake server really validates what the client must send."""
    headers = {"Authorization": f"ApiKey {API_KEY}", "Content-Type": "application/zip"}
    request = urllib.request.Request(stack.url + EPM, b"PK", headers, method="POST")
    with pytest.raises(urllib.error.HTTPError) as no_xsrf:
        urllib.request.urlopen(request, timeout=5)
    assert no_xsrf.value.code == 400
    assert b"kbn-xsrf" in no_xsrf.value.read()
    request = urllib.request.Request(
        stack.url + EPM, b"not a zip", {**headers, "kbn-xsrf": "x"}, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(request, timeout=5)
    assert bad.value.code == 400


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--api-key", "c2VjcmV0LWtleS12YWx1ZS1wYXN0ZWQtaGVyZQ=="], "takes the NAME"),
        (["--api-key", "FLEETPKG_NOT_SET_ANYWHERE"], "FLEETPKG_NOT_SET_ANYWHERE"),
        (["--username", "elastic"], "--password-env"),
        (["--password-env", "X"], "need --username"),
    ],
)
def test_credential_usage_errors(stack: FakeStack, cli, argv: list[str], message: str) -> None:
    code, out, err = cli("install", "--kibana", stack.url, *argv, *SRC)
    assert code == 2
    assert message in err
    assert "c2VjcmV0LWtleS12YWx1ZS1wYXN0ZWQtaGVyZQ==" not in out + err
    assert stack.requests == []


def test_credentials_in_the_url_are_refused(stack: FakeStack, cli) -> None:
    url = stack.url.replace("http://", "http://elastic:hunter2hunter2@")
    code, out, err = cli("install", "--kibana", url, *SRC)
    assert code == 2
    assert "must not contain credentials" in err
    assert "hunter2hunter2" not in out + err
