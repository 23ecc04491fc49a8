"""Document.char_at maps a character of a string value back to its line and column in the YAML
text, for every scalar style (what the compile check uses to place a script's error)."""

from __future__ import annotations

import pytest

from fleetpkg.yamlloader import parse

TEXT = (
    "literal: |\n"
    "  one;\n"
    "    two;\n"
    "folded: >-\n"
    "  three\n"
    "  four\n"
    "\n"
    "  five\n"
    'double: "a\\tb \\"c\\" \\u00e9 \\\n'
    "   d\n"
    '   e"\n'
    "single: 'it''s\n"
    "  f'\n"
    "plain: g h\n"
    "  i\n"
    "flow: [x, 'yy', \"zz\"]\n"
)


def _source_char(text: str, line: int, col: int) -> str:
    return text.split("\n")[line - 1][col - 1]


@pytest.mark.parametrize(
    ("parts", "value"),
    [
        (("literal",), "one;\n  two;\n"),
        (("folded",), "three four\nfive"),
        (("double",), 'a\tb "c" é d e'),
        (("single",), "it's f"),
        (("plain",), "g h i"),
        (("flow", 1), "yy"),
        (("flow", 2), "zz"),
    ],
)
def test_every_visible_character_maps_to_itself(parts: tuple[str | int, ...], value: str) -> None:
    doc = parse(TEXT, "f.yml")
    node = doc.value
    for part in parts:
        node = node[part]
    assert node == value
    escapes = {"\t": "\\", '"': "\\", "é": "\\"}  # an escape maps to its backslash
    for offset, char in enumerate(value):
        if char in " \n":
            continue
        loc = doc.char_at(offset, *parts)
        found = _source_char(TEXT, loc.line, loc.col)
        assert found in (char, escapes.get(char)), (offset, char, loc)


def test_positions_in_each_style() -> None:
    doc = parse(TEXT, "f.yml")
    assert str(doc.char_at(7, "literal")) == "f.yml:3:5"  # "two" keeps its extra indentation
    assert str(doc.char_at(11, "folded")) == "f.yml:8:3"  # "five", after the folded blank line
    assert str(doc.char_at(10, "double")) == "f.yml:10:4"  # "d", after an escaped line break
    assert str(doc.char_at(5, "single")) == "f.yml:13:3"
    assert str(doc.char_at(4, "plain")) == "f.yml:15:3"


def test_the_end_and_unknown_scalars() -> None:
    doc = parse(TEXT, "f.yml")
    assert str(doc.char_at(99, "literal")) == "f.yml:3:9"  # after the last visible character
    assert str(doc.char_at(0, "flow")) == "f.yml:16:7"  # not a string: the value's position
    assert str(doc.char_at(0, "missing")) == "f.yml:1:1"


def test_crlf_line_breaks() -> None:
    doc = parse("s: |\r\n  a;\r\n  b c;\r\n", "f.yml")
    assert doc.value == {"s": "a;\nb c;\n"}
    assert str(doc.char_at(5, "s")) == "f.yml:3:5"
