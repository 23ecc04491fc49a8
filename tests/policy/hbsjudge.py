"""Handlebars.js as the judge: runs tools/hbs/render.js (npm `handlebars`, Fleet's helpers).

`make test` installs it (`npm ci --prefix tools/hbs`) when Node.js is there; tests that need it
skip with `reason()` otherwise.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "hbs"
RENDER = TOOL / "render.js"


def reason() -> str | None:
    """Why Handlebars.js cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Handlebars.js: no Node.js"
    if not (TOOL / "node_modules" / "handlebars" / "package.json").is_file():
        return "Handlebars.js: not installed (npm ci --prefix tools/hbs)"
    return None


def run(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each job {template, vars?, parse_only?} gives {"text"} or {"error": {…, line, column}}."""
    node = shutil.which("node")
    assert node is not None
    out = subprocess.run(
        [node, str(RENDER)],
        input=json.dumps({"batch": jobs}),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: list[dict[str, Any]] = json.loads(out.stdout)
    return result
