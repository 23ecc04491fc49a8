"""Reading pipeline definitions and request bodies from files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_structured(path: Path) -> Any:
    """JSON or YAML file contents (YAML for ``.yml``/``.yaml``)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yml", ".yaml"):
        import yaml

        return yaml.safe_load(text)
    return json.loads(text)
