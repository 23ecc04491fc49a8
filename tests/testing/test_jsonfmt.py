"""Expected files are written the way elastic-package formats them."""

from __future__ import annotations

import json

from fleetpkg.testing.jsonfmt import escape_html, format_json


def test_indent_sorted_keys_trailing_newline() -> None:
    text = format_json({"expected": [{"b": 1, "a": [True, None], "c": {}, "d": []}]})
    assert text == (
        "{\n"
        '    "expected": [\n'
        "        {\n"
        '            "a": [\n'
        "                true,\n"
        "                null\n"
        "            ],\n"
        '            "b": 1,\n'
        '            "c": {},\n'
        '            "d": []\n'
        "        }\n"
        "    ]\n"
        "}\n"
    )


def test_html_escaping_depends_on_format_version() -> None:
    assert escape_html("2.11.0")
    assert not escape_html("2.12.0")
    assert not escape_html("3.3.0")
    assert format_json("<a&b>", html=True) == '"\\u003ca\\u0026b\\u003e"\n'
    assert format_json("<a&b>") == '"<a&b>"\n'


def test_strings_escaped_like_go() -> None:
    text = format_json('q"\\\n\t\x01é\u2028')
    assert text == '"q\\"\\\\\\n\\t\\u0001é\\u2028"\n'
    assert json.loads(text) == 'q"\\\n\t\x01é\u2028'


def test_doubles_printed_like_elasticsearch() -> None:
    assert format_json([1.0, 0.5, 1e7, 1.5e-5, 12]) == (
        "[\n    1.0,\n    0.5,\n    1.0E7,\n    1.5E-5,\n    12\n]\n"
    )
