"""Load stage: a test case file and its configuration → the input events to simulate."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fleetpkg.packagedir import (
    COMMON_CONFIG,
    CONFIG_SUFFIX,
    EXPECTED_SUFFIX,
    PackageError,
    Skip,
    read_yaml,
)
from fleetpkg.packagedir.yamlv3 import as_sent


@dataclass(frozen=True, slots=True)
class CaseConfig:
    """``test-common-config.yml`` merged with ``<case>-config.yml``."""

    skip: Skip | None = None
    first_line_pattern: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    dynamic_fields: dict[str, str] = field(default_factory=dict)
    numeric_keyword_fields: tuple[str, ...] = ()
    string_number_fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TestCase:
    """One test case file with its config, ready to run."""

    path: Path
    config: CaseConfig

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def expected_path(self) -> Path:
        return self.path.with_name(self.path.name + EXPECTED_SUFFIX)


def merge(base: Any, override: Any) -> Any:
    """Deep-merge two config maps; the override wins for everything but nested maps."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge(out[key], value) if key in out else value
        return out
    return override


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def parse_config(raw: Any, source: str) -> CaseConfig:
    if raw is None:
        return CaseConfig()
    if not isinstance(raw, dict):
        raise PackageError(f"{source}: test config must be a map")
    multiline = raw.get("multiline") or {}
    pattern = multiline.get("first_line_pattern") if isinstance(multiline, dict) else None
    dynamic = raw.get("dynamic_fields") or {}
    fields = raw.get("fields") or {}
    if not isinstance(dynamic, dict) or not isinstance(fields, dict):
        raise PackageError(f"{source}: fields and dynamic_fields must be maps")
    for name, regex in dynamic.items():
        try:
            re.compile(str(regex))
        except re.error as err:
            raise PackageError(f"{source}: dynamic_fields.{name}: invalid pattern: {err}") from None
    return CaseConfig(
        skip=Skip.parse(raw.get("skip")),
        first_line_pattern=None if pattern is None else str(pattern),
        fields=fields,
        dynamic_fields={str(k): str(v) for k, v in dynamic.items()},
        numeric_keyword_fields=_strings(raw.get("numeric_keyword_fields")),
        string_number_fields=_strings(raw.get("string_number_fields")),
    )


def load_case(path: Path) -> TestCase:
    """The case file plus its merged config (common first, the case's own on top)."""
    common = path.parent / COMMON_CONFIG
    own = path.with_name(path.name + CONFIG_SUFFIX)
    raw: Any = {}
    for config_path in (common, own):
        if config_path.is_file():
            value = read_yaml(config_path)
            if value is not None and not isinstance(value, dict):
                raise PackageError(f"{config_path}: test config must be a map")
            raw = merge(raw, value or {})
    return TestCase(path, parse_config(raw, own.name))


def put(doc: dict[str, Any], key: str, value: Any) -> None:
    """Set a dotted key, creating (or replacing non-map) intermediate objects."""
    parts = key.split(".")
    node = doc
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def _log_entries(text: str, first_line_pattern: str | None) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if first_line_pattern is None:
        return lines
    pattern = re.compile(first_line_pattern)
    entries: list[str] = []
    buffer = ""
    for line in lines:
        # A matching line starts a new entry; empty entries are never emitted.
        if pattern.search(line):
            if buffer:
                entries.append(buffer)
            buffer = ""
        buffer = f"{buffer}\n{line}" if buffer else line
    if buffer:
        entries.append(buffer)
    return entries


def read_events(case: TestCase) -> list[dict[str, Any]]:
    """The case's input events with ``fields`` injected."""
    try:
        text = case.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PackageError(f"{case.path}: cannot read test case: {err}") from None
    suffix = case.path.suffix
    if suffix == ".log":
        events: list[Any] = [
            {"message": m} for m in _log_entries(text, case.config.first_line_pattern)
        ]
    elif suffix == ".json":
        events = _json_events(text, case.path)
    else:
        raise PackageError(f"{case.path}: unsupported extension for test case file ({suffix})")
    for event in events:
        for key, value in case.config.fields.items():
            put(event, str(key), as_sent(json.loads(json.dumps(value))))
    return events


def _json_events(text: str, path: Path) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise PackageError(f"{path}:{err.lineno}: invalid JSON: {err.msg}") from None
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise PackageError(f'{path}: expected an object {{"events": [{{...}}, ...]}}')
    return events


def read_expected(case: TestCase) -> list[Any] | None:
    """The ``expected`` list of ``<case>-expected.json``; None when the file does not exist."""
    path = case.expected_path
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise PackageError(f"{path}:{err.lineno}: invalid JSON: {err.msg}") from None
    expected = data.get("expected") if isinstance(data, dict) else None
    if not isinstance(expected, list):
        raise PackageError(f'{path}: expected an object {{"expected": [...]}}')
    return expected
