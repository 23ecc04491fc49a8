"""Unit tests of the Java DateTimeFormatter pattern engine: parsing, formatting, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from fleetpkg.ingest.javatime import (
    FormatParseError,
    JavaTimeError,
    Moment,
    PatternError,
    compile_formatter,
    format_java_date,
    parse_java_date,
    parse_java_date_ns,
    zone_id,
)

ISO_NANOS = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX"
PARIS = ZoneInfo("Europe/Paris")
SUMMER = datetime(2020, 7, 4, 21, 5, 9, 123456, tzinfo=PARIS)


def iso(text: str, pattern: str, zone: str = "UTC") -> str:
    return format_java_date(parse_java_date_ns(text, pattern, zone=zone), ISO_NANOS)


def parse_error(text: str, pattern: str) -> FormatParseError:
    with pytest.raises(FormatParseError) as info:
        parse_java_date(text, pattern)
    return info.value


# ----------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("12/06/2010", "dd/MM/yyyy", "2010-06-12T00:00:00.000000000Z"),
        ("2010-6-2", "yyyy-M-d", "2010-06-02T00:00:00.000000000Z"),
        ("2010-06-02", "uuuu-MM-dd", "2010-06-02T00:00:00.000000000Z"),
        ("10-06-02", "yy-MM-dd", "2010-06-02T00:00:00.000000000Z"),
        ("99-06-02", "yy-MM-dd", "2099-06-02T00:00:00.000000000Z"),
        ("20200810", "yyyyMMdd", "2020-08-10T00:00:00.000000000Z"),
        ("20200810123456", "yyyyMMddHHmmss", "2020-08-10T12:34:56.000000000Z"),
        ("2020-186", "yyyy-DDD", "2020-07-04T00:00:00.000000000Z"),
        ("2020-33", "YYYY-ww", "2020-08-10T00:00:00.000000000Z"),
        ("2020-33-3", "YYYY-ww-e", "2020-08-12T00:00:00.000000000Z"),
        ("10/Aug/2018:09:45:56 +0200", "dd/MMM/yyyy:H:m:s Z",
         "2018-08-10T09:45:56.000000000+02:00"),
        ("10 August 2018", "dd MMMM yyyy", "2018-08-10T00:00:00.000000000Z"),
        ("Tue, 04 Apr 2017 13:43:09 +0200", "EEE, dd MMM yyyy HH:mm:ss Z",
         "2017-04-04T13:43:09.000000000+02:00"),
        ("Tuesday 2017-04-04", "EEEE yyyy-MM-dd", "2017-04-04T00:00:00.000000000Z"),
        ("2020-01-01 10:00 PM", "yyyy-MM-dd hh:mm a", "2020-01-01T22:00:00.000000000Z"),
        ("2020-01-01 12:00 AM", "yyyy-MM-dd hh:mm a", "2020-01-01T00:00:00.000000000Z"),
        ("2020-01-01 24:00", "yyyy-MM-dd kk:mm", "2020-01-01T00:00:00.000000000Z"),
        ("2020-01-01 11:30 PM", "yyyy-MM-dd KK:mm a", "2020-01-01T23:30:00.000000000Z"),
        ("2020-01-01 10:00:00.1", "yyyy-MM-dd HH:mm:ss.S", "2020-01-01T10:00:00.100000000Z"),
        ("2020-01-01 10:00:00.123", "yyyy-MM-dd HH:mm:ss.SSS", "2020-01-01T10:00:00.123000000Z"),
        ("2020-01-01 10:00:00,123456", "yyyy-MM-dd HH:mm:ss,SSSSSS",
         "2020-01-01T10:00:00.123456000Z"),
        ("2020-01-01 10:00:00.123456789", "yyyy-MM-dd HH:mm:ss.SSSSSSSSS",
         "2020-01-01T10:00:00.123456789Z"),
        ("2020-01-01T10:00:00+05:30", "yyyy-MM-dd'T'HH:mm:ssXXX",
         "2020-01-01T10:00:00.000000000+05:30"),
        ("2020-01-01T10:00:00Z", "yyyy-MM-dd'T'HH:mm:ssXXX", "2020-01-01T10:00:00.000000000Z"),
        ("2020-01-01T10:00:00-0130", "yyyy-MM-dd'T'HH:mm:ssXX",
         "2020-01-01T10:00:00.000000000-01:30"),
        ("2020-01-01T10:00:00+01", "yyyy-MM-dd'T'HH:mm:ssX", "2020-01-01T10:00:00.000000000+01:00"),
        ("2020-01-01T10:00:00+0130", "yyyy-MM-dd'T'HH:mm:ssX",
         "2020-01-01T10:00:00.000000000+01:30"),
        ("2020-01-01T10:00:00+00", "yyyy-MM-dd'T'HH:mm:ssx", "2020-01-01T10:00:00.000000000Z"),
        ("2020-01-01T10:00:00+0000", "yyyy-MM-dd'T'HH:mm:ssZ", "2020-01-01T10:00:00.000000000Z"),
        ("2020-01-01T10:00:00GMT+2", "yyyy-MM-dd'T'HH:mm:ssO",
         "2020-01-01T10:00:00.000000000+02:00"),
        ("2020-01-01T10:00:00GMT-05:00", "yyyy-MM-dd'T'HH:mm:ssZZZZ",
         "2020-01-01T10:00:00.000000000-05:00"),
        ("2020-01-01 10:00:00 PST", "yyyy-MM-dd HH:mm:ss z", "2020-01-01T10:00:00.000000000-08:00"),
        ("2020-07-01 10:00:00 CEST", "yyyy-MM-dd HH:mm:ss z",
         "2020-07-01T10:00:00.000000000+02:00"),
        ("2020-07-01 10:00:00 Europe/Paris", "yyyy-MM-dd HH:mm:ss VV",
         "2020-07-01T10:00:00.000000000+02:00"),
        ("2020-07-01 10:00:00 UTC", "yyyy-MM-dd HH:mm:ss VV", "2020-07-01T10:00:00.000000000Z"),
        ("2020-07-01 10:00:00 GMT+01:00", "yyyy-MM-dd HH:mm:ss VV",
         "2020-07-01T10:00:00.000000000+01:00"),
        ("2020-07-01 10:00:00 +03:00", "yyyy-MM-dd HH:mm:ss VV",
         "2020-07-01T10:00:00.000000000+03:00"),
        ("AD 2020-07-01", "G yyyy-MM-dd", "2020-07-01T00:00:00.000000000Z"),
        ("2020-07-01 'T'", "yyyy-MM-dd '''T'''", "2020-07-01T00:00:00.000000000Z"),
        ("2020-07-01T10", "yyyy-MM-dd'T'HH", "2020-07-01T10:00:00.000000000Z"),
        ("2020-07-01", "yyyy-MM-dd[ HH:mm]", "2020-07-01T00:00:00.000000000Z"),
        ("2020-07-01 10:30", "yyyy-MM-dd[ HH:mm]", "2020-07-01T10:30:00.000000000Z"),
        ("2020-07", "yyyy[-MM[-dd]]", "2020-07-01T00:00:00.000000000Z"),
        ("2020", "yyyy", "2020-01-01T00:00:00.000000000Z"),
        ("2020-07", "yyyy-MM", "2020-07-01T00:00:00.000000000Z"),
        ("10:15:30", "HH:mm:ss", "1970-01-01T10:15:30.000000000Z"),
        ("36930000", "A", "1970-01-01T10:15:30.000000000Z"),
        ("2020-07-01 5", "yyyy-MM-dd n", "2020-07-01T00:00:00.000000000Z"),
    ],
)  # fmt: skip
def test_parse_patterns(text: str, pattern: str, expected: str) -> None:
    assert iso(text, pattern) == expected


def test_zone_applies_to_local_inputs_only() -> None:
    assert (
        iso("12/06/2010", "dd/MM/yyyy", "Europe/Amsterdam") == "2010-06-12T00:00:00.000000000+02:00"
    )
    zoned = iso("2010-06-12 00:00 +0000", "yyyy-MM-dd HH:mm Z", "Europe/Amsterdam")
    assert zoned == "2010-06-12T00:00:00.000000000Z"


def test_dst_gap_moves_forward_and_overlap_takes_earlier_offset() -> None:
    gap = iso("2021-03-28 02:30:00", "yyyy-MM-dd HH:mm:ss", "Europe/Amsterdam")
    assert gap == "2021-03-28T03:30:00.000000000+02:00"
    overlap = iso("2021-10-31 02:30:00", "yyyy-MM-dd HH:mm:ss", "Europe/Amsterdam")
    assert overlap == "2021-10-31T02:30:00.000000000+02:00"


def test_parse_java_date_returns_aware_datetime_with_micros() -> None:
    dt = parse_java_date("2020-01-01 10:00:00.123456789", "yyyy-MM-dd HH:mm:ss.SSSSSSSSS")
    assert dt == datetime(2020, 1, 1, 10, 0, 0, 123456, tzinfo=UTC)
    moment = parse_java_date_ns("2020-01-01 10:00:00.123456789", "yyyy-MM-dd HH:mm:ss.SSSSSSSSS")
    assert moment.nano == 123456789


def test_parse_with_zone_object() -> None:
    dt = parse_java_date("2020-01-01 10:00", "yyyy-MM-dd HH:mm", zone=PARIS)
    assert dt.utcoffset() == timedelta(hours=1)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("text", "pattern", "detail"),
    [
        ("x", "yyyy", "Text 'x' could not be parsed at index 0"),
        ("2020-01-01x", "yyyy-MM-dd",
         "Text '2020-01-01x' could not be parsed, unparsed text found at index 10"),
        ("2020-1-01", "yyyy-MM-dd", "Text '2020-1-01' could not be parsed at index 5"),
        ("2020-13-01", "yyyy-MM-dd",
         "Text '2020-13-01' could not be parsed: Invalid value for MonthOfYear (valid values 1 "
          "- 12): 13"),
        ("2020-02-30", "uuuu-MM-dd",
         "Text '2020-02-30' could not be parsed: Invalid date 'FEBRUARY 30'"),
        ("2019-02-29", "uuuu-MM-dd",
         "Text '2019-02-29' could not be parsed: Invalid date 'February 29' as '2019' is not a "
          "leap year"),
        ("2019-366", "uuuu-DDD",
         "Text '2019-366' could not be parsed: Invalid date 'DayOfYear 366' as '2019' is not a "
          "leap year"),
        ("2020-01-01 25:00", "yyyy-MM-dd HH:mm",
         "Text '2020-01-01 25:00' could not be parsed: Invalid value for HourOfDay (valid "
          "values 0 - 23): 25"),
        ("Wed, 04 Apr 2017", "EEE, dd MMM uuuu",
         "Text 'Wed, 04 Apr 2017' could not be parsed: Conflict found: Field DayOfWeek 2 "
          "differs from "
         "DayOfWeek 3 derived from 2017-04-04"),
        ("aug 2020", "MMM yyyy", "Text 'aug 2020' could not be parsed at index 0"),
        ("2020-01-01T10:00:00Z", "yyyy-MM-dd'T'HH:mm:ssZ",
         "Text '2020-01-01T10:00:00Z' could not be parsed at index 19"),
        ("2020-01-01T10:00:00+01", "yyyy-MM-dd'T'HH:mm:ssXXX",
         "Text '2020-01-01T10:00:00+01' could not be parsed at index 19"),
        ("2020-01-01 10:00:00.12", "yyyy-MM-dd HH:mm:ss.SSS",
         "Text '2020-01-01 10:00:00.12' could not be parsed at index 20"),
    ],
)  # fmt: skip
def test_parse_errors(text: str, pattern: str, detail: str) -> None:
    err = parse_error(text, pattern)
    assert err.message == f"failed to parse date field [{text}] with format [{pattern}]"
    assert err.java_type == "illegal_argument_exception"
    assert err.cause is not None
    assert err.cause.java_type == "date_time_parse_exception"
    assert err.cause.message == detail


@pytest.mark.parametrize(
    ("text", "pattern", "message"),
    [
        ("2020-02-30", "yyyy-MM-dd", "Invalid date 'FEBRUARY 30'"),
        ("2019-02-29", "yyyy-MM-dd", "Invalid date 'February 29' as '2019' is not a leap year"),
        ("2019-366", "yyyy-DDD", "Invalid date 'DayOfYear 366' as '2019' is not a leap year"),
    ],
)
def test_year_of_era_dates_are_built_by_es(text: str, pattern: str, message: str) -> None:
    # java.time leaves year-of-era without an era unresolved; ES builds the date itself,
    # so the failure is a plain DateTimeException, not a formatter parse error.
    with pytest.raises(JavaTimeError) as info:
        parse_java_date(text, pattern)
    assert type(info.value) is JavaTimeError
    assert info.value.java_type == "date_time_exception"
    assert info.value.message == message


def test_year_of_era_dates_skip_the_day_of_week_check() -> None:
    assert iso("Wed, 04 Apr 2017", "EEE, dd MMM yyyy") == "2017-04-04T00:00:00.000000000Z"


def test_era_makes_java_resolve_the_date() -> None:
    err = parse_error("AD 2019-02-29", "G yyyy-MM-dd")
    assert err.cause is not None
    assert err.cause.message.endswith("Invalid date 'February 29' as '2019' is not a leap year")


def test_empty_input() -> None:
    err = parse_error("", "yyyy")
    assert err.message == "cannot parse empty datetime"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("yyyy-MM-dd b", "Unknown pattern letter: b"),
        ("ddd", "Too many pattern letters: d"),
        ("HHH", "Too many pattern letters: H"),
        ("MMMMMM", "Too many pattern letters: M"),
        ("aa", "Too many pattern letters: a"),
        ("zzzzz", "Too many pattern letters: z"),
        ("XXXXXX", "Too many pattern letters: X"),
        ("V", "Pattern letter count must be 2: V"),
        ("OO", "Pattern letter count must be 1 or 4: O"),
        ("yyyy]", "Pattern invalid as it contains ] without previous ["),
        ("yyyy{", "Pattern includes reserved character: '{'"),
        ("yyyy#", "Pattern includes reserved character: '#'"),
        ("yyyy 'abc", "Pattern ends with an incomplete string literal: yyyy 'abc"),
    ],
)
def test_invalid_patterns(pattern: str, message: str) -> None:
    with pytest.raises(PatternError) as info:
        compile_formatter(pattern)
    assert info.value.message == f"Invalid format: [{pattern}]: {message}"


def test_no_pattern() -> None:
    with pytest.raises(PatternError) as info:
        compile_formatter("")
    assert info.value.message == "No date pattern provided"


# --------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-07-04T21:05:09.123+02:00"),
        ("EEEE, MMMM d, yyyy h:mm a z", "Saturday, July 4, 2020 9:05 PM CEST"),
        ("EEE MMM dd HH:mm:ss zzzz yyyy", "Sat Jul 04 21:05:09 Central European Summer Time 2020"),
        ("EEEEE MMMMM", "S J"),
        ("yy-M-d H:m:s.S", "20-7-4 21:5:9.1"),
        ("uuuu-DDD", "2020-186"),
        ("D DD", "186 186"),
        ("YYYY-ww-e", "2020-27-6"),
        ("xxx xx x XXX X Z ZZZZ ZZZZZ", "+02:00 +0200 +02 +02:00 +02 +0200 GMT+02:00 +02:00"),
        ("O OOOO VV", "GMT+2 GMT+02:00 Europe/Paris"),
        ("G GGGG yyyy QQQ QQQQ Q", "AD Anno Domini 2020 Q3 3rd quarter 3"),
        ("'quoted''s' yyyy ''", "quoted's 2020 '"),
        ("yyyy[-MM[-dd]]", "2020-07-04"),
        ("k K h H a", "21 9 9 21 PM"),
        ("n N A", "123456000 75909123456000 75909123"),
        ("SSSSSSSSS SSSSSS SS", "123456000 123456 12"),
        ("W", "1"),
    ],
)
def test_format_patterns(pattern: str, expected: str) -> None:
    assert format_java_date(SUMMER, pattern) == expected


def test_format_utc_offsets() -> None:
    utc = datetime(2020, 1, 1, tzinfo=UTC)
    assert (
        format_java_date(utc, "XXX|XX|X|xxx|xx|x|Z|ZZZZ|O")
        == "Z|Z|Z|+00:00|+0000|+00|+0000|GMT|GMT"
    )


def test_format_offset_with_minutes_and_seconds() -> None:
    odd = datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=-5, minutes=-30)))
    assert format_java_date(odd, "X|XXXXX|O") == "-0530|-05:30|GMT-5:30"


def test_format_keeps_nanos_from_moment() -> None:
    moment = Moment(datetime(2020, 1, 1, tzinfo=UTC), 987654321)
    assert format_java_date(moment, "ss.SSSSSSSSS") == "00.987654321"
    assert format_java_date(moment, "ss.SSS") == "00.987"


def test_format_midnight_and_noon_clock_hours() -> None:
    midnight = datetime(2020, 1, 1, 0, 0, tzinfo=UTC)
    noon = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
    assert format_java_date(midnight, "h a k K") == "12 AM 24 0"
    assert format_java_date(noon, "h a k K") == "12 PM 12 0"


@pytest.mark.parametrize(
    "pattern",
    [
        "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        "dd/MMM/yyyy:HH:mm:ss Z",
        "EEE, dd MMM yyyy HH:mm:ss.SSSSSSSSS xx",
        "yyyyMMddHHmmssSSS",
        "uuuu-DDD'T'HH:mm:ssO",
        "yyyy-MM-dd hh:mm:ss a VV",
        "MMMM d yyyy H:m:s.SSSSSS XXXXX",
    ],
)
def test_round_trip(pattern: str) -> None:
    text = format_java_date(SUMMER, pattern)
    back = parse_java_date(text, pattern, zone=PARIS)
    assert back == SUMMER.replace(microsecond=back.microsecond)
    assert format_java_date(back, pattern) == text


def test_formatter_cache_returns_same_object() -> None:
    assert compile_formatter("yyyy-MM-dd") is compile_formatter("yyyy-MM-dd")


def test_zone_id_of_parsed_offsets() -> None:
    assert zone_id(parse_java_date("2020 +01:00", "yyyy XXX").tzinfo) == "+01:00"
    assert zone_id(parse_java_date("2020 Z", "yyyy XXX").tzinfo) == "Z"
