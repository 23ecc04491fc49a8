"""TLS against the fake stack served over https with a self-signed certificate."""

from __future__ import annotations

from pathlib import Path

from fakestack import FakeStack

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "fixtures" / "pipeline_packages" / "good"


def test_untrusted_kibana_certificate(tls_stack: FakeStack, cli, api_key_env) -> None:
    code, _, err = cli("install", "--kibana", tls_stack.url, *api_key_env, "--source", str(ROOT))
    assert code == 1
    assert f"TLS certificate of Kibana at {tls_stack.url} not trusted" in err
    assert "--ca-cert" in err


def test_kibana_with_ca_cert_or_insecure(tls_stack: FakeStack, cli, api_key_env, certificate):
    args = ["--kibana", tls_stack.url, *api_key_env, "--source", str(ROOT)]
    code, out, err = cli("install", *args, "--ca-cert", certificate[0])
    assert (code, err) == (0, "")
    assert out.startswith("installed cloudflare")
    code, out, err = cli("uninstall", *args, "--insecure")
    assert (code, err) == (0, "")


def test_untrusted_es_certificate(tls_stack: FakeStack, cli, api_key_env) -> None:
    argv = ["test", "pipeline", "--package", str(GOOD), "--es", tls_stack.url, *api_key_env]
    code, _, err = cli(*argv)
    assert code == 1
    assert f"TLS certificate of Elasticsearch at {tls_stack.url} not trusted" in err


def test_es_with_ca_cert(tls_stack: FakeStack, cli, api_key_env, certificate) -> None:
    argv = ["test", "pipeline", "--package", str(GOOD), "--es", tls_stack.url, *api_key_env]
    code, out, err = cli(*argv, "--ca-cert", certificate[0])
    assert (code, err) == (0, "")
    assert "fidelity: 9 event(s), 9 agree, 0 differ" in out
    code, out, err = cli(*argv, "--insecure")
    assert (code, err) == (0, "")


def test_a_server_that_is_not_elasticsearch(stack: FakeStack, cli, api_key_env) -> None:
    stack.product_header = False
    argv = ["test", "pipeline", "--package", str(GOOD), "--es", stack.url, *api_key_env]
    code, _, err = cli(*argv)
    assert code == 1
    assert "is not Elasticsearch (no X-Elastic-Product header)" in err
