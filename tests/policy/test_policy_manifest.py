"""The built manifests carry what the inputs need: types, secrets, defaults, auth groups."""

from __future__ import annotations

from pathlib import Path

from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.varcheck import PolicyVars, problems

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "package"
# Removed by Cloudflare on 2023-08-01 (or never in the current list): requesting them fails.
REMOVED = {
    "WAFAction", "WAFRuleID", "WAFRuleMessage", "WAFProfile", "FirewallMatchesActions",
    "FirewallMatchesRuleIDs", "FirewallMatchesSources", "EdgeRateLimitAction",
    "EdgeRateLimitID", "SecurityLevel", "ZoneID", "Action",
}  # fmt: skip
BOT = {"BotScore", "BotScoreSrc", "BotTags", "BotDetectionIDs", "BotDetectionTags", "JA3Hash"}


def test_logpull_fields_default_is_current() -> None:
    fields = load_stream(PACKAGE, "logpull").var("fields")
    assert fields is not None
    assert fields.multi
    assert fields.type == "text"
    names = list(fields.default)
    assert len(names) == len(set(names)) > 50
    assert not set(names) & REMOVED
    assert not set(names) & BOT
    assert {"ClientIP", "EdgeStartTimestamp", "RayID", "SecurityAction"} <= set(names)


def test_defaults_alone_are_valid_once_ids_and_auth_are_set() -> None:
    ident = "0123456789abcdef0123456789abcdef"
    for ds, id_var in (("audit", "account_id"), ("logpull", "zone_id")):
        spec = load_stream(PACKAGE, ds)
        assert problems(spec, PolicyVars({}, {id_var: ident, "auth_token": "t"})) == []
        assert spec.required_vars == (
            ("api_token", ("auth_token",)),
            ("global_api_key", ("auth_email", "auth_key")),
        )
        for name in ("auth_token", "auth_key"):
            var = spec.var(name)
            assert var is not None
            assert var.secret
            assert var.type == "password"
            assert var.default is None
            assert not var.required
        tags = spec.var("tags")
        assert tags is not None
        assert tags.default == ["forwarded", f"cloudflare-{ds}"]
        for name in ("interval", "initial_interval", "http_client_timeout"):
            var = spec.var(name)
            assert var is not None
            assert var.type == "duration"
            assert var.min_duration
            assert var.max_duration
        tracer = spec.var("enable_request_tracer")
        assert tracer is not None
        assert tracer.default is False


def test_docs_name_prerequisites_and_no_secrets() -> None:
    readme = (PACKAGE / "docs" / "README.md").read_text(encoding="utf-8")
    for needle in ("Enterprise", "retention", "Account Settings", "Logs", "Read"):
        assert needle in readme
    for case in (ROOT / "data_stream").glob("*/_dev/test/policy/test-*.yml"):
        for line in case.read_text(encoding="utf-8").splitlines():
            if "auth_key:" in line or "auth_token:" in line:
                assert line.split(":", 1)[1].strip() not in readme
