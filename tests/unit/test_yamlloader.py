"""The YAML loader keeps a position for every node and reports YAML problems with one."""

from __future__ import annotations

import pytest

from fleetpkg.errors import FleetpkgError
from fleetpkg.yamlloader import parse, pointer


def test_positions_by_pointer() -> None:
    doc = parse("a:\n  - x: 1\n    y: [2, 3]\nb/c: ~\n", "f.yml")
    assert doc.value == {"a": [{"x": 1, "y": [2, 3]}], "b/c": None}
    assert str(doc.at()) == "f.yml:1:1"
    assert str(doc.at("a", 0)) == "f.yml:2:5"
    assert str(doc.at("a", 0, "y", 1)) == "f.yml:3:12"
    assert str(doc.key_at("a", 0, "y")) == "f.yml:3:5"
    assert str(doc.at("b/c")) == "f.yml:4:6"
    assert str(doc.at("a", 0, "missing", 7)) == "f.yml:2:5"  # nearest known ancestor


def test_pointer_escaping() -> None:
    assert pointer(("a/b", "c~d", 0)) == "/a~1b/c~0d/0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1\n", "f.yml:2:1: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("a: 1\na: 2\n", "f.yml:2:1: duplicate key 'a'"),
        ("? [1]\n: x\n", "f.yml:1:3: mapping key [1] must be a string"),
        ("a: *nope\n", "f.yml:1:4: invalid YAML: found undefined alias 'nope'"),
    ],
)
def test_yaml_problems(text: str, expected: str) -> None:
    with pytest.raises(FleetpkgError) as exc:
        parse(text, "f.yml")
    assert [str(p) for p in exc.value.problems] == [expected]


def test_empty_document() -> None:
    assert parse("", "f.yml").value is None
