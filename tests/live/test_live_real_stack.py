"""The live path against a real stack: run with FLEETPKG_ES_URL / FLEETPKG_KIBANA_URL set.

Credentials: FLEETPKG_API_KEY (API key) or FLEETPKG_USERNAME + FLEETPKG_PASSWORD; optional
FLEETPKG_CA_CERT (PEM file) or FLEETPKG_INSECURE=1. Skipped when the URL variables are unset.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "fixtures" / "pipeline_packages" / "good"
ES_URL = os.environ.get("FLEETPKG_ES_URL")
KIBANA_URL = os.environ.get("FLEETPKG_KIBANA_URL")


def _auth() -> list[str]:
    args = ["--retries", "3", "--retry-wait", "1"]
    if os.environ.get("FLEETPKG_API_KEY"):
        args += ["--api-key", "FLEETPKG_API_KEY"]
    elif os.environ.get("FLEETPKG_USERNAME"):
        args += [
            "--username",
            os.environ["FLEETPKG_USERNAME"],
            "--password-env",
            "FLEETPKG_PASSWORD",
        ]
    if os.environ.get("FLEETPKG_CA_CERT"):
        args += ["--ca-cert", os.environ["FLEETPKG_CA_CERT"]]
    if os.environ.get("FLEETPKG_INSECURE") == "1":
        args.append("--insecure")
    return args


def _secrets() -> list[str]:
    return [v for k in ("FLEETPKG_API_KEY", "FLEETPKG_PASSWORD") if (v := os.environ.get(k))]


needs_es = pytest.mark.skipif(not ES_URL, reason="FLEETPKG_ES_URL is not set")
needs_kibana = pytest.mark.skipif(not KIBANA_URL, reason="FLEETPKG_KIBANA_URL is not set")


@pytest.mark.es
@needs_es
def test_pipeline_tests_on_the_cluster_agree_with_the_engine(cli) -> None:
    code, out, err = cli("test", "pipeline", "--package", str(GOOD), "--es", str(ES_URL), *_auth())
    assert "fidelity:" in out, err
    assert not any(s in out + err for s in _secrets())
    assert code == 0, out + err


@pytest.mark.es
@needs_es
def test_no_test_pipelines_are_left_behind() -> None:
    from fleetpkg.live.auth import Connection, Credentials
    from fleetpkg.live.es import ElasticsearchClient
    from fleetpkg.live.fidelity import run_fidelity

    creds = Credentials(
        api_key=os.environ.get("FLEETPKG_API_KEY"),
        username=os.environ.get("FLEETPKG_USERNAME"),
        password=os.environ.get("FLEETPKG_PASSWORD"),
    )
    conn = Connection(
        str(ES_URL),
        creds,
        os.environ.get("FLEETPKG_CA_CERT"),
        os.environ.get("FLEETPKG_INSECURE") == "1",
    )
    report = run_fidelity(GOOD, conn.url, creds, ["metrics"], connection=conn)
    assert report.tests.count("pass") == 1
    client = ElasticsearchClient(conn)
    try:
        names = client.call("list pipelines", lambda es: es.ingest.get_pipeline(summary=True)).body
    finally:
        client.close()
    assert not [n for n in names if n.startswith("default-")]


@pytest.mark.es
@needs_es
def test_benchmark_on_the_cluster(cli) -> None:
    pipeline = ROOT / "benchmarks" / "logpull-like.yml"
    events = ROOT / "benchmarks" / "logpull-events.ndjson"
    code, out, err = cli(
        "benchmark", "pipeline", str(pipeline), "--events", str(events), "--repeat", "1",
        "--es", str(ES_URL), *_auth(),
    )  # fmt: skip
    assert code == 0, err
    assert "cluster (GET _nodes/stats/ingest" in out


@pytest.mark.kibana
@needs_kibana
def test_install_policy_uninstall(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kibana = ["--kibana", str(KIBANA_URL), "--source", str(ROOT), *_auth()]
    code, out, err = cli("install", *kibana, "--force")
    assert code == 0, err
    assert "ingest_pipeline" in out
    monkeypatch.setenv("FLEETPKG_TEST_CF_TOKEN", "fake-token-for-policy-test-0000000000")
    vars_file = tmp_path / "vars.yml"
    vars_file.write_text(
        "vars: {}\ndata_stream:\n  vars:\n    account_id: 0123456789abcdef0123456789abcdef\n"
        "    auth_token: {env: FLEETPKG_TEST_CF_TOKEN}\n"
    )
    name = f"fleetpkg-test-{uuid.uuid4().hex[:8]}"
    code, out, err = cli(
        "policy", "create", *kibana, "--vars", str(vars_file), "--data-stream", "audit",
        "--agent-policy", name, "--name", name,
    )  # fmt: skip
    assert code == 0, err
    assert "fake-token-for-policy-test" not in out + err
    code, out, err = cli("uninstall", *kibana, "--force")
    assert code == 0, err
    assert not any(s in out + err for s in _secrets())
