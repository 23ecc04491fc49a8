"""The command line: entry points, exit codes, --debug, the ingest command hook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fleetpkg import cli as cli_module


def test_internal_error_is_one_line_without_traceback(pkg: Path, cli, monkeypatch) -> None:
    def boom(*_: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli_module, "render", boom)
    code, out, err = cli("check", "--source", str(pkg))
    assert (code, out) == (1, "")
    assert err == "fleetpkg: internal error: kaboom (run with --debug for details)\n"
    code, _, err = cli("--debug", "check", "--source", str(pkg))
    assert code == 1
    assert err.startswith("Traceback (most recent call last):")
    assert err.rstrip().endswith("RuntimeError: kaboom")


def test_unreadable_docs_is_a_problem(pkg: Path, cli) -> None:
    (pkg / "docs" / "README.md").write_bytes(b"\xff\xfe not utf-8")
    code, _, err = cli("check", "--source", str(pkg))
    assert code == 1
    assert "docs/README.md: cannot read file: 'utf-8' codec can't decode byte 0xff" in err


def test_ingest_commands_are_optional(monkeypatch) -> None:
    monkeypatch.setattr(cli_module, "PLUGIN_COMMANDS", ("fleetpkg.not_there.command",))
    parser = cli_module.build_parser()
    assert parser.parse_args(["check"]).command == "check"


def test_missing_command_is_a_usage_error(cli, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        cli_module.main([])
    assert exc.value.code == 2
    assert "usage: fleetpkg" in capsys.readouterr().err


def test_python_m_and_build_py(repo_root: Path) -> None:
    module = subprocess.run(
        [sys.executable, "-m", "fleetpkg", "check"], cwd=repo_root, capture_output=True, text=True
    )
    assert (module.returncode, module.stdout, module.stderr) == (0, ".: ok\n", "")
    script = subprocess.run(
        [sys.executable, "build.py", "--check"], cwd=repo_root, capture_output=True, text=True
    )
    assert (script.returncode, script.stdout) == (0, "package is up to date\n")


def test_problem_paths_include_the_source_directory(pkg: Path, cli, monkeypatch) -> None:
    monkeypatch.chdir(pkg.parent)
    (pkg / "changelog.yml").write_text("- version: 1.2.0\n  changes: []\n")
    code, _, err = cli("check", "--source", "minimal")
    assert code == 1
    assert err == "minimal/changelog.yml:2:12: [] should be non-empty\n1 problem(s)\n"


def test_broken_ingest_engine_does_not_break_build(
    pkg: Path, cli, monkeypatch, tmp_path: Path
) -> None:
    (tmp_path / "broken_plugin_mod.py").write_text("x = 'unterminated\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli_module, "PLUGIN_COMMANDS", ("broken_plugin_mod",))
    assert cli("check", "--source", str(pkg))[0] == 0
    code, _, err = cli("--debug", "check", "--source", str(pkg))
    assert code == 0
    assert "commands of broken_plugin_mod unavailable: SyntaxError(" in err
