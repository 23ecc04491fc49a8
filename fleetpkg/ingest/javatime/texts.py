"""Locale texts the formatter needs: month/day names, AM/PM, eras, zone abbreviations."""

from __future__ import annotations

MONTHS_FULL = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DAYS_FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# field -> style -> (text per value, first value)
FULL, SHORT, NARROW = "full", "short", "narrow"


def _styles(full: tuple[str, ...], short_len: int = 3) -> dict[str, tuple[str, ...]]:
    return {
        FULL: full,
        SHORT: tuple(n[:short_len] for n in full),
        NARROW: tuple(n[0] for n in full),
    }


TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "month": _styles(MONTHS_FULL),
    "dow": _styles(DAYS_FULL),
    "ampm": {FULL: ("AM", "PM"), SHORT: ("AM", "PM"), NARROW: ("a", "p")},
    "era": {FULL: ("Before Christ", "Anno Domini"), SHORT: ("BC", "AD"), NARROW: ("B", "A")},
    "quarter": {
        FULL: ("1st quarter", "2nd quarter", "3rd quarter", "4th quarter"),
        SHORT: ("Q1", "Q2", "Q3", "Q4"),
        NARROW: ("1", "2", "3", "4"),
    },
}

# Value of the first text of each field (month 1, day-of-week 1 = Monday, AM = 0, BC = 0).
FIRST_VALUE = {"month": 1, "dow": 1, "ampm": 0, "era": 0, "quarter": 1}

# Zone abbreviations Java's zone-text parser knows, mapped to a zone with those rules.
ZONE_ABBREVIATIONS: dict[str, str] = {
    "UTC": "UTC",
    "GMT": "GMT",
    "UT": "UTC",
    "Z": "UTC",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata",
    "MSK": "Europe/Moscow",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide",
    "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
}

# Full zone names for ``zzzz`` (standard, daylight) of the common zones.
ZONE_FULL_NAMES: dict[str, tuple[str, str]] = {
    "UTC": ("Coordinated Universal Time", "Coordinated Universal Time"),
    "GMT": ("Greenwich Mean Time", "Greenwich Mean Time"),
    "CET": ("Central European Standard Time", "Central European Summer Time"),
    "CEST": ("Central European Standard Time", "Central European Summer Time"),
    "EET": ("Eastern European Standard Time", "Eastern European Summer Time"),
    "EEST": ("Eastern European Standard Time", "Eastern European Summer Time"),
    "EST": ("Eastern Standard Time", "Eastern Daylight Time"),
    "EDT": ("Eastern Standard Time", "Eastern Daylight Time"),
    "CST": ("Central Standard Time", "Central Daylight Time"),
    "CDT": ("Central Standard Time", "Central Daylight Time"),
    "MST": ("Mountain Standard Time", "Mountain Daylight Time"),
    "MDT": ("Mountain Standard Time", "Mountain Daylight Time"),
    "PST": ("Pacific Standard Time", "Pacific Daylight Time"),
    "PDT": ("Pacific Standard Time", "Pacific Daylight Time"),
    "JST": ("Japan Standard Time", "Japan Daylight Time"),
}
