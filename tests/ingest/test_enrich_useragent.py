"""user_agent processor: ES's output shape over the uap-core regexes, options and errors."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError, simulate
from fleetpkg.ingest.processors.enrich_useragent import parse, user_agent_fields

CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 14_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/14.0 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def ua(text: Any, **options: Any) -> Any:
    out = run_one([{"user_agent": {"field": "f", **options}}], {"f": text})
    return out.get(options.get("target_field", "user_agent"), out)


def test_defaults() -> None:
    assert ua(CHROME_MAC) == {
        "name": "Chrome",
        "version": "33.0.1750.149",
        "os": {"name": "Mac OS X", "version": "10.9.2", "full": "Mac OS X 10.9.2"},
        "device": {"name": "Mac"},
        "original": CHROME_MAC,
    }


def test_java_agent_is_a_spider() -> None:
    assert ua("Java/17.0.11") == {
        "name": "Java",
        "version": "17.0.11",
        "device": {"name": "Spider"},
        "original": "Java/17.0.11",
    }


def test_unknown_agent() -> None:
    assert ua("garbage") == {"name": "Other", "device": {"name": "Other"}, "original": "garbage"}


def test_properties_and_target() -> None:
    out = run_one(
        [{"user_agent": {"field": "f", "target_field": "t", "properties": ["os"]}}],
        {"f": CHROME_MAC},
    )
    assert out == {
        "f": CHROME_MAC,
        "t": {"os": {"name": "Mac OS X", "version": "10.9.2", "full": "Mac OS X 10.9.2"}},
    }
    assert ua(CHROME_MAC, properties=["NAME", "version"]) == {
        "name": "Chrome",
        "version": "33.0.1750.149",
    }


@pytest.mark.parametrize(
    ("text", "kind"),
    [(CHROME_MAC, "Desktop"), (IPHONE, "Phone"), (GOOGLEBOT, "Robot"), ("garbage", "Other")],
)
def test_extract_device_type(text: str, kind: str) -> None:
    assert ua(text, extract_device_type=True)["device"]["type"] == kind


def test_mobile_and_bot_shapes() -> None:
    assert ua(IPHONE)["os"] == {"name": "iOS", "version": "14.0", "full": "iOS 14.0"}
    assert ua(IPHONE)["device"] == {"name": "iPhone"}
    bot = ua(GOOGLEBOT)
    assert (bot["name"], bot["version"], bot["device"]) == ("Googlebot", "2.1", {"name": "Spider"})


def test_missing_and_null() -> None:
    err = run_one([{"user_agent": {"field": "f"}}], {})
    assert err["reason"] == "field [f] not present as part of path [f]"
    err = run_one([{"user_agent": {"field": "f"}}], {"f": None})
    assert err["reason"] == "field [f] is null, cannot parse user-agent."
    assert run_one([{"user_agent": {"field": "f", "ignore_missing": True}}], {}) == {}
    err = run_one([{"user_agent": {"field": "f"}}], {"f": 1})
    assert err["reason"].endswith("cannot be cast to [java.lang.String]")


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        (
            {"field": "f", "properties": ["bogus"]},
            "[properties] illegal property value [bogus]. valid values are "
            "[NAME, OS, DEVICE, ORIGINAL, VERSION]",
        ),
        (
            {"field": "f", "regex_file": "x.yml"},
            "[regex_file] regex file [x.yml] doesn't exist (has to exist at node startup)",
        ),
        ({}, "[field] required property is missing"),
    ],
)
def test_config_errors(config: dict[str, Any], reason: str) -> None:
    with pytest.raises(IngestError) as info:
        simulate({"pipeline": {"processors": [{"user_agent": config}]}, "docs": []})
    assert info.value.reason == reason


def test_parse_is_cached() -> None:
    assert parse(CHROME_MAC) is parse(CHROME_MAC)
    first = user_agent_fields(CHROME_MAC)
    first["os"]["name"] = "changed"
    assert user_agent_fields(CHROME_MAC)["os"]["name"] == "Mac OS X"
