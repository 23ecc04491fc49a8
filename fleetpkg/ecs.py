"""ECS definitions: the pinned, trimmed copy of @elastic/ecs generated/ecs_flat (see ecs_data/)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class EcsField:
    name: str
    type: str
    description: str
    attrs: dict[str, Any]  # remaining trimmed attributes (example, ignore_above, pattern…)

    def get(self, key: str) -> Any:
        return self.attrs.get(key)


@dataclass(frozen=True, slots=True)
class Ecs:
    """One ECS release, looked up by flat field name."""

    version: str
    fields: dict[str, EcsField]

    def lookup(self, name: str) -> EcsField | None:
        return self.fields.get(name)


@cache
def load_ecs() -> Ecs:
    """The ECS release shipped with fleetpkg (offline; regenerate with scripts/update_ecs.py)."""
    text = resources.files("fleetpkg.ecs_data").joinpath("ecs_flat.json").read_text("utf-8")
    data = json.loads(text)
    fields = {
        name: EcsField(
            name,
            spec["type"],
            spec.get("description", ""),
            {k: v for k, v in spec.items() if k not in ("type", "description")},
        )
        for name, spec in data["fields"].items()
    }
    return Ecs(str(data["ecs_version"]), fields)
