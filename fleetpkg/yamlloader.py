"""Load stage, low level: YAML text → plain Python values plus a map of node positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fleetpkg.errors import FleetpkgError, Location, Problem


def pointer(parts: tuple[str | int, ...]) -> str:
    """JSON pointer for a path of keys and indexes ("" is the document itself)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML file: its value and where each node (by JSON pointer) starts."""

    path: str
    value: Any
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    spans: dict[str, Span] = field(default_factory=dict)  # string scalars: where their text is

    def at(self, *parts: str | int) -> Location:
        """Location of the value at parts; falls back to the nearest known ancestor."""
        return self._find(self.marks, parts)

    def key_at(self, *parts: str | int) -> Location:
        """Location of the mapping key naming parts[-1] (the value's location if unknown)."""
        ptr = pointer(parts)
        if ptr in self.key_marks:
            return Location(self.path, *self.key_marks[ptr])
        return self.at(*parts)

    def char_at(self, offset: int, *parts: str | int) -> Location:
        """Location of character `offset` of the string scalar at parts, in the file's text.

        Works for every scalar style (plain, quoted, literal `|`, folded `>`): escapes, folded
        line breaks and indentation are accounted for. An offset at or past the end of the text
        (trailing blanks aside) gives the position after its last visible character; an unknown
        scalar gives the value's location.
        """
        span = self.spans.get(pointer(parts))
        value = self._value(parts)
        if span is None or not isinstance(value, str):
            return self.at(*parts)
        found = _align(self.text, span, value)
        if found is None:
            return self.at(*parts)
        if offset >= len(value.rstrip()) > 0:  # the end: right after the last visible character
            index = found[len(value.rstrip()) - 1] + 1
        else:
            index = found[max(0, offset)]
        line = self.text.count("\n", 0, index) + 1
        return Location(self.path, line, index - (self.text.rfind("\n", 0, index) + 1) + 1)

    def _value(self, parts: tuple[str | int, ...]) -> Any:
        value = self.value
        for part in parts:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def _find(self, marks: dict[str, tuple[int, int]], parts: tuple[str | int, ...]) -> Location:
        for end in range(len(parts), -1, -1):
            ptr = pointer(parts[:end])
            if ptr in marks:
                return Location(self.path, *marks[ptr])
        return Location(self.path, 1, 1)


@dataclass(frozen=True, slots=True)
class Span:
    """Where a string scalar's source text is: [start, end) character offsets, and its style
    (None plain, '"' or "'" quoted, '|' literal, '>' folded)."""

    start: int
    end: int
    style: str | None


_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}
_BLANK = " \t\r\n"


def _align(text: str, span: Span, value: str) -> list[int] | None:
    """For each character of value, its offset in text (plus one for the end), or None.

    The characters of a scalar's value appear in its source in order; between them are only
    what YAML removes: indentation, folded line breaks, trailing blanks, escapes, quote pairs.
    """
    j = span.start
    if span.style in ("|", ">"):
        j = text.find("\n", span.start, span.end) + 1  # content starts after the header line
        if j == 0:
            return None
    elif span.style in ('"', "'"):
        j += 1
    out: list[int] = []
    for char in value:
        while True:
            if j >= span.end:
                return None
            raw = text[j]
            if span.style == '"' and raw == "\\":
                following = text[j + 1 : j + 2]
                if following in ("\r", "\n"):  # an escaped line break: nothing in the value
                    j += 2
                    continue
                out.append(j)
                j += _ESCAPE_LENGTH.get(following, 2)
                break
            if span.style == "'" and text.startswith("''", j):
                out.append(j)
                j += 2
                break
            if raw == char or (char in _BLANK and raw in _BLANK):
                out.append(j)
                j += 1
                break
            if raw not in _BLANK:
                return None
            j += 1  # indentation or a blank YAML dropped
    out.append(j)
    return out


class _Builder:
    """Turns a composed node tree into values, recording marks and duplicate keys."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.constructor = SafeConstructor()
        self.marks: dict[str, tuple[int, int]] = {}
        self.key_marks: dict[str, tuple[int, int]] = {}
        self.spans: dict[str, Span] = {}
        self.problems: list[Problem] = []

    def build(self, node: Node, parts: tuple[str | int, ...]) -> Any:
        self.marks[pointer(parts)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, parts)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*parts, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        value = self.constructor.construct_object(node)
        if isinstance(value, str):
            span = Span(node.start_mark.index, node.end_mark.index, node.style)
            self.spans[pointer(parts)] = span
        return value

    def _mapping(self, node: MappingNode, parts: tuple[str | int, ...]) -> dict[str, Any]:
        self.constructor.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.constructor.construct_object(key_node, deep=True)
            loc = Location(self.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key, str):
                self.problems.append(Problem(loc, f"mapping key {key!r} must be a string"))
                key = str(key)
            if key in out:
                self.problems.append(Problem(loc, f"duplicate key {key!r}"))
                continue
            self.key_marks[pointer((*parts, key))] = (loc.line, loc.col)
            out[key] = self.build(value_node, (*parts, key))
        return out


def parse(text: str, path: str) -> Document:
    """Parse YAML text; raise FleetpkgError with positioned problems if it is not valid."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"invalid YAML: {err.problem or err.context}"
        raise FleetpkgError([Problem(Location(path, line, col), message)]) from None
    if node is None:
        return Document(path, None, {"": (1, 1)})
    builder = _Builder(path)
    try:
        value = builder.build(node, ())
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = Problem(Location(path, line, col), f"invalid YAML: {err.problem}")
        raise FleetpkgError([problem]) from None
    if builder.problems:
        raise FleetpkgError(builder.problems)
    return Document(path, value, builder.marks, builder.key_marks, text, builder.spans)


def load(root: Path, relpath: str) -> Document:
    """Read and parse root/relpath; problems name the file by relpath."""
    try:
        text = (root / relpath).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise FleetpkgError([Problem(Location(relpath), f"cannot read file: {err}")]) from None
    return parse(text, relpath)
