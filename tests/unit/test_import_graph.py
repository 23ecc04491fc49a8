"""Imports between fleetpkg's parts point one way: no cycle, the engine stands alone.

A "part" is a subpackage (``fleetpkg.ingest``) or a top-level module (``fleetpkg.render``).
Every import counts, also those inside functions (a lazy import still ties two parts).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "fleetpkg"

# The build (sources → model → render → package/) never reaches for the test runners, the
# live path, the system tests or the command line.
BUILD = {"yamlloader", "errors", "model", "load", "resolve", "constraints", "ecs", "schemas"}
BUILD |= {"derive", "fields", "render", "writer", "check", "geoip_data"}
BUILD |= {"compilecheck", "templatecheck", "celparse", "hbscheck"}


def test_the_build_parts_exist() -> None:
    modules = {p.stem for p in ROOT.glob("*.py")} | {p.name for p in ROOT.iterdir() if p.is_dir()}
    assert sorted(BUILD - modules) == []


ABOVE_BUILD = {"testing", "policy", "live", "system", "commands", "cli"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, module: str) -> set[str]:
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return {name for name in found if name == "fleetpkg" or name.startswith("fleetpkg.")}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "<fleetpkg>"


def part_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        module = _module_name(path)
        source = _part(module)
        targets = {_part(name) for name in _imported(path, module)} - {source}
        graph.setdefault(source, set()).update(targets)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one part (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_cycle_between_parts() -> None:
    assert cycles(part_graph()) == []


def test_the_ingest_engine_imports_nothing_else_of_fleetpkg() -> None:
    assert part_graph()["ingest"] == set()


@pytest.mark.parametrize("part", sorted(BUILD))
def test_the_build_does_not_import_runners_or_commands(part: str) -> None:
    assert part_graph().get(part, set()) & ABOVE_BUILD == set()


def test_only_the_command_line_reaches_the_commands() -> None:
    users = {part for part, targets in part_graph().items() if "commands" in targets}
    assert users <= {"commands"}  # cli names them in its table and imports them by name
