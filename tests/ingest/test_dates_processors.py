"""Tests of the ``date`` and ``date_index_name`` processors through ``simulate``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from fleetpkg.ingest import simulate
from fleetpkg.ingest.errors import IngestError


def run(processor: dict[str, Any], source: dict[str, Any], **meta: Any) -> dict[str, Any]:
    doc = {"_index": "idx", "_id": "1", "_source": source, **meta}
    result = simulate({"pipeline": {"processors": [processor]}, "docs": [doc]})
    entry: dict[str, Any] = result["docs"][0]
    return entry


def source(processor: dict[str, Any], src: dict[str, Any]) -> dict[str, Any]:
    entry = run(processor, src)
    assert "error" not in entry, entry
    out: dict[str, Any] = entry["doc"]["_source"]
    return out


def error(processor: dict[str, Any], src: dict[str, Any]) -> dict[str, Any]:
    entry = run(processor, src)
    assert "error" in entry, entry
    err: dict[str, Any] = entry["error"]
    return err


def build_error(processor: dict[str, Any]) -> IngestError:
    with pytest.raises(IngestError) as info:
        simulate({"pipeline": {"processors": [processor]}, "docs": [{"_source": {}}]})
    return info.value


def date(**cfg: Any) -> dict[str, Any]:
    return {"date": {"field": "d", **cfg}}


# -------------------------------------------------------------------- date


def test_default_target_and_output_format() -> None:
    out = source(date(formats=["dd/MM/yyyy"]), {"d": "12/06/2010"})
    assert out == {"d": "12/06/2010", "@timestamp": "2010-06-12T00:00:00.000Z"}


def test_timezone_for_local_inputs() -> None:
    cfg = date(formats=["dd/MM/yyyy"], timezone="Europe/Amsterdam", target_field="t")
    assert source(cfg, {"d": "12/06/2010"})["t"] == "2010-06-12T00:00:00.000+02:00"


def test_timezone_converts_zoned_inputs() -> None:
    cfg = date(formats=["ISO8601"], timezone="+01:00")
    assert source(cfg, {"d": "2010-06-01T00:00:00.000Z"})["@timestamp"] == (
        "2010-06-01T01:00:00.000+01:00"
    )
    assert source(cfg, {"d": "2010-06-01T00:00:00.000"})["@timestamp"] == (
        "2010-06-01T00:00:00.000+01:00"
    )


def test_timezone_template() -> None:
    cfg = date(formats=["yyyy-MM-dd HH:mm"], timezone="{{tz}}")
    out = source(cfg, {"d": "2020-01-01 10:00", "tz": "America/New_York"})
    assert out["@timestamp"] == "2020-01-01T10:00:00.000-05:00"


@pytest.mark.parametrize(
    ("fmt", "value", "expected"),
    [
        ("yyyy-MM-dd'T'HH:mm:ss.SSSZZ", "2018-02-05T13:44:56.657+0100", "2018-02-05T12:44:56.657Z"),
        ("yyyy-MM-dd HH:mm:ss Z", "2017-04-04 13:43:09 +0200", "2017-04-04T11:43:09.000Z"),
        ("dd/MMM/yyyy:H:m:s Z", "10/Aug/2018:09:45:56 +0200", "2018-08-10T07:45:56.000Z"),
        ("UNIX", "1", "1970-01-01T00:00:01.000Z"),
        ("UNIX_MS", "1", "1970-01-01T00:00:00.001Z"),
        ("TAI64N", "4000000050d506482dbdf024", "2012-12-22T01:00:46.767Z"),
        ("ISO8601", "2018-02-05T13:44:56.657+0100", "2018-02-05T12:44:56.657Z"),
        ("epoch_second", "1688548995.987654321", "2023-07-05T09:23:15.987Z"),
        ("YYYY-ww", "2020-33", "2020-08-10T00:00:00.000Z"),
        ("strict_date_optional_time", "2020-01-01T10:00:00+01:00", "2020-01-01T09:00:00.000Z"),
        ("8yyyy-MM-dd", "2020-01-01", "2020-01-01T00:00:00.000Z"),
    ],
)  # fmt: skip
def test_formats(fmt: str, value: str, expected: str) -> None:
    assert source(date(formats=[fmt]), {"d": value})["@timestamp"] == expected


def test_number_values_are_stringified() -> None:
    assert source(date(formats=["UNIX_MS"]), {"d": 1000})["@timestamp"] == (
        "1970-01-01T00:00:01.000Z"
    )
    assert source(date(formats=["UNIX"]), {"d": 1.5})["@timestamp"] == "1970-01-01T00:00:01.500Z"


def test_formats_are_tried_in_order() -> None:
    cfg = date(formats=["yyyy-MM-dd", "dd/MM/yyyy", "UNIX"])
    assert source(cfg, {"d": "12/06/2010"})["@timestamp"] == "2010-06-12T00:00:00.000Z"
    assert source(cfg, {"d": "2010-06-12"})["@timestamp"] == "2010-06-12T00:00:00.000Z"


def test_output_format_keeps_nanoseconds() -> None:
    cfg = date(formats=["epoch_second"], output_format="yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX")
    assert source(cfg, {"d": "1688548995.987654321"})["@timestamp"] == (
        "2023-07-05T09:23:15.987654321Z"
    )


def test_output_format_named_and_custom() -> None:
    cfg = date(formats=["ISO8601"], output_format="epoch_millis")
    assert source(cfg, {"d": "1970-01-01T00:00:01Z"})["@timestamp"] == "1000"
    cfg = date(formats=["ISO8601"], output_format="dd.MM.yyyy")
    assert source(cfg, {"d": "2020-01-02T00:00:00Z"})["@timestamp"] == "02.01.2020"


def test_missing_year_defaults_to_current_year() -> None:
    year = datetime.now(UTC).year
    out = source(date(formats=["MMM dd HH:mm:ss"]), {"d": "Aug 10 09:45:56"})
    assert out["@timestamp"] == f"{year}-08-10T09:45:56.000Z"


def test_locale_option_is_accepted() -> None:
    cfg = date(formats=["dd MMM yyyy"], locale="en")
    assert source(cfg, {"d": "10 Aug 2018"})["@timestamp"] == "2018-08-10T00:00:00.000Z"


def test_unparseable_date_error_chain() -> None:
    err = error(date(formats=["yyyy-MM-dd", "UNIX"]), {"d": "nope"})
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == "unable to parse date [nope]"
    assert err["root_cause"][0]["reason"] == "unable to parse date [nope]"
    cause = err["caused_by"]
    assert cause == {
        "type": "illegal_argument_exception",
        "reason": "failed to parse date field [nope] with format [yyyy-MM-dd]",
        "caused_by": {
            "type": "date_time_parse_exception",
            "reason": "Text 'nope' could not be parsed at index 0",
        },
    }


def test_null_value() -> None:
    err = error(date(formats=["yyyy-MM-dd"]), {"d": None})
    assert err["reason"] == "unable to parse date [null]"
    assert err["caused_by"]["reason"] == "cannot parse empty datetime"


def test_missing_field() -> None:
    err = error(date(formats=["yyyy-MM-dd"]), {})
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == "field [d] not present as part of path [d]"


def test_invalid_timezone_fails_the_document() -> None:
    err = error(date(formats=["yyyy-MM-dd"], timezone="Mars/Olympus"), {"d": "2020-01-01"})
    assert err["reason"] == "unable to parse date [2020-01-01]"
    assert err["caused_by"] == {
        "type": "zone_rules_exception",
        "reason": "Unknown time-zone ID: Mars/Olympus",
    }


def test_invalid_input_pattern_fails_the_document() -> None:
    err = error(date(formats=["yyyy-MM-dd bb"]), {"d": "2020-01-01"})
    reason = err["caused_by"]["reason"]
    assert reason == "Invalid format: [yyyy-MM-dd bb]: Unknown pattern letter: b"


def test_on_failure_runs_when_no_format_matches() -> None:
    cfg = date(
        formats=["yyyy"],
        on_failure=[{"set": {"field": "failed", "value": True}}],
    )
    assert source(cfg, {"d": "x"})["failed"] is True


def test_ignore_failure() -> None:
    assert source(date(formats=["yyyy"], ignore_failure=True), {"d": "x"}) == {"d": "x"}


def test_config_errors() -> None:
    err = build_error({"date": {"field": "d"}})
    assert (err.type, err.reason) == ("parse_exception", "[formats] required property is missing")
    err = build_error({"date": {"formats": ["yyyy"]}})
    assert err.reason == "[field] required property is missing"
    err = build_error({"date": {"field": "d", "formats": "yyyy"}})
    assert err.reason == "[formats] property isn't a list, but of type [java.lang.String]"
    err = build_error({"date": {"field": "d", "formats": ["yyyy"], "foo": 1}})
    assert "doesn't support one or more provided configuration parameters [foo]" in err.reason


def test_invalid_output_format() -> None:
    err = build_error({"date": {"field": "d", "formats": ["yyyy"], "output_format": "x b"}})
    assert err.type == "exception"
    assert err.reason == "java.lang.IllegalArgumentException: invalid output format [x b]"
    assert err.processor_type == "date"
    assert err.caused_by is not None
    assert err.caused_by.reason == "invalid output format [x b]"


# ---------------------------------------------------------- date_index_name


def din(**cfg: Any) -> dict[str, Any]:
    return {"date_index_name": {"field": "d", "date_rounding": "d", **cfg}}


def index_of(processor: dict[str, Any], src: dict[str, Any]) -> str:
    entry = run(processor, src)
    assert "error" not in entry, entry
    value: str = entry["doc"]["_index"]
    return value


def test_index_name_defaults() -> None:
    got = index_of(din(index_name_prefix="events-"), {"d": "2016-04-22T16:32:14.968Z"})
    assert got == "<events-{2016-04-22||/d{yyyy-MM-dd|UTC}}>"


def test_index_name_without_prefix_and_templates() -> None:
    cfg = din(
        index_name_prefix="{{p}}-",
        date_rounding="{{r}}",
        index_name_format="{{f}}",
        date_formats=["UNIX_MS"],
    )
    got = index_of(cfg, {"d": 1000, "p": "logs", "r": "M", "f": "yyyy-MM"})
    assert got == "<logs-{1970-01||/M{yyyy-MM|UTC}}>"


def test_index_name_timezone() -> None:
    cfg = din(timezone="Europe/Amsterdam", date_formats=["ISO8601"])
    got = index_of(cfg, {"d": "2016-04-22T23:32:14Z"})
    assert got == "<{2016-04-23||/d{yyyy-MM-dd|Europe/Amsterdam}}>"
    cfg = din(timezone="+01:00", date_formats=["ISO8601"])
    assert index_of(cfg, {"d": "2016-04-22T23:32:14Z"}) == "<{2016-04-23||/d{yyyy-MM-dd|+01:00}}>"


def test_index_name_last_matching_format_wins() -> None:
    cfg = din(date_formats=["yyyy-MM-dd", "ISO8601", "UNIX"])
    assert index_of(cfg, {"d": "2016-04-22"}) == "<{2016-04-22||/d{yyyy-MM-dd|UTC}}>"


def test_index_name_parse_error() -> None:
    err = error(din(), {"d": "2016-04-22"})
    assert err["reason"] == "unable to parse date [2016-04-22]"
    assert err["caused_by"]["reason"] == (
        "failed to parse date field [2016-04-22] with format [yyyy-MM-dd'T'HH:mm:ss.SSSXX]"
    )


def test_index_name_config_errors() -> None:
    err = build_error({"date_index_name": {"field": "d"}})
    assert err.reason == "[date_rounding] required property is missing"
    err = build_error({"date_index_name": {"date_rounding": "d"}})
    assert err.reason == "[field] required property is missing"
    err = build_error(din(timezone="Nowhere/Land"))
    assert err.type == "exception"
    assert err.reason == "java.time.zone.ZoneRulesException: Unknown time-zone ID: Nowhere/Land"
    err = build_error(din(locale="en_US"))
    assert err.reason == (
        "java.lang.IllegalArgumentException: Invalid language tag specified: en_US"
    )
    err = build_error(din(date_formats=["yyyy b"]))
    assert err.caused_by is not None
    assert err.caused_by.reason == "Invalid format: [yyyy b]: Unknown pattern letter: b"


def test_locale_template_with_too_many_parts_fails_the_document() -> None:
    cfg = date(formats=["yyyy"], locale="{{loc}}")
    assert source(cfg, {"d": "2020", "loc": "en_US"})["@timestamp"] == "2020-01-01T00:00:00.000Z"
    err = error(cfg, {"d": "2020", "loc": "a_b_c_d"})
    assert err["reason"] == "unable to parse date [2020]"
    assert err["caused_by"] == {
        "type": "illegal_argument_exception",
        "reason": "Locales can have at most 3 parts but got 4: a_b_c_d",
    }
