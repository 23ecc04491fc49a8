"""Property tests: random documents through every processor give ES-style results only."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fleetpkg.ingest import simulate
from fleetpkg.ingest.processors import PROCESSORS

# Every processor the engine must provide (issue scope), with a config reading field "f".
CONFIGS: dict[str, dict[str, Any]] = {
    "append": {"field": "f", "value": ["{{f}}", 1]},
    "bytes": {"field": "f"},
    "community_id": {"source_ip": "f", "destination_ip": "f", "target_field": "cid"},
    "convert": {"field": "f", "type": "auto"},
    "csv": {"field": "f", "target_fields": ["c1", "c2"]},
    "date": {"field": "f", "formats": ["ISO8601", "UNIX", "yyyy-MM-dd HH:mm:ss"]},
    "date_index_name": {"field": "f", "date_rounding": "d"},
    "dissect": {"field": "f", "pattern": "%{a} %{b}"},
    "dot_expander": {"field": "*"},
    "drop": {"if": "ctx.f == 'drop-me'"},
    "fail": {"message": "failed {{f}}", "if": "ctx.f == 'fail-me'"},
    "fingerprint": {"fields": ["f"]},
    "foreach": {"field": "f", "processor": {"uppercase": {"field": "_ingest._value"}}},
    "geoip": {"field": "f"},
    "grok": {"field": "f", "patterns": ["%{IP:ip} %{WORD:w}", "%{NUMBER:n:int}"]},
    "gsub": {"field": "f", "pattern": "[aeiou]", "replacement": "-"},
    "html_strip": {"field": "f"},
    "join": {"field": "f", "separator": ","},
    "json": {"field": "f", "target_field": "parsed"},
    "kv": {"field": "f", "field_split": " ", "value_split": "="},
    "lowercase": {"field": "f"},
    "network_direction": {
        "source_ip": "f",
        "destination_ip": "f",
        "internal_networks": ["private"],
    },
    "pipeline": {"name": "inner"},
    "redact": {"field": "f", "patterns": ["%{IP:client}"]},
    "registered_domain": {"field": "f", "target_field": "rd"},
    "remove": {"field": "f"},
    "rename": {"field": "f", "target_field": "g"},
    "reroute": {"dataset": "{{f}}"},
    "script": {"source": "if (ctx.f instanceof String) { ctx.l = ctx.f.length(); }"},
    "set": {"field": "g", "copy_from": "f"},
    "sort": {"field": "f"},
    "split": {"field": "f", "separator": ","},
    "terminate": {"if": "ctx.f == null"},
    "trim": {"field": "f"},
    "uppercase": {"field": "f"},
    "uri_parts": {"field": "f"},
    "urldecode": {"field": "f"},
    "user_agent": {"field": "f"},
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(
        [
            "1.2.3.4 GET",
            "a=1 b=2",
            "2024-01-02T03:04:05Z",
            "http://u:p@x.com:8/a.b?q#f",
            "<b>x</b>",
            "1kb",
            "%zz",
            '{"a":1}',
            "drop-me",
            "fail-me",
            "www.example.co.uk",
            "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0",
            "89.160.20.156",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)


def test_every_issue_processor_is_registered() -> None:
    missing = sorted(set(CONFIGS) - set(PROCESSORS))
    assert missing == []


def _check_response(response: dict[str, Any], original: Any) -> None:
    (entry,) = response["docs"]
    if entry is None:
        return  # dropped
    assert set(entry) == {"doc"}, entry
    source = entry["doc"]["_source"]
    if "error" in source:
        assert isinstance(source["error"]["message"], str)
        assert source["keep"] == original, "a failing document lost its data"


@pytest.mark.parametrize("name", sorted(CONFIGS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values)
def test_random_values_only_give_es_errors(name: str, value: Any) -> None:
    if name not in PROCESSORS:
        pytest.fail(f"processor [{name}] is not implemented")
    request = {
        "pipeline": {
            "processors": [{name: dict(CONFIGS[name])}],
            "on_failure": [
                {"set": {"field": "error.message", "value": "{{{_ingest.on_failure_message}}}"}}
            ],
        },
        "docs": [{"_index": "logs-x-default", "_source": {"f": value, "keep": value}}],
    }
    pipelines = {"inner": {"processors": [{"set": {"field": "inner", "value": "{{f}}"}}]}}
    response = simulate(request, pipelines=pipelines)
    _check_response(response, value)


@settings(max_examples=100, deadline=None)
@given(source=st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=6))
def test_random_documents_round_trip_untouched(source: dict[str, Any]) -> None:
    response = simulate({"pipeline": {"processors": []}, "docs": [{"_source": source}]})
    assert response["docs"][0]["doc"]["_source"] == source
