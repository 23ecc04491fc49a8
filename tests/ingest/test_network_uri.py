"""uri_parts processor and the uriParts helper: java.net.URI semantics, URL fallback, options."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError
from fleetpkg.ingest.functions import bytes_value, uri_parts, url_decode


def parts(url: str, **options: Any) -> Any:
    out = run_one([{"uri_parts": {"field": "u", **options}}], {"u": url})
    return out.get(options.get("target_field", "url"), out) if "reason" not in out else out


def test_full_url() -> None:
    url = "https://user:pw@testing.google.com:8080/foo/bar.txt?foo1=bar1&foo2=bar2#anchorVal"
    assert parts(url) == {
        "original": url,
        "scheme": "https",
        "domain": "testing.google.com",
        "fragment": "anchorVal",
        "path": "/foo/bar.txt",
        "extension": "txt",
        "port": 8080,
        "username": "user",
        "password": "pw",
        "user_info": "user:pw",
        "query": "foo1=bar1&foo2=bar2",
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.example.com", {"scheme": "http", "domain": "www.example.com", "path": ""}),
        ("http://www.example.com/", {"scheme": "http", "domain": "www.example.com", "path": "/"}),
        ("http://a.com/x.y/z", {"scheme": "http", "domain": "a.com", "path": "/x.y/z"}),
        (
            "http://a.com/p.tar.gz",
            {"scheme": "http", "domain": "a.com", "path": "/p.tar.gz", "extension": "gz"},
        ),
        (
            "http://a.com/a%20b.txt",
            {"scheme": "http", "domain": "a.com", "path": "/a b.txt", "extension": "txt"},
        ),
        (
            "http://a.com/?q=a%26b",
            {"scheme": "http", "domain": "a.com", "path": "/", "query": "q=a&b"},
        ),
        (
            "http://user@a.com/",
            {"scheme": "http", "domain": "a.com", "path": "/", "user_info": "user"},
        ),
        (
            "http://[::1]:9200/_x",
            {"scheme": "http", "domain": "[::1]", "path": "/_x", "port": 9200},
        ),
        ("http://10.1.2.3:80/", {"scheme": "http", "domain": "10.1.2.3", "path": "/", "port": 80}),
        (
            "foo/bar.txt",
            {"scheme": None, "domain": None, "path": "foo/bar.txt", "extension": "txt"},
        ),
        ("bar.txt", {"scheme": None, "domain": None, "path": "bar.txt"}),
        ("mailto:x@example.com", {"scheme": "mailto", "domain": None}),
        ("http://exa_mple.com/p", {"scheme": "http", "domain": None, "path": "/p"}),
        (
            "http://www.google.com/path with spaces",
            {"scheme": "http", "domain": "www.google.com", "path": "/path with spaces"},
        ),
        (
            "http://a.com/x|y?a b#c d",
            {
                "scheme": "http",
                "domain": "a.com",
                "path": "/x|y",
                "query": "a b",
                "fragment": "c d",
            },
        ),
    ],
)
def test_uri_shapes(url: str, expected: dict[str, Any]) -> None:
    assert uri_parts(url) == expected
    assert parts(url) == {**expected, "original": url}


@pytest.mark.parametrize("url", ["not a url", "1http://x", "C:\\path", "unknown:a b", ":x"])
def test_unparseable(url: str) -> None:
    err = parts(url)
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == f"unable to parse URI [{url}]"
    with pytest.raises(IngestError, match="unable to parse URI"):
        uri_parts(url)


def test_keep_original_false_and_target() -> None:
    out = run_one(
        [{"uri_parts": {"field": "u", "target_field": "t", "keep_original": False}}],
        {"u": "http://a.com/"},
    )
    assert out == {"u": "http://a.com/", "t": {"scheme": "http", "domain": "a.com", "path": "/"}}


def test_remove_if_successful() -> None:
    out = run_one([{"uri_parts": {"field": "u", "remove_if_successful": True}}], {"u": "http://a"})
    assert out == {"url": {"scheme": "http", "domain": "a", "path": "", "original": "http://a"}}
    err = run_one([{"uri_parts": {"field": "u", "remove_if_successful": True}}], {"u": "a b"})
    assert err["reason"] == "unable to parse URI [a b]"
    same = run_one(
        [{"uri_parts": {"field": "u", "target_field": "u", "remove_if_successful": True}}],
        {"u": "http://a"},
    )
    assert same["u"]["original"] == "http://a"


def test_missing_field_and_ignore_missing() -> None:
    err = run_one([{"uri_parts": {"field": "u"}}], {})
    assert err["reason"] == "field [u] not present as part of path [u]"
    assert run_one([{"uri_parts": {"field": "u", "ignore_missing": True}}], {}) == {}
    assert run_one([{"uri_parts": {"field": "u", "ignore_missing": True}}], {"u": None}) == {
        "u": None
    }
    err = run_one([{"uri_parts": {"field": "u"}}], {"u": 3})
    assert (
        err["reason"]
        == "field [u] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
    )


def test_helper_returns_fresh_dicts() -> None:
    first = uri_parts("http://a.com/x")
    first["domain"] = "changed"
    assert uri_parts("http://a.com/x")["domain"] == "a.com"


def test_painless_helper_functions() -> None:
    assert bytes_value("1kb") == 1024
    assert url_decode("foo%20bar") == "foo bar"
    assert uri_parts("https://elastic.co/a/b.html?x=1") == {
        "scheme": "https",
        "domain": "elastic.co",
        "path": "/a/b.html",
        "extension": "html",
        "query": "x=1",
    }
