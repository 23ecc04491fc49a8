"""The CEL runtime: cel-python plus the Agent's (mito) extension functions."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from fleetpkg.system.cel import CelProgram, CelProgramError, rewrite
from fleetpkg.system.runner import START
from fleetpkg.system.service import VirtualClock


class FakeTransport:
    def __init__(self, status: int = 200, body: bytes = b'{"ok":true}') -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = status
        self.body = body

    def do(self, request: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(request)
        return {
            "StatusCode": self.status,
            "Status": f"{self.status} OK",
            "Header": {"Retry-After": ["30"]},
            "Body": self.body,
        }


def run(expr: str, state: dict[str, Any] | None = None, transport: Any = None) -> Any:
    clock = VirtualClock(START)
    program = CelProgram("{'r': " + expr + "}", transport, clock)
    return program.evaluate(state or {})["r"]


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        # JSON
        ('"{\\"a\\":1,\\"b\\":[true,null]}".decode_json()', {"a": 1.0, "b": [True, None]}),
        ('b"{\\"a\\":1}{\\"a\\":2}".decode_json_stream()', [{"a": 1.0}, {"a": 2.0}]),
        ('{"a": [1, 2.5], "b": "x"}.encode_json()', '{"a":[1,2.5],"b":"x"}'),
        ('"{\\"n\\":200}".decode_json().encode_json()', '{"n":200}'),
        # time
        ("now.format(time_layout.RFC3339)", "2026-11-18T11:06:40Z"),
        ('(now - duration("1h30m")).format(time_layout.RFC3339Nano)', "2026-11-18T09:36:40Z"),
        (
            '"2026-01-02T03:04:05.25Z".parse_time(time_layout.RFC3339).format(time_layout.RFC3339Nano)',
            "2026-01-02T03:04:05.25Z",
        ),
        (
            '"Tue, 01 Oct 2024 10:00:00 GMT"'
            ".parse_time([time_layout.RFC3339, time_layout.RFC1123])"
            ".format(time_layout.DateOnly)",
            "2024-10-01",
        ),
        ('string(timestamp("2026-01-01T00:00:00.5Z"))', "2026-01-01T00:00:00.5Z"),
        ("int(timestamp(1700000000))", 1700000000),
        (
            'timestamp("2026-01-01T00:00:01Z") - timestamp("2026-01-01T00:00:00Z")'
            ' == duration("1s")',
            True,
        ),
        ("now() == now", True),
        # collections
        ('{"a": 1}.with({"b": 2})', {"a": 1, "b": 2}),
        ('{"a": 1, "b": 2}.with_replace({"b": 3, "c": 4})', {"a": 1, "b": 3}),
        ('{"a": 1}.with_update({"a": 9, "c": 4})', {"a": 1, "c": 4}),
        ('[{"x": [1, 2]}, {"x": 3}, {"y": 4}].collate("x")', [1, 2, 3]),
        ('{"a": {"b": 1, "c": 2}}.drop("a.b")', {"a": {"c": 2}}),
        ('{"a": {}, "b": [], "c": [{}], "d": 1}.drop_empty()', {"d": 1}),
        ("[[1, [2]], 3].flatten()", [1, 2, 3]),
        ("[3, 1, 2].max()", 3),
        ("min([3, 1, 2])", 1),
        ('["a", "b"].zip([1, 2])', {"a": 1, "b": 2}),
        ('{"k": 1}.keys()', ["k"]),
        ("[1, 2, 3].tail()", [2, 3]),
        # crypto
        ('base64("user:pass")', base64.b64encode(b"user:pass").decode()),
        ('string("dXNlcg==".base64_decode())', "user"),
        ('sha256("x").hex()', hashlib.sha256(b"x").hexdigest()),
        ('hex(md5("x"))', hashlib.md5(b"x").hexdigest()),
        # strings
        ('"a/b/".trim_suffix("/")', "a/b"),
        ('"  x ".trim_space()', "x"),
        ('"a,b,c".split(",")', ["a", "b", "c"]),
        ('["a", "b"].join("-")', "a-b"),
        ('"Hello".to_lower()', "hello"),
        ('"abc".has_prefix("ab")', True),
        ('"abcabc".replace_all("b", "x")', "axcaxc"),
        ('"%s=%d".format(["n", 3])', "n=3"),
        ('"abc".substring(1, 2)', "b"),
        # URLs
        ('{"b": ["2"], "a": ["1 2"]}.format_query()', "a=1%202&b=2"),
        ('"page=1&per_page=5".parse_query()', {"page": ["1"], "per_page": ["5"]}),
        ('"https://api.example.com:8443/p?q=1".parse_url().Host', "api.example.com:8443"),
        # optional values and errors
        ('state.?cursor.since.orValue("none")', "none"),
        ('{"a": {"b": 1}}.?a.b.orValue(0)', 1),
        ("optional.of(1).hasValue()", True),
        ("optional.none().orValue(2)", 2),
        ("try(state.missing)", {"error": "no such key: missing"}),
        ('try(1 / 0, "failure").failure != ""', True),
        ("is_error(state.missing)", True),
        # macros and numbers (cel-go compares across numeric types, arithmetic stays typed)
        ("[1, 2].as(l, l.size() * 10)", 20),
        ("1 == 1.0", True),
        ("2.5 > 2", True),
        ("[1, 2, 3].filter(x, x > 1).map(x, x * 2)", [4, 6]),
    ],
)
def test_expressions(expr: str, expected: Any) -> None:
    assert run(expr) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "1 + 1.0",  # no implicit numeric conversion
        'timestamp("2026-01-01")',  # RFC 3339 only
        'duration("1 hour")',
        '"x".decode_json()',
        "optional.none().value()",
        "state.missing",
    ],
)
def test_errors(expr: str) -> None:
    with pytest.raises(CelProgramError):
        run(expr)


def test_compile_error_is_reported() -> None:
    with pytest.raises(CelProgramError, match="compile"):
        CelProgram("{'a': ", None, VirtualClock(START))


def test_rewrite_leaves_strings_and_comments_alone() -> None:
    text = 'state.?a.b + ".?x" // c.?d\n'
    assert rewrite(text) == 'state._opt_field("a").b + ".?x" // c.?d\n'
    with pytest.raises(CelProgramError, match="optional index"):
        rewrite("m[?'k']")


def test_http_request_with_headers_and_response_map() -> None:
    transport = FakeTransport(body=b'{"result":[1]}')
    value = run(
        'request("GET", "http://h/x?a=1").with({"Header": {"x-auth-email": ["e"]}})'
        ".do_request().as(resp, {"
        '"code": resp.StatusCode, "body": bytes(resp.Body).decode_json(),'
        '"retry": resp.Header["Retry-After"][0]})',
        transport=transport,
    )
    assert value == {"code": 200, "body": {"result": [1.0]}, "retry": "30"}
    sent = transport.requests[0]
    assert sent["Method"] == "GET"
    assert sent["URL"] == "http://h/x?a=1"
    assert sent["Header"] == {"X-Auth-Email": ["e"]}  # Go canonicalizes header names


def test_get_post_and_basic_auth() -> None:
    transport = FakeTransport()
    run('get("http://h/").StatusCode', transport=transport)
    run('post("http://h/", "text/plain", "body").StatusCode', transport=transport)
    run(
        'get_request("http://h/").basic_authentication("u", "p").do_request().StatusCode',
        transport=transport,
    )
    methods = [r["Method"] for r in transport.requests]
    assert methods == ["GET", "POST", "GET"]
    assert transport.requests[1]["Body"] == b"body"
    assert transport.requests[1]["Header"]["Content-Type"] == ["text/plain"]
    assert transport.requests[2]["Header"]["Authorization"] == ["Basic dTpw"]


def test_state_numbers_become_doubles_like_structpb() -> None:
    program = CelProgram("{'sum': state.n + 1}", None, VirtualClock(START))
    assert program.evaluate({"n": 1}) == {"sum": 2}
    with pytest.raises(CelProgramError):
        program.evaluate({"n": 1}, state_numbers=True)  # double + int has no overload
    fixed = CelProgram("{'sum': int(state.n) + 1}", None, VirtualClock(START))
    assert fixed.evaluate({"n": 1}, state_numbers=True) == {"sum": 2}


def test_program_must_return_a_map() -> None:
    with pytest.raises(CelProgramError, match="not a map"):
        CelProgram("[1]", None, VirtualClock(START)).evaluate({})
