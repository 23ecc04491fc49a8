"""registered_domain processor: public suffix list semantics as ES's matcher applies them."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest.processors.network_domain import domain_info, domain_root


def parse(fqdn: Any, **options: Any) -> Any:
    config = {"field": "d", "target_field": "out", **options}
    return run_one([{"registered_domain": config}], {"d": fqdn})


@pytest.mark.parametrize(
    ("fqdn", "expected"),
    [
        (
            "www.google.com",
            {
                "domain": "www.google.com",
                "registered_domain": "google.com",
                "top_level_domain": "com",
                "subdomain": "www",
            },
        ),
        (
            "example.com",
            {
                "domain": "example.com",
                "registered_domain": "example.com",
                "top_level_domain": "com",
            },
        ),
        ("com", {"domain": "com", "top_level_domain": "com"}),
        (
            "www.books.amazon.co.uk",
            {
                "domain": "www.books.amazon.co.uk",
                "registered_domain": "amazon.co.uk",
                "top_level_domain": "co.uk",
                "subdomain": "www.books",
            },
        ),
        (
            "www.example.ac.uk",
            {
                "domain": "www.example.ac.uk",
                "registered_domain": "example.ac.uk",
                "top_level_domain": "ac.uk",
                "subdomain": "www",
            },
        ),
    ],
)
def test_valid_domains(fqdn: str, expected: dict[str, str]) -> None:
    assert parse(fqdn) == {"d": fqdn, "out": expected}


@pytest.mark.parametrize("fqdn", ["foo.bar.baz", "123", "", ".com.", "foo."])
def test_unmatchable_leaves_doc_alone(fqdn: str) -> None:
    assert parse(fqdn) == {"d": fqdn}
    err = parse(fqdn, ignore_missing=False)
    assert err["reason"] == "unable to set domain information for document"


def test_missing_field() -> None:
    assert run_one([{"registered_domain": {"field": "d"}}], {}) == {}
    err = run_one([{"registered_domain": {"field": "d", "ignore_missing": False}}], {})
    assert err["reason"] == "field [d] not present as part of path [d]"


def test_default_target_is_root() -> None:
    out = run_one([{"registered_domain": {"field": "d"}}], {"d": "a.example.org"})
    assert out == {
        "d": "a.example.org",
        "domain": "a.example.org",
        "registered_domain": "example.org",
        "top_level_domain": "org",
        "subdomain": "a",
    }


def test_matching_is_case_insensitive_but_keeps_input() -> None:
    info = domain_info("WWW.Google.COM")
    assert info == {
        "domain": "WWW.Google.COM",
        "registered_domain": "google.com",
        "top_level_domain": "com",
    }


def test_wildcard_exception_and_private_rules() -> None:
    assert domain_root("foo.bar.ck") == "foo.bar.ck"  # *.ck makes bar.ck a suffix
    assert domain_root("www.ck") == "www.ck"  # !www.ck exception
    assert domain_root("foo.blogspot.com") == "blogspot.com"  # private rule returns the rule
    assert domain_root("xn--fiqs8s") is None  # punycode label of an IDN TLD


def test_non_string_value() -> None:
    err = parse(12)
    assert (
        err["reason"]
        == "field [d] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
    )
