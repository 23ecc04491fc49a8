"""Stream templates: the CEL `program` of a `cel` stream must parse, its error located in the
`.yml.hbs`.

A template is Handlebars around YAML, so it is not parsed as a whole: each `program:` key is
found in the text with the lines that belong to its value (more indented than the key, or
blank), that YAML fragment is parsed on its own (Handlebars expressions `{{…}}` replaced by a
placeholder of the same length, so positions stay), and cel-python's line and column in the
program are mapped back through the YAML scalar (any style) to the template's line and column.
A program with Handlebars blocks (`{{#if}}`, `{{else}}`) in it is only known once rendered and
is not checked here (`fleetpkg test policy` checks rendered programs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from fleetpkg import celparse
from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.yamlloader import parse

PROGRAM_KEY = re.compile(r"^( *)program:(?:\s|$)")
HBS_EXPRESSION = re.compile(r"\{\{\{[^{}]*\}\}\}|\{\{[^{}]*\}\}")
HBS_BLOCK = re.compile(r"\{\{~?\s*(?:[#^/]|else\b)")


def program_problems(path: str, text: str) -> Iterator[Problem]:
    """A problem for each `program:` of the template text (shown as path) that does not parse."""
    lines = text.split("\n")
    for first, line in enumerate(lines):
        match = PROGRAM_KEY.match(line)
        if match is None:
            continue
        indent = len(match.group(1))
        end = first + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
            end += 1
        fragment = "\n".join(lines[first:end]) + "\n"
        if HBS_BLOCK.search(fragment):
            continue
        problem = _fragment_problem(path, first, HBS_EXPRESSION.sub(_placeholder, fragment))
        if problem is not None:
            yield problem


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _placeholder(match: re.Match[str]) -> str:
    """A CEL identifier as long as the Handlebars expression (a value once rendered)."""
    return "_" * len(match.group(0))


def _fragment_problem(path: str, first: int, fragment: str) -> Problem | None:
    try:
        doc = parse(fragment, path)
    except (FleetpkgError, yaml.YAMLError):
        return None  # YAML only once rendered; `fleetpkg test policy` sees the rendered one
    program = doc.value.get("program") if isinstance(doc.value, dict) else None
    if not isinstance(program, str):
        return None
    try:
        celparse.parse(program)
    except celparse.CelSyntaxError as err:
        at = _offset(program, err.line, err.column)
        loc = doc.char_at(at, "program") if at is not None else doc.at("program")
        where = Location(path, loc.line + first, loc.col)
        return Problem(where, f"CEL program does not parse: {err.reason}")
    return None


def _offset(program: str, line: int, column: int) -> int | None:
    """The character offset of a 1-based line and column of program (None: unknown)."""
    if line < 1:
        return None
    starts = [0] + [i + 1 for i, char in enumerate(program) if char == "\n"]
    if line > len(starts):
        return len(program)
    return starts[line - 1] + max(column - 1, 0)
