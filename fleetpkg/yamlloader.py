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

    def at(self, *parts: str | int) -> Location:
        """Location of the value at parts; falls back to the nearest known ancestor."""
        return self._find(self.marks, parts)

    def key_at(self, *parts: str | int) -> Location:
        """Location of the mapping key naming parts[-1] (the value's location if unknown)."""
        ptr = pointer(parts)
        if ptr in self.key_marks:
            return Location(self.path, *self.key_marks[ptr])
        return self.at(*parts)

    def _find(self, marks: dict[str, tuple[int, int]], parts: tuple[str | int, ...]) -> Location:
        for end in range(len(parts), -1, -1):
            ptr = pointer(parts[:end])
            if ptr in marks:
                return Location(self.path, *marks[ptr])
        return Location(self.path, 1, 1)


class _Builder:
    """Turns a composed node tree into values, recording marks and duplicate keys."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.constructor = SafeConstructor()
        self.marks: dict[str, tuple[int, int]] = {}
        self.key_marks: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def build(self, node: Node, parts: tuple[str | int, ...]) -> Any:
        self.marks[pointer(parts)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, parts)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*parts, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.constructor.construct_object(node)

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
    return Document(path, value, builder.marks, builder.key_marks)


def load(root: Path, relpath: str) -> Document:
    """Read and parse root/relpath; problems name the file by relpath."""
    try:
        text = (root / relpath).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise FleetpkgError([Problem(Location(relpath), f"cannot read file: {err}")]) from None
    return parse(text, relpath)
