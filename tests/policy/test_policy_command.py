"""`fleetpkg policy render|request|test` end to end; no secret value in any output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from fleetpkg.cli import main

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "package"
TOKEN = "cli-secret-token-0000000000000000000000"
KEY = "cli-secret-key-'quoted'-000000000000000"
ACCOUNT = "0123456789abcdef0123456789abcdef"


def write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "vars.yml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_render_yaml_redacts_secrets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vars_file = write(
        tmp_path, {"data_stream": {"vars": {"account_id": ACCOUNT, "auth_token": TOKEN}}}
    )
    code, out, err = run(
        capsys, "policy", "render", "--package", str(PACKAGE), "--data-stream", "audit",
        "--vars", str(vars_file),
    )  # fmt: skip
    assert code == 0, err
    policy = yaml.safe_load(out)
    stream = policy["inputs"][0]["streams"][0]
    assert policy["inputs"][0]["type"] == "cel"
    assert stream["data_stream"]["dataset"] == "cloudflare.audit"
    assert stream["state"]["auth_token"] == "<redacted>"
    assert stream["redact"]["fields"] == ["auth_token", "auth_key"]
    assert TOKEN not in out + err


def test_render_json_and_show_secrets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stream_vars = {"zone_id": ACCOUNT, "auth_email": "a@example.com", "auth_key": KEY}
    vars_file = write(tmp_path, {"data_stream": {"vars": stream_vars}})
    base = ["policy", "render", "--package", str(PACKAGE), "--data-stream", "logpull"]
    code, out, _ = run(capsys, *base, "--vars", str(vars_file), "--json")
    assert code == 0
    state = json.loads(out)["inputs"][0]["streams"][0]["state"]
    assert state["auth_key"] == "<redacted>"
    assert KEY not in out
    code, out, _ = run(capsys, *base, "--vars", str(vars_file), "--show-secrets")
    assert code == 0
    assert yaml.safe_load(out)["inputs"][0]["streams"][0]["state"]["auth_key"] == KEY


def test_bad_vars_list_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stream_vars = {
        "auth_token": TOKEN,
        "auth_key": KEY,
        "interval": "1d",
        "fields": ["Nope", "Nope"],
    }
    vars_file = write(tmp_path, {"data_stream": {"vars": stream_vars}})
    code, out, err = run(
        capsys, "policy", "render", "--package", str(PACKAGE), "--data-stream", "logpull",
        "--vars", str(vars_file),
    )  # fmt: skip
    assert code == 1
    assert out == ""
    assert "'Zone ID' is required" in err
    assert "configure exactly one of" in err
    assert "'1d' is not a duration" in err
    assert "'Nope' is listed more than once" in err  # an unknown field is only a warning
    assert "is not one of the default values" not in err
    assert "4 problem(s)" in err
    assert TOKEN not in err
    assert KEY not in err


def test_request_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    processors = [{"drop_fields": {"fields": ["x"]}}]
    stream_vars = {"account_id": ACCOUNT, "auth_token": TOKEN, "processors": processors}
    doc = {
        "vars": {"proxy_url": "http://proxy.example.com:3128"},
        "data_stream": {"vars": stream_vars},
    }
    code, out, err = run(
        capsys, "policy", "request", "--package", str(PACKAGE), "--data-stream", "audit",
        "--vars", str(write(tmp_path, doc)), "--policy-id", "p-1",
    )  # fmt: skip
    assert code == 0, err
    body = json.loads(out)
    assert body["policy_id"] == "p-1"
    assert body["package"]["name"] == "cloudflare"
    cel = body["inputs"]["cloudflare-cel"]
    assert cel["vars"] == {"proxy_url": "http://proxy.example.com:3128"}
    assert cel["streams"]["cloudflare.logpull"] == {"enabled": False}
    audit = cel["streams"]["cloudflare.audit"]
    assert audit["enabled"] is True
    assert audit["vars"]["auth_token"] == "<redacted>"
    assert yaml.safe_load(audit["vars"]["processors"]) == [{"drop_fields": {"fields": ["x"]}}]
    assert TOKEN not in out


def test_policy_test_command_passes_and_detects_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "policy", "test", "--package", str(PACKAGE), "--source", str(ROOT))
    assert code == 0, out
    assert "6 policy test(s), 0 failed" in out
    assert "fake-" not in out
    source = tmp_path / "src"
    folder = source / "data_stream" / "audit" / "_dev" / "test" / "policy"
    shutil.copytree(ROOT / "data_stream" / "audit" / "_dev" / "test" / "policy", folder)
    expected = folder / "test-token-v1.expected"
    expected.write_text(expected.read_text().replace("interval: 5m", "interval: 7m"))
    code, out, _ = run(
        capsys, "test", "policy", "--package", str(PACKAGE), "--source", str(source),
        "--data-stream", "audit",
    )  # fmt: skip
    assert code == 1
    assert "policy audit/test-token-v1.yml: FAIL" in out
    assert "differs from test-token-v1.expected" in out


def test_unknown_data_stream(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "policy", "render", "--package", str(PACKAGE), "--data-stream", "nope",
        "--vars", str(write(tmp_path, {})),
    )  # fmt: skip
    assert code == 1
    assert "unknown data stream 'nope' (known: audit, logpull)" in err
