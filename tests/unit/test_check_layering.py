"""The modules `check` and `build` run (load → resolve → render) never reach the test runners,
the policy tools, the live path, the system tests or the command line: the compile, write and
CEL checks use the engine's public entry points and fleetpkg.celparse, not fleetpkg.policy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "fleetpkg"
CHECKS = ("compilecheck", "templatecheck", "celparse", "resolve", "derive", "load", "yamlloader")
ABOVE_BUILD = ("testing", "policy", "live", "system", "commands", "cli")
ENGINE_ENTRY_POINTS = {"fleetpkg.ingest", "fleetpkg.ingest.pipeline"}


def _imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            found.add(base)
            if base == "fleetpkg":
                found.update(f"fleetpkg.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("fleetpkg.")}


@pytest.mark.parametrize("module", CHECKS)
def test_a_check_module_stays_in_the_build(module: str) -> None:
    parts = {name.split(".")[1] for name in _imports(module)}
    assert parts & set(ABOVE_BUILD) == set()


@pytest.mark.parametrize("module", CHECKS)
def test_the_engine_is_used_through_its_entry_points(module: str) -> None:
    engine = {name for name in _imports(module) if name.startswith("fleetpkg.ingest")}
    assert engine <= ENGINE_ENTRY_POINTS


def test_the_policy_tools_parse_cel_with_the_build_s_parser() -> None:
    text = (ROOT / "policy" / "celcheck.py").read_text(encoding="utf-8")
    assert "from fleetpkg import celparse" in text
    assert ".compile(" not in text  # no second cel-python parse
