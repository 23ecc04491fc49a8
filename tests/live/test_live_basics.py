"""Retries with backoff, scrubbing and URL checks of the live path."""

from __future__ import annotations

import pytest

from fleetpkg.live.auth import Credentials, check_url
from fleetpkg.live.errors import LiveError, UsageError, scrub
from fleetpkg.live.retry import Retryable, RetryPolicy


def test_backoff_is_exponential_and_bounded() -> None:
    slept: list[float] = []
    policy = RetryPolicy(attempts=6, base_delay=0.5, max_delay=3.0, sleep=slept.append)
    calls = []

    def attempt() -> str:
        calls.append(1)
        raise Retryable(LiveError("still failing"))

    with pytest.raises(LiveError, match="still failing"):
        policy.run(attempt)
    assert len(calls) == 6
    assert slept == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_retry_stops_at_success_and_on_other_errors() -> None:
    slept: list[float] = []
    policy = RetryPolicy(attempts=4, base_delay=0.1, sleep=slept.append)
    outcomes = iter([Retryable(LiveError("x")), "ok"])

    def attempt() -> str:
        value = next(outcomes)
        if isinstance(value, Exception):
            raise value
        return value

    assert policy.run(attempt) == "ok"
    assert slept == [0.1]

    def fatal() -> str:
        raise LiveError("401")

    with pytest.raises(LiveError, match="401"):
        policy.run(fatal)
    assert slept == [0.1]


def test_scrub_removes_secrets_userinfo_and_auth_values() -> None:
    text = (
        "failed: https://elastic:pw123@host:9200 with key abcdEFGH1234 "
        "Authorization: ApiKey Zm9vOmJhcmJhemJheg=="
    )
    out = scrub(text, ["abcdEFGH1234"])
    assert "pw123" not in out
    assert "abcdEFGH1234" not in out
    assert "Zm9vOmJhcmJhemJheg==" not in out
    assert "https://***@host:9200" in out


def test_credentials_repr_hides_secrets() -> None:
    creds = Credentials(username="elastic", password="hunter2-hunter2")
    assert "hunter2" not in repr(creds)
    assert creds.headers()["Authorization"].startswith("Basic ")
    assert "hunter2-hunter2" in creds.secrets()
    assert Credentials(api_key="k-123").headers() == {"Authorization": "ApiKey k-123"}
    assert Credentials().headers() == {}


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://localhost:9200/", "http://localhost:9200"),
        ("https://kb.example.com/base", "https://kb.example.com/base"),
    ],
)
def test_check_url_accepts(url: str, ok: str) -> None:
    assert check_url(url, "--es") == ok


@pytest.mark.parametrize("url", ["localhost:9200", "ftp://x", "https://u:p@x:9200", "http://"])
def test_check_url_rejects(url: str) -> None:
    with pytest.raises(UsageError) as err:
        check_url(url, "--es")
    assert err.value.code == 2
    assert "u:p" not in str(err.value)


def test_unexpected_errors_are_scrubbed_even_with_debug(cli, monkeypatch) -> None:
    import fleetpkg.live.install as install

    secret = "very-secret-key-0123456789"
    monkeypatch.setenv("FLEETPKG_TEST_KEY", secret)

    def boom(_source: object) -> None:
        raise RuntimeError(f"something echoed {secret}")

    monkeypatch.setattr(install, "default_zip", boom)
    argv = ["install", "--kibana", "http://127.0.0.1:9", "--api-key", "FLEETPKG_TEST_KEY"]
    code, out, err = cli(*argv)
    assert code == 1
    assert "unexpected error: RuntimeError: something echoed ***" in err
    code, out, err = cli("--debug", *argv)
    assert code == 1
    assert "Traceback" in err
    assert secret not in out + err
