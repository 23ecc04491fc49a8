"""fleetpkg builds any package: no name of the package this repository holds is inside it."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _package_name() -> str:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    return str(manifest["name"])


def test_no_file_of_the_tool_names_the_package() -> None:
    name = _package_name().lower()
    assert name  # the repository root is a package source
    found = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "fleetpkg").rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix != ".mmdb"
        and name in path.read_text(encoding="utf-8", errors="replace").lower()
    ]
    assert found == []
