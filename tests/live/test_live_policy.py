"""``fleetpkg policy create``: vars → the simplified package-policy body, on the fake Kibana."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakestack import API_KEY, FakeStack

from fleetpkg.live.errors import UsageError
from fleetpkg.live.policy import build_request

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "package"
TOKEN = "cf-token-0123456789abcdef"
VARS = """\
vars:
  api_url: https://api.cloudflare.com
data_stream:
  vars:
    account_id: 0123456789abcdef0123456789abcdef
    auth_token: {env: CF_TOKEN}
"""


@pytest.fixture
def vars_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CF_TOKEN", TOKEN)
    path = tmp_path / "vars.yml"
    path.write_text(VARS)
    return path


def _streams(body: dict) -> dict:
    [inp] = body["inputs"].values()
    return dict(inp["streams"])


def test_request_body_is_the_simplified_format(vars_file: Path) -> None:
    request = build_request(PACKAGE, vars_file, "audit", "cf-1", "prod")
    body = request.body
    assert (body["name"], body["namespace"]) == ("cf-1", "prod")
    assert body["package"]["name"] == "cloudflare"
    [(key, inp)] = body["inputs"].items()
    assert key.startswith("cloudflare-")
    assert inp["enabled"] is True
    assert inp["vars"]["api_url"] == "https://api.cloudflare.com"
    streams = _streams(body)
    assert streams["cloudflare.audit"]["enabled"] is True
    assert streams["cloudflare.audit"]["vars"]["auth_token"] == TOKEN
    assert streams["cloudflare.logpull"]["enabled"] is False
    assert TOKEN in request.secrets
    assert TOKEN not in json.dumps(request.masked())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("{env: CF_TOKEN}", "{env: CF_UNSET_VARIABLE}"), "CF_UNSET_VARIABLE is not set"),
        (("{env: CF_TOKEN}", "{file: missing.txt}"), "cannot read"),
        (("    account_id:", "    acount_id:"), "acount_id"),
    ],
)
def test_bad_vars_are_usage_errors(vars_file: Path, change: tuple[str, str], message: str) -> None:
    vars_file.write_text(VARS.replace(*change))
    with pytest.raises(UsageError) as err:
        build_request(PACKAGE, vars_file, "audit", "cf-1", "default")
    assert message in str(err.value)
    assert TOKEN not in str(err.value)


def test_secret_from_a_file(vars_file: Path, tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text("from-file-token-0000\n")
    vars_file.write_text(VARS.replace("{env: CF_TOKEN}", "{file: token.txt}"))
    request = build_request(PACKAGE, vars_file, "audit", "cf-1", "default")
    assert (
        _streams(request.body)["cloudflare.audit"]["vars"]["auth_token"] == "from-file-token-0000"
    )
    assert "from-file-token-0000" in request.secrets


def _install(stack: FakeStack, cli, auth: list[str]) -> None:
    assert cli("install", "--kibana", stack.url, *auth, "--source", str(ROOT))[0] == 0


def _create(stack: FakeStack, vars_file: Path, auth: list[str], *extra: str) -> list[str]:
    return [
        "policy", "create", "--kibana", stack.url, "--vars", str(vars_file),
        "--data-stream", "audit", "--source", str(ROOT), *auth, *extra,
    ]  # fmt: skip


def test_policy_create_then_reuse(stack: FakeStack, cli, api_key_env, vars_file: Path) -> None:
    _install(stack, cli, api_key_env)
    args = _create(stack, vars_file, api_key_env, "--agent-policy", "edge", "--name", "cf-a")
    code, out, err = cli(*args)
    assert (code, err) == (0, "")
    assert "agent policy 'edge'" in out
    assert ": created" in out
    [agent] = stack.state.agent_policies
    assert (agent["name"], agent["namespace"]) == ("edge", "default")
    [sent] = stack.seen("POST", "/api/fleet/package_policies")
    body = sent.json()
    assert body["policy_id"] == agent["id"]
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["kbn-xsrf"]
    assert _streams(body)["cloudflare.audit"]["vars"]["auth_token"] == TOKEN
    assert TOKEN not in out + err
    # the same names again: the agent policy is reused, the package policy conflicts
    code, out, err = cli(*args)
    assert code == 1
    assert "(" + agent["id"] + "): reused" in out
    assert "already exists (409 Conflict)" in err
    assert len(stack.state.agent_policies) == 1
    code, out, _ = cli(*_create(stack, vars_file, api_key_env, "--agent-policy", "edge"))
    assert code == 0
    assert [p["name"] for p in stack.state.package_policies] == ["cf-a", "cloudflare-1"]


def test_policy_create_needs_the_installed_version(
    stack: FakeStack, cli, api_key_env, vars_file: Path
) -> None:
    code, _, err = cli(*_create(stack, vars_file, api_key_env))
    assert code == 1
    assert "not installed in Kibana; run `fleetpkg install` first" in err
    stack.state.packages["cloudflare"] = {"version": "0.0.1", "assets": [], "title": "C"}
    code, _, err = cli(*_create(stack, vars_file, api_key_env))
    assert code == 1
    assert "version conflict: Kibana has cloudflare 0.0.1 installed" in err
    assert stack.state.agent_policies == []


def test_policy_create_dry_run_masks_secrets(cli, vars_file: Path) -> None:
    code, out, _ = cli(
        "policy", "create", "--dry-run", "--vars", str(vars_file), "--data-stream", "audit",
        "--source", str(ROOT),
    )  # fmt: skip
    assert code == 0
    body = json.loads(out)
    assert _streams(body)["cloudflare.audit"]["vars"]["auth_token"] == "***"
    assert TOKEN not in out


def test_agent_policy_created_concurrently_is_reused(
    stack: FakeStack, cli, api_key_env, vars_file: Path
) -> None:
    _install(stack, cli, api_key_env)
    # the listing misses it, the POST conflicts: fleetpkg looks it up again and reuses it
    stack.state.agent_policies.append({"id": "ap-1", "name": "later", "namespace": "default"})
    stack.fail("GET", "/api/fleet/agent_policies", 200, body={"items": []})
    code, out, _ = cli(*_create(stack, vars_file, api_key_env, "--agent-policy", "later"))
    assert code == 0
    assert "(ap-1): reused" in out
    assert stack.state.package_policies[0]["policy_id"] == "ap-1"
    assert len(stack.seen("POST", "/api/fleet/agent_policies")) == 1
    assert API_KEY not in out


def test_data_stream_from_the_vars_file_or_asked_for(vars_file: Path) -> None:
    vars_file.write_text(VARS.replace("data_stream:\n", "data_stream:\n  name: audit\n"))
    body = build_request(PACKAGE, vars_file, None, "cf-1", "default").body
    assert _streams(body)["cloudflare.audit"]["enabled"] is True
    vars_file.write_text(VARS)
    with pytest.raises(UsageError, match="pass --data-stream NAME"):
        build_request(PACKAGE, vars_file, None, "cf-1", "default")


def test_package_policy_for_another_version_is_a_version_conflict(
    stack: FakeStack, cli, api_key_env
) -> None:
    from fleetpkg.live.auth import Connection, Credentials
    from fleetpkg.live.errors import LiveError
    from fleetpkg.live.fleet import Fleet
    from fleetpkg.live.http import KibanaClient

    _install(stack, cli, api_key_env)
    fleet = Fleet(KibanaClient(Connection(stack.url, Credentials(api_key=API_KEY))))
    agent, created = fleet.create_agent_policy({"name": "a", "namespace": "default"})
    assert created
    body = {"name": "p", "policy_id": agent["id"], "inputs": {}}
    body["package"] = {"name": "cloudflare", "version": "9.9.9"}
    with pytest.raises(LiveError, match=r"version conflict creating 'p'.*9\.9\.9 is not installed"):
        fleet.create_package_policy(body)
