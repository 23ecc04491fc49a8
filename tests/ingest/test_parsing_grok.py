"""The grok and redact processors through simulate."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError, simulate


def grok(**cfg: Any) -> list[dict[str, Any]]:
    return [{"grok": cfg}]


def test_grok_typed_captures() -> None:
    out = run_one(
        grok(field="f", patterns=["%{NUMBER:val:float} %{NUMBER:status:int} <%{WORD:msg}>"]),
        {"f": "123.42 400 <foo>"},
    )
    assert out == {"f": "123.42 400 <foo>", "val": 123.42, "status": 400, "msg": "foo"}


def test_grok_dotted_fields_nest() -> None:
    out = run_one(grok(field="f", patterns=["%{IP:source.ip} %{WORD:a.b.c}"]), {"f": "1.2.3.4 x"})
    assert out["source"] == {"ip": "1.2.3.4"}
    assert out["a"] == {"b": {"c": "x"}}


def test_grok_ecs_compatibility() -> None:
    line = "Mar  1 10:00:00 host sshd[12]: hi"
    legacy = run_one(grok(field="f", patterns=["%{SYSLOGBASE} %{GREEDYDATA:m}"]), {"f": line})
    assert legacy["program"] == "sshd"
    assert legacy["pid"] == "12"
    ecs = run_one(
        grok(field="f", patterns=["%{SYSLOGBASE} %{GREEDYDATA:m}"], ecs_compatibility="v1"),
        {"f": line},
    )
    assert ecs["process"] == {"name": "sshd", "pid": 12}
    assert ecs["host"] == {"hostname": "host"}


def test_grok_invalid_ecs_mode() -> None:
    with pytest.raises(IngestError) as err:
        run_one(grok(field="f", patterns=["x"], ecs_compatibility="v9"), {})
    assert err.value.reason == "[ecs_compatibility] unsupported mode 'v9'"


def test_grok_no_match() -> None:
    err = run_one(grok(field="f", patterns=["%{INT:n}"]), {"f": "abc"})
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == "Provided Grok expressions do not match field value: [abc]"


def test_grok_missing_null_and_wrong_type() -> None:
    cfg = grok(field="f", patterns=["%{INT:n}"])
    assert run_one(cfg, {})["reason"] == "field [f] not present as part of path [f]"
    assert run_one(cfg, {"f": None})["reason"] == "field [f] is null, cannot process it."
    assert run_one(cfg, {"f": 5})["reason"] == (
        "field [f] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
    )
    quiet = grok(field="f", patterns=["%{INT:n}"], ignore_missing=True)
    assert run_one(quiet, {}) == {}
    assert run_one(quiet, {"f": None}) == {"f": None}


def test_grok_first_matching_pattern_and_trace() -> None:
    request = {
        "pipeline": {
            "processors": grok(
                field="f",
                patterns=["%{ONE:one}", "%{TWO:two}"],
                pattern_definitions={"ONE": "1", "TWO": "2"},
                trace_match=True,
            )
        },
        "docs": [{"_source": {"f": "abc2xyz"}}],
    }
    response = simulate(request, verbose=True)
    result = response["docs"][0]["processor_results"][0]
    assert result["doc"]["_source"] == {"f": "abc2xyz", "two": "2"}
    assert result["doc"]["_ingest"]["_grok_match_index"] == "1"


def test_grok_trace_single_pattern_is_zero() -> None:
    request = {
        "pipeline": {
            "processors": [
                *grok(field="f", patterns=["%{WORD:w}"], trace_match=True),
                {"set": {"field": "idx", "value": "{{_ingest._grok_match_index}}"}},
            ]
        },
        "docs": [{"_source": {"f": "abc"}}],
    }
    assert simulate(request)["docs"][0]["doc"]["_source"]["idx"] == "0"


@pytest.mark.parametrize(
    ("cfg", "reason", "prop"),
    [
        (
            {"field": "f", "patterns": ["%{INVALID_PATTERN:field}"]},
            "[patterns] Invalid regex pattern found in: [%{INVALID_PATTERN:field}]. Unable to "
            "find pattern [INVALID_PATTERN] in Grok's pattern dictionary",
            "patterns",
        ),
        (
            {"field": "f", "patterns": ["%{MY:name}!", "x"], "pattern_definitions": {"MY": "["}},
            "[patterns] Invalid regex pattern found in: [%{MY:name}!, x]. premature end of "
            "char-class",
            "patterns",
        ),
        (
            {"field": "f", "patterns": []},
            "[patterns] List of patterns must not be empty",
            "patterns",
        ),
        ({"patterns": ["x"]}, "[field] required property is missing", "field"),
        ({"field": "f"}, "[patterns] required property is missing", "patterns"),
    ],
)
def test_grok_config_errors(cfg: dict[str, Any], reason: str, prop: str) -> None:
    with pytest.raises(IngestError) as err:
        run_one([{"grok": {**cfg, "tag": "t1"}}], {})
    assert err.value.type == "parse_exception"
    assert err.value.reason == reason
    assert err.value.property_name == prop
    assert err.value.processor_type == "grok"
    assert err.value.processor_tag == "t1"


def test_grok_conversion_failure_fails_document() -> None:
    err = run_one(grok(field="f", patterns=["%{WORD:n:int}"]), {"f": "abc"})
    assert err["type"] == "number_format_exception"
    assert err["reason"] == 'For input string: "abc"'


def redact(**cfg: Any) -> list[dict[str, Any]]:
    return [{"redact": cfg}]


def test_redact_defaults_and_prefix_suffix() -> None:
    msg = "55.3.244.1 GET /index.html 15824 0.043 test@elastic.co"
    out = run_one(redact(field="m", patterns=["%{IP:client}"]), {"m": msg})
    assert out["m"] == "<client> GET /index.html 15824 0.043 test@elastic.co"
    out = run_one(
        redact(field="m", patterns=["%{IP:R}", "%{EMAILADDRESS:R}"], prefix="*", suffix="*"),
        {"m": msg},
    )
    assert out["m"] == "*R* GET /index.html 15824 0.043 *R*"


def test_redact_every_occurrence_and_custom_definitions() -> None:
    out = run_one(
        redact(field="m", patterns=["%{GH:GH}"], pattern_definitions={"GH": "@%{USERNAME}"}),
        {"m": "@a and @b"},
    )
    assert out["m"] == "<GH> and <GH>"


def test_redact_overlaps_take_longest_name() -> None:
    out = run_one(
        redact(
            field="m",
            patterns=["%{A:SHORT}", "%{B:LONG}"],
            pattern_definitions={"A": "bc", "B": "abcd"},
        ),
        {"m": "xabcdx"},
    )
    assert out["m"] == "x<LONG>x"


def test_redact_no_match_keeps_value_and_trace() -> None:
    cfg = redact(field="m", patterns=["%{IP:ip}"], trace_redact=True)
    request = {
        "pipeline": {
            "processors": [
                *cfg,
                {"set": {"field": "t", "value": "{{_ingest._redact._is_redacted}}"}},
            ]
        },
        "docs": [{"_source": {"m": "nothing"}}, {"_source": {"m": "ip 1.1.1.1"}}],
    }
    docs = simulate(request)["docs"]
    assert docs[0]["doc"]["_source"] == {"m": "nothing", "t": "false"}
    assert docs[1]["doc"]["_source"] == {"m": "ip <ip>", "t": "true"}


def test_redact_missing_field() -> None:
    assert run_one(redact(field="m", patterns=["%{IP:ip}"]), {}) == {}
    err = run_one(redact(field="m", patterns=["%{IP:ip}"], ignore_missing=False), {"x": 1})
    assert err["reason"] == "field [m] is null or missing"


def test_redact_config_errors() -> None:
    with pytest.raises(IngestError) as err:
        run_one(redact(field="m", patterns=[]), {})
    assert err.value.reason == "[patterns] List of patterns must not be empty"
    with pytest.raises(IngestError) as err:
        run_one(redact(field="m", patterns=["%{NOPE:x}"]), {})
    assert err.value.reason.startswith("[patterns] Invalid regex pattern found in: [%{NOPE:x}]")


def test_redact_uses_ecs_patterns() -> None:
    out = run_one(redact(field="m", patterns=["%{EMAILADDRESS:E}"]), {"m": "mail 1st@x.io"})
    assert out["m"] == "mail <E>"  # the ECS local part may start with a digit


def test_grok_second_traced_multi_pattern_grok_fails_like_es() -> None:
    cfg = {
        "grok": {
            "field": "f",
            "patterns": ["%{ONE:one}", "%{TWO:two}"],
            "pattern_definitions": {"ONE": "1", "TWO": "2"},
            "trace_match": True,
        }
    }
    err = run_one([cfg, cfg], {"f": "abc2"})
    assert err["reason"] == (
        "cannot set [1] with parent object of type [java.lang.String] as part of path "
        "[_ingest._grok_match_index.1]"
    )


def test_catastrophic_patterns_hit_the_watchdog(monkeypatch: pytest.MonkeyPatch) -> None:
    import fleetpkg.ingest.grok.engine as engine

    monkeypatch.setattr(engine, "WATCHDOG_SECONDS", 0.05)
    value = {"f": "a" * 40 + "b"}
    err = run_one(grok(field="f", patterns=["(?:(a|aa)+)+$"]), value)
    assert err["type"] == "runtime_exception"
    assert err["reason"] == "grok pattern matching was interrupted after [50] ms"
    err = run_one(redact(field="f", patterns=["(?<X>(?:(a|aa)+)+$)"]), value)
    assert err["type"] == "timeout_exception"
    assert err["reason"] == "Grok pattern matching timed out"
