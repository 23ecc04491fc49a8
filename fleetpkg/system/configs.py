"""Reading the scenarios: ``data_stream/<ds>/_dev/test/system/test-<name>-config.yml``.

elastic-package's keys keep their meaning (``vars``, ``data_stream.vars``, ``input``,
``service``, ``skip``, ``assert.hit_count``, …); fleetpkg's offline run is under ``fleetpkg:``
(schema: ``fleetpkg/schemas/system_test.schema.json``; unknown keys are errors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fleetpkg import schemas
from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.yamlloader import Document, parse

from .scenarios import Scenario
from .service import Fault

SCHEMA = "system_test.schema.json"
FOLDER = "_dev/test/system"
DEFAULT_HOURS = 1.0
NAME = re.compile(r"^test-([a-z0-9_.-]+)-config\.yml$")


@dataclass(frozen=True)
class ConfiguredScenario(Scenario):
    """A scenario read from a test config, with the assertions only a config can make:
    ``expect_fields`` (``fleetpkg.expect_fields``) are fields every data document must have."""

    expect_fields: tuple[str, ...] = ()


def config_files(root: Path) -> list[tuple[str, Path]]:
    """(data stream, file) of every system test config, sorted; other YAML files there are
    reported by :func:`load_scenarios`."""
    found: list[tuple[str, Path]] = []
    for folder in sorted((root / "data_stream").glob(f"*/{FOLDER}")):
        data_stream = folder.parents[2].name
        found.extend((data_stream, p) for p in sorted(folder.iterdir()) if p.is_file())
    return found


def load_scenarios(root: Path, shown: str | None = None) -> tuple[Scenario, ...]:
    """Every scenario of the package at ``root``; all problems at once (``path:line:col``,
    paths relative to ``shown`` or, by default, to ``root``)."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for data_stream, path in config_files(root):
        rel = path.relative_to(root).as_posix()
        where = f"{shown}/{rel}" if shown not in (None, "", ".") else rel
        match = NAME.match(path.name)
        if match is None:
            if path.suffix in (".yml", ".yaml"):
                message = "not a system test config name (test-<name>-config.yml)"
                problems.append(Problem(Location(where), message))
            continue
        try:
            scenarios.append(read_scenario(path, data_stream, match.group(1), where))
        except FleetpkgError as err:
            problems.extend(err.problems)
    if problems:
        raise FleetpkgError(problems)
    return tuple(scenarios)


def read_scenario(path: Path, data_stream: str, name: str, where: str) -> Scenario:
    try:
        doc = parse(path.read_text("utf-8"), where)
    except OSError as err:
        raise FleetpkgError([Problem(Location(where), f"cannot read file: {err}")]) from None
    if doc.value is None:
        doc = Document(where, {}, doc.marks, doc.key_marks)
    problems = schemas.check(doc, SCHEMA)
    problems.extend(_semantic_problems(doc))
    if problems:
        raise FleetpkgError(problems)
    return _scenario(doc.value, data_stream, name, where)


def _semantic_problems(doc: Document) -> Iterable[Problem]:
    value = doc.value if isinstance(doc.value, dict) else {}
    block = value.get("fleetpkg")
    if not isinstance(block, dict):
        return
    hours = block.get("hours")
    outage = block.get("outage")
    if isinstance(outage, dict):
        start, end = outage.get("from"), outage.get("to")
        numbers = isinstance(start, int | float) and isinstance(end, int | float)
        if numbers and not start < end:  # type: ignore[operator]
            yield Problem(doc.at("fleetpkg", "outage", "to"), "outage must end after it starts")
    for index, at in enumerate(block.get("restarts") or []):
        if isinstance(hours, int | float) and isinstance(at, int | float) and at >= hours:
            yield Problem(doc.at("fleetpkg", "restarts", index), "restart after the end of the run")


def _scenario(value: dict[str, Any], data_stream: str, name: str, where: str) -> Scenario:
    block: dict[str, Any] = value.get("fleetpkg") or {}
    outage = block.get("outage")
    skip = value.get("skip")
    return ConfiguredScenario(
        name=name,
        data_stream=data_stream,
        description=str(block.get("description", "")),
        hours=float(block.get("hours", DEFAULT_HOURS)),
        vars=dict(value.get("vars") or {}),
        stream_vars=dict((value.get("data_stream") or {}).get("vars") or {}),
        faults=tuple(_fault(f) for f in block.get("faults") or ()),
        limits={k: (int(v["requests"]), int(v["seconds"])) for k, v in _items(block, "limits")},
        restarts=tuple(float(h) for h in block.get("restarts") or ()),
        outage=(float(outage["from"]), float(outage["to"])) if outage else None,
        auth=str(block.get("auth", "default")),
        expect_data=bool(block.get("expect_data", True)),
        allow_429=bool(block.get("allow_429", False)),
        seed=int(block.get("seed", 7)),
        traffic=dict(block.get("traffic") or {}),
        extra=bool(block.get("extra", False)),
        skip=f"{skip['reason']} ({skip['link']})" if skip else None,
        hit_count=(value.get("assert") or {}).get("hit_count"),
        input=value.get("input"),
        path=where,
        expect_fields=tuple(str(f) for f in block.get("expect_fields") or ()),
    )


def _items(block: dict[str, Any], key: str) -> Iterable[tuple[str, Any]]:
    return (block.get(key) or {}).items()


def _fault(entry: dict[str, Any]) -> Fault:
    return Fault(
        kind=str(entry["kind"]),
        endpoint=str(entry["endpoint"]),
        nth=frozenset(int(n) for n in entry["nth"]),
        status=int(entry.get("status", 503)),
        delay=float(entry.get("delay", 0.0)),
        retry_after=entry.get("retry_after"),
    )
