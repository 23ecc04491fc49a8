"""The cel input loop: state, cursor, want_more, restarts, errors and the HTTP client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cfmock import ACCOUNT, EMAIL, KEY, CloudflareSimulator, Limits

from fleetpkg.system.cel import TransportError
from fleetpkg.system.httpserver import HttpServer
from fleetpkg.system.input import CelInput, CursorStore, StreamConfig, parse_duration
from fleetpkg.system.service import Fault, VirtualClock
from fleetpkg.system.transport import ClientConfig, HttpTransport


def config(program: str, **extra: Any) -> StreamConfig:
    return StreamConfig.from_mapping(
        {"resource.url": "http://127.0.0.1:9", "program": program, "interval": "5m", **extra}
    )


class Events:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def __call__(self, events: list[dict[str, Any]], _at: float) -> None:
        self.items.extend(events)


def test_config_from_nested_and_dotted_keys() -> None:
    nested = StreamConfig.from_mapping(
        {
            "resource": {"url": "http://x", "timeout": "90s", "retry": {"max_attempts": 2}},
            "program": "{}",
            "interval": "1h",
            "redact": {"fields": ["auth_key"]},
            "state": {"auth_key": "s3cret"},
            "unknown.key": 1,
        }
    )
    assert nested.url == "http://x"
    assert nested.client.timeout == 90
    assert nested.client.max_attempts == 2
    assert nested.interval == 3600
    assert nested.secrets() == ("s3cret",)
    assert nested.unknown == ("unknown.key",)
    assert parse_duration("1h30m") == 5400
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration("soon")


def test_want_more_runs_again_until_false(clock: VirtualClock) -> None:
    program = """{
      "events": [{"n": has(state.cursor) ? int(state.cursor.n) : 0}],
      "cursor": {"n": has(state.cursor) ? int(state.cursor.n) + 1 : 1},
      "want_more": !has(state.cursor) || int(state.cursor.n) < 3
    }"""
    events = Events()
    inp = CelInput(config(program), clock, events)
    assert inp.run_period() == 4
    assert [e["n"] for e in events.items] == [0, 1, 2, 3]
    assert inp.store.load() == {"n": 4}


def test_max_executions_bounds_a_period(clock: VirtualClock) -> None:
    inp = CelInput(config('{"events": [], "want_more": true}', max_executions=7), clock, Events())
    inp.run_period()
    assert len(inp.executions) == 7
    assert any("max_executions" in line for line in inp.logs)


def test_restart_keeps_only_the_cursor(clock: VirtualClock, tmp_path: Any) -> None:
    program = """state.with({
      "events": [{"seen": has(state.extra)}],
      "cursor": {"runs": has(state.cursor) ? int(state.cursor.runs) + 1 : 1},
      "extra": true
    })"""
    store = CursorStore(tmp_path / "cursor.json")
    events = Events()
    first = CelInput(config(program), clock, events, store)
    first.run_period()
    first.run_period()
    assert json.loads((tmp_path / "cursor.json").read_text()) == {"runs": 2}
    again = CelInput(config(program), clock, events, CursorStore(tmp_path / "cursor.json"))
    again.run_period()
    assert [e["seen"] for e in events.items] == [False, True, False]
    assert again.store.load() == {"runs": 3}


def test_state_numbers_turn_into_doubles_between_evaluations(clock: VirtualClock) -> None:
    program = '{"events": [], "cursor": {"n": state.n + 1}, "n": 1}'
    events = Events()
    inp = CelInput(config(program, state={"n": 1}), clock, events)
    inp.run_period()  # the configured int
    inp.run_period()  # now a double: double + int has no overload, as in the Agent
    assert events.items[-1]["error"]["message"].startswith("failed eval:")


def test_evaluation_error_is_an_event_and_keeps_the_state(clock: VirtualClock) -> None:
    program = '{"events": [{"k": state.auth_key + 1}], "cursor": {"moved": true}}'
    events = Events()
    inp = CelInput(
        config(program, state={"auth_key": "s3cret-key"}, redact={"fields": ["auth_key"]}),
        clock,
        events,
    )
    inp.run_period()
    assert len(events.items) == 1
    message = events.items[0]["error"]["message"]
    assert message.startswith("failed eval:")
    assert "s3cret-key" not in message
    assert "s3cret-key" not in "\n".join(inp.logs)
    assert inp.store.load() is None


def test_periodic_runs_follow_the_interval(clock: VirtualClock) -> None:
    inp = CelInput(config('{"events": []}'), clock, Events())
    start = clock.now()
    inp.run_until(start + 3600)
    assert len(inp.executions) == 12
    assert [e.at - start for e in inp.executions[:3]] == [0, 300, 600]


# -- the HTTP client ------------------------------------------------------------------------


def audit_request(url: str) -> dict[str, Any]:
    return {
        "Method": "GET",
        "URL": f"{url}/client/v4/accounts/{ACCOUNT}/audit_logs",
        "Header": {"X-Auth-Email": [EMAIL], "X-Auth-Key": [KEY]},
    }


def test_retries_5xx_with_exponential_backoff(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(
        clock, latency=0.0, faults=(Fault("status", "audit", frozenset({1, 2}), status=500),)
    )
    with HttpServer(sim) as server:
        transport = HttpTransport(clock, ClientConfig(), secrets=(KEY,))
        before = clock.now()
        response = transport.do(audit_request(server.url))
        transport.close()
    assert response["StatusCode"] == 200
    assert [t.status for t in transport.trace] == [500, 500, 200]
    assert clock.now() - before == pytest.approx(1 + 2)
    assert KEY not in json.dumps([t.headers for t in transport.trace])


def test_429_honours_retry_after_and_passes_the_last_response_through(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(clock, latency=0.0, limits=Limits(global_per_user=(1, 120)))
    with HttpServer(sim) as server:
        transport = HttpTransport(clock, ClientConfig(max_attempts=1))
        assert transport.do(audit_request(server.url))["StatusCode"] == 200
        before = clock.now()
        assert transport.do(audit_request(server.url))["StatusCode"] == 200
        assert clock.now() - before == pytest.approx(120)
        stubborn = HttpTransport(clock, ClientConfig(max_attempts=0))
        assert stubborn.do(audit_request(server.url))["StatusCode"] == 429
        transport.close()
        stubborn.close()


def test_slow_answers_time_out_and_resets_retry(clock: VirtualClock) -> None:
    faults = (
        Fault("slow", "audit", frozenset({1}), delay=120.0),
        Fault("reset", "audit", frozenset({2})),
    )
    sim = CloudflareSimulator(clock, latency=0.0, faults=faults)
    with HttpServer(sim) as server:
        transport = HttpTransport(clock, ClientConfig(timeout=60.0))
        assert transport.do(audit_request(server.url))["StatusCode"] == 200
        errors = [t.error for t in transport.trace]
        assert errors[0] == "timeout"
        assert errors[1] is not None
        assert errors[2] is None
        never = HttpTransport(clock, ClientConfig(max_attempts=1, timeout=60.0))
        sim.add_fault(Fault("reset", "audit", frozenset({4, 5})))
        with pytest.raises(TransportError, match="giving up after 2"):
            never.do(audit_request(server.url))
        transport.close()
        never.close()


def test_rate_limiter_spaces_requests(clock: VirtualClock) -> None:
    sim = CloudflareSimulator(clock, latency=0.0)
    with HttpServer(sim) as server:
        transport = HttpTransport(clock, ClientConfig(rate_limit=0.2, burst=1))
        for _ in range(3):
            transport.do(audit_request(server.url))
        transport.close()
    times = [r.at for r in sim.requests]
    assert times[1] - times[0] == pytest.approx(5)
    assert times[2] - times[1] == pytest.approx(5)
