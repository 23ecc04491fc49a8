"""java.time values written into ctx are rendered as ES's XContentBuilder writes them."""

from __future__ import annotations

from typing import Any

from fleetpkg.ingest import simulate


def _script(source: str) -> Any:
    request = {
        "pipeline": {"processors": [{"script": {"source": source}}]},
        "docs": [{"_source": {}}],
    }
    return simulate(request)["docs"][0]["doc"]["_source"]


def test_zoned_date_time_gets_at_least_millis() -> None:
    out = _script("ctx.b = ZonedDateTime.parse('2018-10-10T12:35:00Z')")
    assert out == {"b": "2018-10-10T12:35:00.000Z"}


def test_fraction_digits_offsets_and_instants() -> None:
    out = _script(
        "ctx.b = ZonedDateTime.parse('2018-10-10T12:35:00.123456Z');"
        " ctx.c = ZonedDateTime.parse('2018-10-10T12:35:00.1234567+02:00');"
        " ctx.d = Instant.ofEpochMilli(1500000000000L);"
        " ctx.l = [Instant.ofEpochSecond(0)];"
        " ctx.m = ['z': ZonedDateTime.parse('2018-10-10T12:35:00Z')];"
    )
    assert out == {
        "b": "2018-10-10T12:35:00.123456Z",
        "c": "2018-10-10T12:35:00.1234567+02:00",
        "d": "2017-07-14T02:40:00.000Z",
        "l": ["1970-01-01T00:00:00.000Z"],
        "m": {"z": "2018-10-10T12:35:00.000Z"},
    }


def test_local_values_duration_and_to_string_unchanged() -> None:
    out = _script(
        "ctx.f = LocalDateTime.of(2020, 1, 2, 3, 4); ctx.g = LocalDate.of(2020, 1, 2);"
        " ctx.h = Duration.ofHours(2);"
        " ctx.s = '' + ZonedDateTime.parse('2018-10-10T12:35:00Z');"
        " ctx.t = ZonedDateTime.parse('2018-10-10T12:35:00Z').toString();"
    )
    assert out == {
        "f": "2020-01-02T03:04:00.000",
        "g": "2020-01-02",
        "h": "PT2H",
        "s": "2018-10-10T12:35Z",
        "t": "2018-10-10T12:35Z",
    }


def _error(source: str) -> Any:
    request = {
        "pipeline": {"processors": [{"script": {"source": source}}]},
        "docs": [{"_source": {}}],
    }
    return simulate(request)["docs"][0]["error"]["caused_by"]


def test_invalid_dates_fail_with_javas_messages() -> None:
    assert _error("ZonedDateTime.of(2018, 2, 30, 0, 0, 0, 0, ZoneOffset.UTC)") == {
        "type": "date_time_exception",
        "reason": "Invalid date 'FEBRUARY 30'",
    }
    assert _error("LocalDate.of(2019, 2, 29)")["reason"] == (
        "Invalid date 'February 29' as '2019' is not a leap year"
    )
    assert _error("LocalDate.of(2018, 13, 1)")["reason"] == (
        "Invalid value for MonthOfYear (valid values 1 - 12): 13"
    )
    assert _error("LocalDateTime.of(2019, 2, 28, 24, 0)")["reason"] == (
        "Invalid value for HourOfDay (valid values 0 - 23): 24"
    )
