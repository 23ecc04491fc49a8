"""The service interface is generic: a second package with its own tiny mock passes, and the
checks fail loudly on a mock that loses records and on a bad scenario file."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from fleetpkg.commands import build as build_commands
from fleetpkg.commands import system as commands
from fleetpkg.errors import FleetpkgError
from fleetpkg.system.configs import load_scenarios
from fleetpkg.system.runner import FAIL, PASS, run_parallel
from fleetpkg.system.scenarios import Scenario

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "system_notes"
CONFIGS = "data_stream/items/_dev/test/system"


def command(module: object, name: str, argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    getattr(module, f"configure_{name}")(parser)
    code: int = getattr(module, f"run_{name}")(parser.parse_args(argv))
    return code


def test_the_fixture_package_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code = command(commands, "test", ["--source", str(FIXTURE), "--json", "-j", "1"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    by_name = {r["scenario"]: r for r in report}
    assert set(by_name) == {"steady", "refused"}
    assert all(r["status"] == PASS for r in report)
    steady = by_name["steady"]["stats"]
    assert steady["expected_records"] > 30
    assert steady["delivered_records"] >= steady["expected_records"]
    assert by_name["refused"]["stats"]["error_events"] > 0


def test_a_built_package_with_dev_runs_too(tmp_path: Path) -> None:
    out = tmp_path / "notes"
    argv = ["--source", str(FIXTURE), "--out", str(out), "--with-dev", "--no-zip"]
    assert command(build_commands, "build", argv) == 0
    assert (out / "_dev/deploy/docker/fleetpkg-service.yml").is_file()
    assert (out / CONFIGS / "test-steady-config.yml").is_file()
    assert not list(out.rglob("__pycache__"))
    assert command(commands, "test", ["--package", str(out), "--scenario", "refused"]) == 0


def _scenario(**options: object) -> Scenario:
    (steady,) = [s for s in load_scenarios(FIXTURE) if s.name == "steady"]
    return replace(steady, **options)  # type: ignore[arg-type]


def test_a_mock_that_drops_records_fails_the_delivery_check() -> None:
    (result,) = run_parallel([_scenario(traffic={"drop_every": 5})], source=FIXTURE, jobs=1)
    assert result.status == FAIL
    assert any("record(s) never delivered (gap), e.g. n" in p for p in result.problems), (
        result.problems
    )


def test_a_refused_scenario_that_gets_data_fails() -> None:
    (result,) = run_parallel([_scenario(expect_data=False)], source=FIXTURE, jobs=1)
    assert result.status == FAIL
    assert "an authentication failure produced no error event" in result.problems
    assert any("data event(s) despite failing authentication" in p for p in result.problems)


def test_hit_count_is_checked() -> None:
    (result,) = run_parallel([_scenario(hit_count=3)], source=FIXTURE, jobs=1)
    assert result.status == FAIL
    assert any(p.startswith("assert.hit_count: ") for p in result.problems), result.problems


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_a_bad_scenario_key_is_reported_with_its_position(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / CONFIGS / "test-bad-config.yml").write_text(
        "data_stream:\n  vars: {}\nfleetpkg:\n  hours: 2\n  hourz: 3\n  faults:\n"
        "    - {kind: status, endpoint: items, nth: [0]}\n"
    )
    (root / CONFIGS / "steady.yml").write_text("fleetpkg: {}\n")
    with pytest.raises(FleetpkgError) as caught:
        load_scenarios(root)
    assert [str(p) for p in caught.value.problems] == [
        f"{CONFIGS}/steady.yml: not a system test config name (test-<name>-config.yml)",
        f"{CONFIGS}/test-bad-config.yml:5:3: unknown key 'hourz'",
        f"{CONFIGS}/test-bad-config.yml:7:45: 0 is less than the minimum of 1",
    ]
    with pytest.raises(FleetpkgError, match=r"test-bad-config.yml:5:3: unknown key 'hourz'"):
        command(commands, "test", ["--source", str(root), "--list"])


def test_a_restart_after_the_end_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / CONFIGS / "test-late-config.yml").write_text("fleetpkg:\n  hours: 2\n  restarts: [3]\n")
    with pytest.raises(FleetpkgError, match=r"test-late-config.yml:3:14: restart after the end"):
        load_scenarios(root)


def test_no_temporary_build_is_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    scenarios = [s for s in load_scenarios(FIXTURE) if s.name == "refused"]
    assert [r.status for r in run_parallel(scenarios, source=FIXTURE, jobs=1)] == [PASS]
    failing = [_scenario(data_stream="nope", hours=0.5)]
    assert [r.status for r in run_parallel(failing, source=FIXTURE, jobs=1)] == ["error"]
    assert not list(tmp_path.glob("fleetpkg-system-*"))
