"""Every rendered CEL program parses with cel-python and calls only declared functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.policy.celcheck import (
    AGENT_EXTENSIONS,
    called_functions,
    check_program,
    compile_program,
)
from fleetpkg.policy.render import render
from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.testing import programs
from fleetpkg.policy.varcheck import PolicyVars

PACKAGE = Path(__file__).resolve().parents[2] / "package"
ACCOUNT = "0123456789abcdef0123456789abcdef"
CASES = [
    ("audit", {"account_id": ACCOUNT, "auth_token": "t", "api_version": "v1"}),
    ("audit", {"account_id": ACCOUNT, "auth_email": "a@example.com", "auth_key": "k"}),
    ("audit", {"account_id": ACCOUNT, "auth_token": "t", "api_version": "v2"}),
    ("logpull", {"zone_id": ACCOUNT, "auth_token": "t"}),
    ("logpull", {"zone_id": ACCOUNT, "auth_email": "a@example.com", "auth_key": "k"}),
]


@pytest.mark.parametrize(("data_stream", "stream_vars"), CASES)
def test_rendered_programs_compile(data_stream: str, stream_vars: dict[str, object]) -> None:
    rendered = render(load_stream(PACKAGE, data_stream), PolicyVars({}, stream_vars))
    found = programs(rendered.policy)
    assert len(found) == 1, "exactly one program per stream (v1 and v2 never both)"
    program = found[0]
    assert check_program(program) == []
    assert compile_program(program) is not None
    calls = called_functions(program)
    assert {"request", "do_request", "format_query", "now"} <= calls
    assert calls & AGENT_EXTENSIONS


def test_audit_versions_use_their_endpoint() -> None:
    spec = load_stream(PACKAGE, "audit")
    v1 = render(spec, PolicyVars({}, {"account_id": ACCOUNT, "auth_token": "t"})).stream
    v2 = render(
        spec, PolicyVars({}, {"account_id": ACCOUNT, "auth_token": "t", "api_version": "v2"})
    ).stream
    assert "/audit_logs?" in v1["program"]
    assert "/logs/audit?" not in v1["program"]
    assert "/logs/audit?" in v2["program"]
    assert "/audit_logs?" not in v2["program"]
    assert '"direction": ["asc"]' in v1["program"]
    assert "result_info.cursor" in v2["program"]


def test_logpull_program_guards_cloudflare_rules() -> None:
    rendered = render(load_stream(PACKAGE, "logpull"), PolicyVars({}, CASES[3][1]))
    program = rendered.stream["program"]
    for needle in ('duration("1m")', 'duration("168h")', 'duration("1h")', "Error streaming data"):
        assert needle in program
    assert "Retry-After" in program
    assert rendered.stream["resource.rate_limit.limit"] * 60 < 15


def test_unknown_functions_and_syntax_errors_are_reported() -> None:
    assert check_program("state.frobnicate(1)") == [
        "CEL program calls unknown function 'frobnicate'"
    ]
    problems = check_program("state.with({")
    assert len(problems) == 1
    assert problems[0].startswith("CEL program does not parse")
