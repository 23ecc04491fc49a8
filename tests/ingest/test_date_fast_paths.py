"""Date fast paths (default output printer, UNIX_MS digits, UTC instants) vs the general code."""

from __future__ import annotations

import random
from datetime import UTC as PY_UTC
from datetime import datetime, timedelta

import pytest
from ingest_helpers import run

from fleetpkg.ingest.javatime import UTC, Moment, compile_formatter, zone_of
from fleetpkg.ingest.javatime.errors import NumberFormatError
from fleetpkg.ingest.javatime.fast import DEFAULT_INGEST_OUTPUT, fast_printer, print_default_utc
from fleetpkg.ingest.javatime.ingest_formats import java_parse_long, parse_unix_ms
from fleetpkg.ingest.javatime.resolve import instant_moment


def _moments() -> list[Moment]:
    rng = random.Random(7)
    out = []
    for year in (1, 9, 99, 999, 1000, 1969, 1970, 2000, 2024, 9999):
        out.append(Moment(datetime(year, 1, 1, tzinfo=UTC), 0))
        out.append(Moment(datetime(year, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), 999_999_999))
    for _ in range(300):
        seconds = rng.randrange(-60_000_000_000, 250_000_000_000)
        nano = rng.randrange(10**9)
        out.append(instant_moment(seconds, nano, UTC))
    return out


def test_default_printer_matches_general_formatter() -> None:
    general = compile_formatter(DEFAULT_INGEST_OUTPUT)
    for moment in _moments():
        assert print_default_utc(moment) == general.format(moment)


def test_default_printer_declines_other_offsets() -> None:
    zoned = instant_moment(1_700_000_000, 5_000_000, zone_of("+02:00"))
    assert print_default_utc(zoned) is None
    assert compile_formatter(DEFAULT_INGEST_OUTPUT).format(zoned) == "2023-11-15T00:13:20.005+02:00"
    python_utc = Moment(datetime(2024, 2, 29, 1, 2, 3, 4000, tzinfo=PY_UTC), 4_000_000)
    assert print_default_utc(python_utc) == "2024-02-29T01:02:03.004Z"
    assert fast_printer(DEFAULT_INGEST_OUTPUT) is print_default_utc
    assert fast_printer("yyyy-MM-dd") is None


def test_instant_moment_utc_matches_astimezone() -> None:
    for seconds, nano in (
        (0, 0),
        (-1, 999_999_999),
        (1_700_000_000, 123_456_789),
        (253402300799, 1),
    ):
        fast = instant_moment(seconds, nano, UTC)
        slow = (
            datetime(1970, 1, 1, tzinfo=PY_UTC) + timedelta(0, seconds, nano // 1000)
        ).astimezone(UTC)
        assert fast.dt == slow
        assert fast.dt.tzinfo is slow.tzinfo
        assert fast.nano == nano
        assert fast.dt.isoformat() == slow.isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("1700000000123", 1700000000123),
        ("999999999999999999", 999999999999999999),
        ("9223372036854775807", 9223372036854775807),
        ("+12", 12),
        ("-12", -12),
        ("007", 7),
    ],
)
def test_java_parse_long_values(text: str, expected: int) -> None:
    assert java_parse_long(text) == expected


@pytest.mark.parametrize("text", ["9223372036854775808", "١٢", "1_000", " 12", "12.0", ""])
def test_java_parse_long_rejects_like_java(text: str) -> None:
    with pytest.raises(NumberFormatError) as e:
        java_parse_long(text)
    assert e.value.message == f'For input string: "{text}"'


def test_unix_ms_values_through_the_processor() -> None:
    out = run(
        [{"date": {"field": "t", "target_field": "o", "formats": ["UNIX_MS"]}}],
        {"t": 1700000000123},
        {"t": "-1"},
        {"t": "١٢"},
        {"t": None},
    )
    assert out[0]["o"] == "2023-11-14T22:13:20.123Z"
    assert out[1]["o"] == "1969-12-31T23:59:59.999Z"
    assert out[2]["reason"] == "unable to parse date [١٢]"
    assert out[2]["caused_by"]["reason"] == 'For input string: "١٢"'
    assert out[3]["reason"] == "unable to parse date [null]"
    assert parse_unix_ms("86400000", UTC).dt == datetime(1970, 1, 2, tzinfo=UTC)


def test_processor_with_timezone_and_bad_format_uses_general_path() -> None:
    out = run(
        [
            {
                "date": {
                    "field": "t",
                    "target_field": "a",
                    "formats": ["UNIX_MS"],
                    "timezone": "+01:00",
                }
            },
            {"date": {"field": "t", "target_field": "b", "formats": ["nonsense{", "UNIX_MS"]}},
            {
                "date": {
                    "field": "t",
                    "target_field": "c",
                    "formats": ["UNIX_MS"],
                    "output_format": "yyyy",
                }
            },
        ],
        {"t": "0"},
    )
    assert out[0] == {
        "t": "0",
        "a": "1970-01-01T01:00:00.000+01:00",
        "b": "1970-01-01T00:00:00.000Z",
        "c": "1970",
    }
