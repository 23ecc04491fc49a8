"""The Cloudflare package's mock service enforces the real API's rules."""

from __future__ import annotations

import gzip
import http.client
import json
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from cfmock import (
    ACCOUNT,
    EMAIL,
    KEY,
    NS,
    TOKEN,
    ZONE,
    CloudflareSimulator,
    Credentials,
    Dataset,
    Limits,
)

from fleetpkg.system.clock import iso
from fleetpkg.system.httpserver import HttpServer
from fleetpkg.system.service import Fault, Request, Response, VirtualClock

KEY_AUTH = {"X-Auth-Email": EMAIL, "X-Auth-Key": KEY}
LOGPULL = f"/client/v4/zones/{ZONE}/logs/received"
AUDIT = f"/client/v4/accounts/{ACCOUNT}/audit_logs"
AUDIT_V2 = f"/client/v4/accounts/{ACCOUNT}/logs/audit"


def get(sim: Any, path: str, headers: dict[str, str] | None = None, **query: Any) -> Response:
    target = path + ("?" + urlencode(query) if query else "")
    return sim.handle(Request("GET", target, KEY_AUTH if headers is None else headers))


def errors(response: Response) -> list[str]:
    body = json.loads(response.body)
    assert body["success"] is False
    assert body["result"] is None
    return [e["message"] for e in body["errors"]]


def lines(response: Response) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.body.decode().splitlines() if line]


def window(clock: VirtualClock, start_ago: float, end_ago: float) -> dict[str, str]:
    now = clock.now()
    return {"start": iso(now - start_ago), "end": iso(now - end_ago)}


# -- authentication ---------------------------------------------------------------------------


def test_missing_credentials_are_401_like_cloudflare(simulator: Any) -> None:
    response = get(simulator, AUDIT, headers={})
    assert response.status == 401
    body = json.loads(response.body)
    assert body["errors"] == [{"code": 10000, "message": "Authentication error"}]


def test_wrong_key_token_and_half_credentials(simulator: Any) -> None:
    assert (
        get(simulator, AUDIT, headers={"X-Auth-Email": EMAIL, "X-Auth-Key": "x" * 37}).status == 403
    )
    assert get(simulator, AUDIT, headers={"Authorization": "Bearer " + "y" * 40}).status == 401
    assert get(simulator, AUDIT, headers={"X-Auth-Email": EMAIL}).status == 400
    assert get(simulator, AUDIT, headers={"Authorization": f"Bearer {TOKEN}"}).status == 200


def test_token_scopes_are_enforced(clock: VirtualClock) -> None:
    creds = Credentials(tokens={"logs-only": frozenset({"logs_read"})})
    sim = CloudflareSimulator(clock, credentials=creds)
    headers = {"Authorization": "Bearer logs-only"}
    assert get(sim, AUDIT, headers=headers).status == 403
    assert get(sim, LOGPULL, headers=headers, **window(clock, 600, 120)).status == 200


def test_request_log_redacts_secrets(simulator: Any) -> None:
    get(simulator, AUDIT)
    get(simulator, AUDIT, headers={"Authorization": f"Bearer {TOKEN}"})
    text = json.dumps([r.headers for r in simulator.requests])
    assert KEY not in text
    assert TOKEN not in text
    assert "[redacted]" in text


def test_unknown_account_route_and_method(simulator: Any) -> None:
    assert get(simulator, "/client/v4/accounts/" + "0" * 32 + "/audit_logs").status == 403
    assert get(simulator, "/client/v4/nothing").status == 404
    assert simulator.handle(Request("POST", AUDIT, KEY_AUTH)).status == 405


# -- Logpull window rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_ago", "end_ago", "message"),
    [
        (7 * 86400 + 60, 7 * 86400 - 600, "too early"),
        (600, 30, "too late"),
        (600, 600, "start must be earlier than end"),
        (3600 + 180, 120, "must not exceed 1h0m0s"),
    ],
)
def test_logpull_window_rules(
    simulator: Any,
    clock: VirtualClock,
    start_ago: float,
    end_ago: float,
    message: str,
) -> None:
    response = get(simulator, LOGPULL, **window(clock, start_ago, end_ago))
    assert response.status == 400
    assert any(message in m for m in errors(response))
    assert simulator.requests[-1].error is not None


def test_logpull_window_limits_are_inclusive(simulator: Any, clock: VirtualClock) -> None:
    assert get(simulator, LOGPULL, **window(clock, 3600 + 60, 60)).status == 200
    assert get(simulator, LOGPULL, **window(clock, 7 * 86400, 7 * 86400 - 3600)).status == 200


def test_logpull_requires_start_and_end(simulator: Any) -> None:
    assert get(simulator, LOGPULL).status == 400
    assert get(simulator, LOGPULL, start="yesterday", end="today").status == 400


def test_logpull_time_formats_agree(simulator: Any, clock: VirtualClock) -> None:
    end = int(clock.now()) - 120
    start = end - 1800
    as_unix = lines(get(simulator, LOGPULL, start=start, end=end))
    as_nanos = lines(get(simulator, LOGPULL, start=start * NS, end=end * NS))
    as_text = lines(get(simulator, LOGPULL, start=iso(start), end=iso(end)))
    assert as_unix == as_nanos == as_text
    assert as_unix, "30 minutes of the default dataset hold requests"


def test_logpull_unknown_and_bot_fields_are_rejected(simulator: Any, clock: VirtualClock) -> None:
    span = window(clock, 600, 120)
    unknown = get(simulator, LOGPULL, fields="ClientIP,WAFAction", **span)
    assert unknown.status == 400
    assert any("WAFAction" in m for m in errors(unknown))
    assert get(simulator, LOGPULL, fields="ClientIP, RayID", **span).status == 400  # no spaces
    assert get(simulator, LOGPULL, fields="BotScore", **span).status == 400
    bot = CloudflareSimulator(clock, bot_zones=(ZONE,))
    assert get(bot, LOGPULL, fields="BotScore,RayID", **span).status == 200


def test_logpull_fields_and_timestamps(simulator: Any, clock: VirtualClock) -> None:
    span = window(clock, 3000, 120)
    records = lines(
        get(simulator, LOGPULL, fields="RayID,EdgeStartTimestamp", timestamps="rfc3339", **span)
    )
    assert records
    assert all(set(r) == {"RayID", "EdgeStartTimestamp"} for r in records)
    assert all(
        isinstance(r["EdgeStartTimestamp"], str) and r["EdgeStartTimestamp"].endswith("Z")
        for r in records
    )
    unix = lines(get(simulator, LOGPULL, fields="EdgeStartTimestamp", timestamps="unix", **span))
    nanos = lines(get(simulator, LOGPULL, fields="EdgeStartTimestamp", **span))
    assert all(len(str(r["EdgeStartTimestamp"])) == 10 for r in unix)
    assert all(len(str(r["EdgeStartTimestamp"])) == 19 for r in nanos)
    defaults = lines(get(simulator, LOGPULL, **span))
    assert set(defaults[0]) == {
        "ClientIP",
        "ClientRequestHost",
        "ClientRequestMethod",
        "ClientRequestURI",
        "EdgeEndTimestamp",
        "EdgeResponseBytes",
        "EdgeResponseStatus",
        "EdgeStartTimestamp",
        "RayID",
    }
    assert get(simulator, LOGPULL, timestamps="iso", **span).status == 400


def test_logpull_window_content_is_exact(simulator: Any, clock: VirtualClock) -> None:
    end = int(clock.now()) - 120
    whole = {r["RayID"] for r in lines(get(simulator, LOGPULL, start=end - 3600, end=end))}
    halves = [
        r["RayID"]
        for a, b in ((end - 3600, end - 1800), (end - 1800, end))
        for r in lines(get(simulator, LOGPULL, start=a, end=b))
    ]
    assert sorted(halves) == sorted(whole), "[start, end) windows tile without overlap or gap"
    expected = {r.ray_id for r in simulator.log_records(ZONE, end - 3600, end)}
    assert whole == expected


def test_logpull_count_and_sample(simulator: Any, clock: VirtualClock) -> None:
    span = window(clock, 3600, 120)
    total = len(lines(get(simulator, LOGPULL, **span)))
    assert len(lines(get(simulator, LOGPULL, count=3, **span))) == min(3, total)
    sampled = lines(get(simulator, LOGPULL, sample="0.5", **span))
    assert 0 < len(sampled) < total
    assert get(simulator, LOGPULL, sample="0", **span).status == 400
    assert get(simulator, LOGPULL, sample="1.5", **span).status == 400
    assert get(simulator, LOGPULL, count=0, **span).status == 400


def test_logpull_empty_minutes_answer_200_with_no_body(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(clock, Dataset(empty_minutes=1.0))
    response = get(sim, LOGPULL, **window(clock, 900, 120))
    assert response.status == 200
    assert response.body == b""


# -- audit logs ---------------------------------------------------------------------------------


def test_audit_v1_pages_in_order(simulator: Any, clock: VirtualClock) -> None:
    since = iso(clock.now() - 2 * 86400)
    pages = []
    for page in range(1, 200):
        body = json.loads(
            get(simulator, AUDIT, since=since, direction="asc", per_page=7, page=page).body
        )
        assert body["result_info"]["page"] == page
        pages.extend(body["result"])
        if len(body["result"]) < 7:
            break
    whens = [r["when"] for r in pages]
    assert whens == sorted(whens)
    expected = [
        r.id for r in simulator.audit_records(ACCOUNT, clock.now() - 2 * 86400, clock.now() + 1)
    ]
    assert [r["id"] for r in pages] == expected
    newest_first = json.loads(get(simulator, AUDIT, since=since, per_page=1000).body)["result"]
    assert [r["id"] for r in newest_first] == expected[::-1]


def test_audit_v1_since_is_inclusive_and_before_exclusive(
    simulator: Any, clock: VirtualClock
) -> None:
    records = simulator.audit_records(ACCOUNT, clock.now() - 86400, clock.now())
    pivot = records[len(records) // 2]
    since = pivot.v1["when"]
    after = json.loads(get(simulator, AUDIT, since=since, direction="asc", per_page=1000).body)[
        "result"
    ]
    assert after[0]["when"] == since
    before = json.loads(
        get(
            simulator,
            AUDIT,
            before=since,
            direction="asc",
            per_page=1000,
            since=iso(clock.now() - 86400),
        ).body
    )["result"]
    assert all(r["when"] != since for r in before)


def test_audit_v1_parameter_rules(simulator: Any) -> None:
    assert get(simulator, AUDIT, per_page=1001).status == 400
    assert get(simulator, AUDIT, page=0).status == 400
    assert get(simulator, AUDIT, direction="up").status == 400
    assert get(simulator, AUDIT, since="last week").status == 400
    get(simulator, AUDIT, timestamps="unix")
    assert simulator.requests[-1].notes == ["unknown parameter timestamps"]


def test_audit_records_appear_only_once_they_happened(simulator: Any, clock: VirtualClock) -> None:
    since = iso(clock.now() - 3600)
    first = json.loads(get(simulator, AUDIT, since=since, per_page=1000).body)["result"]
    clock.advance(6 * 3600)
    later = json.loads(get(simulator, AUDIT, since=since, per_page=1000).body)["result"]
    assert len(later) > len(first)
    assert all(r["when"] <= iso(clock.now()) or "." in r["when"] for r in later)


def test_audit_v2_cursor_pagination_is_exact(simulator: Any, clock: VirtualClock) -> None:
    since, before = iso(clock.now() - 2 * 86400), iso(clock.now())
    assert get(simulator, AUDIT_V2, since=since).status == 400  # before is required
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        query = {"since": since, "before": before, "direction": "asc", "limit": 6}
        if cursor:
            query["cursor"] = cursor
        body = json.loads(get(simulator, AUDIT_V2, **query).body)
        seen.extend(r["id"] for r in body["result"])
        cursor = body["result_info"].get("cursor")
        if not cursor:
            break
    expected = [
        r.id for r in simulator.audit_records(ACCOUNT, clock.now() - 2 * 86400, clock.now())
    ]
    assert seen == expected
    assert get(simulator, AUDIT_V2, since=since, before=before, cursor="bogus").status == 400


# -- rate limits and faults -------------------------------------------------------------------


def test_logpull_rate_limit_answers_429_with_retry_after(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(clock, latency=0.0)
    span = window(clock, 600, 120)
    statuses = [get(sim, LOGPULL, **span).status for _ in range(16)]
    assert statuses[:15] == [200] * 15
    assert statuses[15] == 429
    limited = get(sim, LOGPULL, **span)
    wait = int(limited.headers["Retry-After"])
    assert 0 < wait <= 60
    clock.advance(wait)
    assert get(sim, LOGPULL, **window(clock, 600, 120)).status == 200


def test_global_rate_limit(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(clock, latency=0.0, limits=Limits(global_per_user=(3, 300)))
    assert [get(sim, AUDIT).status for _ in range(4)] == [200, 200, 200, 429]


def test_faults_hit_the_nth_request(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(
        clock,
        latency=0.0,
        faults=(
            Fault("status", "audit", frozenset({1}), status=503, retry_after=7),
            Fault("slow", "audit", frozenset({2}), delay=90.0),
            Fault("trailer", "logpull", frozenset({1})),
        ),
    )
    failed = get(sim, AUDIT)
    assert failed.status == 503
    assert failed.headers["Retry-After"] == "7"
    before = clock.now()
    assert get(sim, AUDIT).status == 200
    assert clock.now() - before == pytest.approx(90.0)
    span = window(clock, 3000, 120)
    broken = get(sim, LOGPULL, **span)
    assert broken.status == 200
    assert broken.body.endswith(b"Error streaming data\n")
    full = get(sim, LOGPULL, **span)
    assert len(broken.body.splitlines()) - 1 == len(full.body.splitlines()) // 2


# -- over HTTP ----------------------------------------------------------------------------------


def _http(url: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_server_binds_localhost_and_gzips(server: HttpServer, clock: VirtualClock) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    query = urlencode(window(clock, 3000, 120))
    status, headers, body = _http(
        server.url, f"{LOGPULL}?{query}", {**KEY_AUTH, "Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).count(b"\n") > 0
    status, _, body = _http(server.url, AUDIT, {})
    assert status == 401
    assert b"Authentication error" in body


def test_reset_fault_closes_the_connection(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(clock, faults=(Fault("reset", "audit", frozenset({1})),))
    with HttpServer(sim) as running:
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            _http(running.url, AUDIT, KEY_AUTH)
        assert _http(running.url, AUDIT, KEY_AUTH)[0] == 200


def test_dataset_is_deterministic() -> None:
    one, two = Dataset(seed=3), Dataset(seed=3)
    assert one.logs_minute(ZONE, 29_000_000) == two.logs_minute(ZONE, 29_000_000)
    assert one.audit_hour(ACCOUNT, 500_000) == two.audit_hour(ACCOUNT, 500_000)
    assert Dataset(seed=4).audit_hour(ACCOUNT, 500_000) != one.audit_hour(ACCOUNT, 500_000)


def test_audit_records_can_become_visible_late(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(clock, Dataset(audit_delay=600.0, audit_per_hour=60), latency=0.0)
    since = iso(clock.now() - 3600)
    now_ns = int(clock.now() * NS)
    listed = {
        r["id"] for r in json.loads(get(sim, AUDIT, since=since, per_page=1000).body)["result"]
    }
    held = sim.audit_records(ACCOUNT, clock.now() - 3600, clock.now())
    hidden = {r.id for r in held if sim.dataset.audit_visible_ns(r) > now_ns}
    assert hidden, "some of the last 10 minutes' records are not visible yet"
    assert listed == {r.id for r in held} - hidden
    clock.advance(600)
    later = json.loads(get(sim, AUDIT, since=since, per_page=1000).body)["result"]
    assert hidden <= {r["id"] for r in later}
