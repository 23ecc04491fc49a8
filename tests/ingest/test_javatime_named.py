"""Tests of ES named date formats, zone ids and the ingest format kinds (UNIX, TAI64N…)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from fleetpkg.ingest.javatime import (
    FormatParseError,
    JavaTimeError,
    NumberFormatError,
    ZoneRulesError,
    format_java_date,
    parse_java_date_ns,
    zone_id,
    zone_of,
)
from fleetpkg.ingest.javatime.ingest_formats import (
    NullPointerError,
    StringIndexError,
    date_parser,
    double_to_long,
    java_parse_double,
    java_parse_long,
)

ISO_NANOS = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX"


def iso(text: str, fmt: str) -> str:
    return format_java_date(parse_java_date_ns(text, fmt), ISO_NANOS)


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("2020-01-01T10:00:00.123456789+01:00", "strict_date_optional_time",
         "2020-01-01T10:00:00.123456789+01:00"),
        ("2020-01-01T10:00:00Z", "strict_date_optional_time", "2020-01-01T10:00:00.000000000Z"),
        ("2020-01-01T10:00:00+0100", "strict_date_optional_time",
         "2020-01-01T10:00:00.000000000+01:00"),
        ("2020-01-01T10:00:00Europe/Paris", "strict_date_optional_time",
         "2020-01-01T10:00:00.000000000+01:00"),
        ("2020-01-01T10", "strict_date_optional_time", "2020-01-01T10:00:00.000000000Z"),
        ("2020-01", "strict_date_optional_time", "2020-01-01T00:00:00.000000000Z"),
        ("2020", "strict_date_optional_time", "2020-01-01T00:00:00.000000000Z"),
        ("2020-01-01T10:00:00,5", "iso8601", "2020-01-01T10:00:00.500000000Z"),
        ("2020-1-2T3:4:5", "date_optional_time", "2020-01-02T03:04:05.000000000Z"),
        ("2020-01-01T10:00:00.123456789Z", "strict_date_optional_time_nanos",
         "2020-01-01T10:00:00.123456789Z"),
        ("strictDateOptionalTime", None, None),
        ("1577836800000", "epoch_millis", "2020-01-01T00:00:00.000000000Z"),
        ("1577836800000.123456", "epoch_millis", "2020-01-01T00:00:00.000123456Z"),
        ("-1", "epoch_millis", "1969-12-31T23:59:59.999000000Z"),
        ("1688548995.987654321", "epoch_second", "2023-07-05T09:23:15.987654321Z"),
        ("20200810", "basic_date", "2020-08-10T00:00:00.000000000Z"),
        ("20200810T101112.123Z", "basic_date_time", "2020-08-10T10:11:12.123000000Z"),
        ("20200810T101112+0200", "basic_date_time_no_millis",
         "2020-08-10T10:11:12.000000000+02:00"),
        ("2020223", "basic_ordinal_date", "2020-08-10T00:00:00.000000000Z"),
        ("2020W331", "basic_week_date", "2020-08-10T00:00:00.000000000Z"),
        ("2020-08-10", "strict_date", "2020-08-10T00:00:00.000000000Z"),
        ("2020-08-10", "date", "2020-08-10T00:00:00.000000000Z"),
        ("2020-08-10T10", "strict_date_hour", "2020-08-10T10:00:00.000000000Z"),
        ("2020-08-10T10:11", "strict_date_hour_minute", "2020-08-10T10:11:00.000000000Z"),
        ("2020-08-10T10:11:12", "strict_date_hour_minute_second", "2020-08-10T10:11:12.000000000Z"),
        ("2020-08-10T10:11:12.5", "strict_date_hour_minute_second_fraction",
         "2020-08-10T10:11:12.500000000Z"),
        ("2020-08-10T10:11:12.123", "strict_date_hour_minute_second_millis",
         "2020-08-10T10:11:12.123000000Z"),
        ("2020-08-10T10:11:12.123+01:00", "strict_date_time",
         "2020-08-10T10:11:12.123000000+01:00"),
        ("2020-08-10T10:11:12Z", "strict_date_time_no_millis", "2020-08-10T10:11:12.000000000Z"),
        ("10:11:12", "strict_hour_minute_second", "1970-01-01T10:11:12.000000000Z"),
        ("10:11:12.123Z", "strict_time", "1970-01-01T10:11:12.123000000Z"),
        ("T10:11:12Z", "strict_t_time_no_millis", "1970-01-01T10:11:12.000000000Z"),
        ("2020-223", "strict_ordinal_date", "2020-08-10T00:00:00.000000000Z"),
        ("2020-W33-1", "strict_week_date", "2020-08-10T00:00:00.000000000Z"),
        ("2020-W33", "strict_weekyear_week", "2020-08-10T00:00:00.000000000Z"),
        ("2020", "strict_year", "2020-01-01T00:00:00.000000000Z"),
        ("2020-08", "strict_year_month", "2020-08-01T00:00:00.000000000Z"),
        ("2020-08-10", "strict_year_month_day", "2020-08-10T00:00:00.000000000Z"),
        ("2020-08-10", "yyyy-MM-dd||epoch_millis", "2020-08-10T00:00:00.000000000Z"),
        ("1000", "yyyy-MM-dd||epoch_millis", "1970-01-01T00:00:01.000000000Z"),
    ],
)  # fmt: skip
def test_named_formats_parse(text: str, fmt: str | None, expected: str | None) -> None:
    if fmt is None:  # camelCase alias
        assert iso("2020-01-01", text) == "2020-01-01T00:00:00.000000000Z"
        return
    assert iso(text, fmt) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("strict_date_optional_time", "2020-07-04T21:05:09.123+02:00"),
        ("iso8601", "2020-07-04T21:05:09.123+02:00"),
        ("strict_date_optional_time_nanos", "2020-07-04T21:05:09.123456+02:00"),
        ("epoch_millis", "1593889509123.456"),
        ("epoch_second", "1593889509.123456"),
        ("basic_date_time", "20200704T210509.123+0200"),
        ("basic_date", "20200704"),
        ("strict_date_time", "2020-07-04T21:05:09.123+02:00"),
        ("strict_date_time_no_millis", "2020-07-04T21:05:09+02:00"),
        ("strict_date", "2020-07-04"),
        ("strict_week_date", "2020-W27-6"),
        ("yyyy.MM.dd||epoch_millis", "2020.07.04"),
    ],
)
def test_named_formats_print(fmt: str, expected: str) -> None:
    dt = datetime(2020, 7, 4, 21, 5, 9, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    assert format_java_date(dt, fmt) == expected


def test_named_format_errors_name_the_format() -> None:
    with pytest.raises(FormatParseError) as info:
        parse_java_date_ns("2020-01-01 10:00", "strict_date_optional_time")
    assert info.value.message == (
        "failed to parse date field [2020-01-01 10:00] with format [strict_date_optional_time]"
    )


def test_strict_named_format_rejects_short_fields() -> None:
    with pytest.raises(FormatParseError):
        parse_java_date_ns("2020-1-1", "strict_date_optional_time")


# -------------------------------------------------------------------- zones


@pytest.mark.parametrize(
    ("text", "expected_id", "offset_hours"),
    [
        ("Z", "Z", 0),
        ("+01:00", "+01:00", 1),
        ("+1", "+01:00", 1),
        ("-0530", "-05:30", -5.5),
        ("+00:00", "Z", 0),
        ("UTC", "UTC", 0),
        ("GMT", "GMT", 0),
        ("UTC+2", "UTC+02:00", 2),
        ("GMT-03:00", "GMT-03:00", -3),
        ("Europe/Amsterdam", "Europe/Amsterdam", 1),
        ("America/New_York", "America/New_York", -5),
    ],
)
def test_zone_of(text: str, expected_id: str, offset_hours: float) -> None:
    zone = zone_of(text)
    assert zone_id(zone) == expected_id
    offset = datetime(2020, 1, 1, tzinfo=zone).utcoffset()
    assert offset is not None
    assert offset.total_seconds() == offset_hours * 3600


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("Mars/Olympus", ZoneRulesError, "Unknown time-zone ID: Mars/Olympus"),
        ("europe/amsterdam", ZoneRulesError, "Unknown time-zone ID: europe/amsterdam"),
        ("+1:00", JavaTimeError, "Invalid ID for ZoneOffset, invalid format: +1:00"),
        ("+19:00", JavaTimeError,
         "Zone offset hours not in valid range: value 19 is not in the range -18 to 18"),
        ("Europe Amsterdam", JavaTimeError,
         "Invalid ID for region-based ZoneId, invalid format: Europe Amsterdam"),
    ],
)  # fmt: skip
def test_zone_of_errors(text: str, error: type[JavaTimeError], message: str) -> None:
    with pytest.raises(error) as info:
        zone_of(text)
    assert info.value.message == message


# ----------------------------------------------------- ingest format kinds


def run(fmt: str, text: str | None, zone: str = "UTC") -> str:
    moment = date_parser(fmt, zone_of(zone))(text)
    return format_java_date(moment, ISO_NANOS)


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("UNIX", "1", "1970-01-01T00:00:01.000000000Z"),
        ("UNIX", "1688548995.987654321", "2023-07-05T09:23:15.987000000Z"),
        ("UNIX", " 1.5 ", "1970-01-01T00:00:01.500000000Z"),
        ("UNIX", "1e3", "1970-01-01T00:16:40.000000000Z"),
        ("UNIX", "-1.5", "1969-12-31T23:59:58.500000000Z"),
        ("UNIX_MS", "1", "1970-01-01T00:00:00.001000000Z"),
        ("UNIX_MS", "-1", "1969-12-31T23:59:59.999000000Z"),
        ("TAI64N", "4000000050d506482dbdf024", "2012-12-22T01:00:46.767000000Z"),
        ("TAI64N", "@4000000050d506482dbdf024", "2012-12-22T01:00:46.767000000Z"),
        ("ISO8601", "2018-02-05T13:44:56.657+0100", "2018-02-05T12:44:56.657000000Z"),
        ("8yyyy-MM-dd", "2018-02-05", "2018-02-05T00:00:00.000000000Z"),
    ],
)
def test_ingest_format_kinds(fmt: str, text: str, expected: str) -> None:
    assert run(fmt, text) == expected


def test_ingest_formats_convert_to_the_zone() -> None:
    assert (
        run("ISO8601", "2010-06-01T00:00:00.000Z", "+01:00")
        == "2010-06-01T01:00:00.000000000+01:00"
    )
    assert run("UNIX", "0", "Europe/Amsterdam") == "1970-01-01T01:00:00.000000000+01:00"
    got = run("yyyy-MM-dd HH:mm Z", "2010-06-01 00:00 +0000", "Europe/Amsterdam")
    assert got == "2010-06-01T02:00:00.000000000+02:00"


def test_missing_year_uses_current_year_and_drops_parsed_zone() -> None:
    year = datetime.now(UTC).year
    assert run("MMM dd HH:mm:ss", "Aug 10 09:45:56") == f"{year}-08-10T09:45:56.000000000Z"
    got = run("MMM dd HH:mm:ss Z", "Aug 10 09:45:56 +0200")
    assert got == f"{year}-08-10T09:45:56.000000000Z"
    assert run("dd/MM", "12/06", "+01:00") == f"{year}-06-12T00:00:00.000000000+01:00"


@pytest.mark.parametrize(
    ("fmt", "text", "error", "message"),
    [
        ("UNIX", "abc", NumberFormatError, 'For input string: "abc"'),
        ("UNIX", "", NumberFormatError, "empty String"),
        ("UNIX", None, NullPointerError, "null"),
        ("UNIX_MS", "1.5", NumberFormatError, 'For input string: "1.5"'),
        ("UNIX_MS", None, NumberFormatError, "Cannot parse null string: null"),
        ("TAI64N", "40000000", StringIndexError, "begin 1, end 16, length 8"),
        ("TAI64N", "4000000050d5064x2dbdf024", NumberFormatError,
         'For input string: "000000050d5064x" under radix 16'),
        ("ISO8601", "nope",
         FormatParseError, "failed to parse date field [nope] with format [iso8601]"),
        ("yyyy", None, FormatParseError, "cannot parse empty datetime"),
    ],
)  # fmt: skip
def test_ingest_format_errors(
    fmt: str, text: str | None, error: type[JavaTimeError], message: str
) -> None:
    with pytest.raises(error) as info:
        run(fmt, text)
    assert info.value.message == message


def test_java_number_helpers() -> None:
    assert java_parse_double("1.5f") == 1.5
    assert java_parse_double("NaN") != java_parse_double("NaN")
    assert double_to_long(float("nan")) == 0
    assert double_to_long(1e300) == 2**63 - 1
    assert double_to_long(-1.9) == -1
    assert java_parse_long("+42") == 42
    with pytest.raises(NumberFormatError):
        java_parse_long("9223372036854775808")


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("2020-1-2", "date", "2020-01-02T00:00:00.000000000Z"),
        ("2020-1-2T3:4:5.6Z", "date_time", "2020-01-02T03:04:05.600000000Z"),
        ("2020-W3-1", "week_date", "2020-01-13T00:00:00.000000000Z"),
        ("2020-5", "ordinal_date", "2020-01-05T00:00:00.000000000Z"),
        ("3:4", "hour_minute", "1970-01-01T03:04:00.000000000Z"),
    ],
)
def test_non_strict_formats_accept_short_fields(text: str, fmt: str, expected: str) -> None:
    assert iso(text, fmt) == expected
    with pytest.raises(FormatParseError):
        parse_java_date_ns(text, "strict_" + fmt)
