"""The built-in grok pattern banks (legacy and ECS v1), loaded from the bundled data files."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

ECS_COMPATIBILITY_MODES = ("disabled", "v1")


def parse_pattern_file(text: str) -> dict[str, str]:
    """Read ``NAME regex`` lines the way ES does: comments and blank lines skipped."""
    bank: dict[str, str] = {}
    for line in text.splitlines():
        trimmed = line.lstrip()
        if not trimmed or trimmed.startswith("#"):
            continue
        parts = trimmed.split(None, 1)
        if len(parts) == 2:
            bank[parts[0]] = parts[1]
    return bank


@lru_cache(maxsize=2)
def builtin_patterns(ecs_compatibility: str) -> dict[str, str]:
    """The pattern bank ES loads for ``disabled`` (legacy) or ``v1`` (ECS) mode."""
    if ecs_compatibility not in ECS_COMPATIBILITY_MODES:
        raise ValueError(f"unsupported ECS compatibility mode [{ecs_compatibility}]")
    name = "ecs-v1.txt" if ecs_compatibility == "v1" else "legacy.txt"
    text = resources.files(__package__).joinpath("patterns", name).read_text(encoding="utf-8")
    return parse_pattern_file(text)
