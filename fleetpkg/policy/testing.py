"""Policy tests in elastic-package's layout: data_stream/<ds>/_dev/test/policy/test-<name>.yml
(`vars`, `data_stream.vars`) and test-<name>.expected (the expected rendered policy).

Unlike `elastic-package test policy` nothing is installed: the stream is rendered offline as
Fleet would. Each case also checks that every CEL program parses and calls only known
functions, and that no secret value of the case appears in the rendered policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fleetpkg.errors import FleetpkgError
from fleetpkg.policy.celcheck import check_program
from fleetpkg.policy.output import to_yaml
from fleetpkg.policy.render import Rendered, render
from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.varcheck import PolicyVars


@dataclass
class CaseResult:
    data_stream: str
    case: Path
    problems: list[str] = field(default_factory=list)
    generated: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def case_dirs(package: Path, source: Path | None, data_stream: str) -> Path | None:
    """The policy test folder: the built package's copy of _dev, else the source's."""
    for root in (package, source):
        if root is None:
            continue
        folder = root / "data_stream" / data_stream / "_dev" / "test" / "policy"
        if folder.is_dir():
            return folder
    return None


def programs(node: Any) -> list[str]:
    """Every `program` string of a rendered policy (CEL inputs)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "program" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(programs(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(programs(item))
    return found


def leaked(rendered: Rendered, text: str) -> list[str]:
    return [
        "a secret value appears in the rendered policy" for s in rendered.secrets if s and s in text
    ][:1]


def run_case(
    package: Path, data_stream: str, case: Path, generate: bool, source: Path | None = None
) -> CaseResult:
    result = CaseResult(data_stream, case)
    try:
        config = yaml.safe_load(case.read_text(encoding="utf-8"))
        given = PolicyVars.from_config(config)
        spec = load_stream(package, data_stream, source=source)
        rendered = render(spec, given, source=str(case), name=f"{case.stem}")
    except (OSError, yaml.YAMLError, ValueError) as err:
        result.problems.append(str(err))
        return result
    except FleetpkgError as err:
        result.problems.extend(p.message for p in err.problems)
        return result
    text = to_yaml(rendered.policy)
    result.problems.extend(leaked(rendered, text))
    for program in programs(rendered.policy):
        result.problems.extend(check_program(program))
    expected = case.with_suffix(".expected")
    if generate:
        expected.write_text(text, encoding="utf-8")
        result.generated = True
        return result
    if not expected.is_file():
        result.problems.append(f"{expected.name} is missing (run with --generate)")
    elif yaml.safe_load(expected.read_text(encoding="utf-8")) != rendered.policy:
        result.problems.append(f"rendered policy differs from {expected.name}")
    return result


def run(
    package: Path, source: Path | None, data_streams: list[str], generate: bool
) -> list[CaseResult]:
    names = data_streams or sorted(
        p.name for p in (package / "data_stream").iterdir() if p.is_dir()
    )
    results = []
    for name in names:
        folder = case_dirs(package, source, name)
        if folder is None:
            continue
        for case in sorted(folder.glob("test-*.yml")):
            results.append(run_case(package, name, case, generate, source))
    return results
