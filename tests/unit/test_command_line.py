"""The command line: the command table, entry points, exit codes, --debug, broken pipes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fleetpkg import cli as cli_module


def test_internal_error_is_one_line_without_traceback(pkg: Path, cli, monkeypatch) -> None:
    def boom(*_: object) -> None:
        raise RuntimeError("kaboom")

    import fleetpkg.render

    monkeypatch.setattr(fleetpkg.render, "render", boom)
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


def test_every_command_of_the_table_has_its_functions() -> None:
    import importlib

    for command in cli_module.COMMANDS:
        module = importlib.import_module(command.module)
        for kind in ("configure", "run"):
            assert callable(getattr(module, f"{kind}_{command.name}", None)), (command, kind)


def test_groups_and_leaves_are_consistent() -> None:
    words = {c.words for c in cli_module.COMMANDS}
    assert len(words) == len(cli_module.COMMANDS), "a command is listed twice"
    prefixes = {w[:-1] for w in words if len(w) > 1}
    assert prefixes == set(cli_module.GROUPS)
    assert not prefixes & words, "a group cannot also be a command"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--debug", "check", "--source", "x"], ("check",)),
        (["test", "pipeline", "--package", "p"], ("test", "pipeline")),
        (["policy", "create", "--dry-run"], ("policy", "create")),
        (["test"], None),
        (["nope"], None),
    ],
)
def test_selected_command(argv: list[str], words: tuple[str, ...] | None) -> None:
    chosen = cli_module.selected(argv)
    assert (chosen.words if chosen else None) == words


def test_only_the_chosen_command_module_is_imported(repo_root: Path) -> None:
    code = (
        "import sys; from fleetpkg import cli; cli.build_parser(['check']); "
        "print(sorted(m for m in sys.modules if m.startswith('fleetpkg')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True
    ).stdout
    loaded = eval(out)  # a printed list of module names
    assert "fleetpkg.commands.build" in loaded
    for heavy in (
        "fleetpkg.ingest",
        "fleetpkg.commands.live",
        "fleetpkg.policy",
        "fleetpkg.render",
    ):
        assert heavy not in loaded


def test_a_broken_command_module_is_an_error_not_a_missing_command(
    cli, monkeypatch, tmp_path: Path
) -> None:
    (tmp_path / "broken_cmd_mod.py").write_text("x = 'unterminated\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    broken = cli_module.Command(("check",), "help", "broken_cmd_mod", "check")
    monkeypatch.setattr(cli_module, "COMMANDS", (broken,))
    code, out, err = cli("check")
    assert (code, out) == (1, "")
    assert err.startswith("fleetpkg: internal error: unterminated string literal")
    code, _, err = cli("--debug", "check")
    assert code == 1
    assert "SyntaxError" in err
    assert "Traceback" in err


def test_usage_error_of_a_command_exits_2(cli, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        cli_module.main(["build", "--bogus"])
    assert exc.value.code == 2
    assert "usage: fleetpkg build" in capsys.readouterr().err


def test_broken_pipe_ends_quietly(repo_root: Path, tmp_path: Path) -> None:
    docs = [{"_source": {"message": "x" * 100, "n": n}} for n in range(3000)]
    request = {"pipeline": {"processors": [{"set": {"field": "a", "value": 1}}]}, "docs": docs}
    body = tmp_path / "request.json"
    body.write_text(json.dumps(request))
    script = (
        f"{sys.executable} -m fleetpkg simulate < {body} | head -c 10 >/dev/null; "
        "echo status=${PIPESTATUS[0]}"
    )
    run = subprocess.run(["bash", "-c", script], cwd=repo_root, capture_output=True, text=True)
    assert run.stderr == ""
    assert run.stdout.strip() == "status=141"


def test_broken_pipe_in_a_command_returns_141(monkeypatch) -> None:
    import fleetpkg.commands.build as build

    def closed(_args: object) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(build, "run_check", closed)
    assert cli_module.main(["check"]) == 141


def test_startup_benchmark_runs_every_help(cli) -> None:
    import fleetpkg.cli

    code, out, _ = cli("benchmark", "startup", "--repeat", "1", "--json")
    assert code == 0
    report = json.loads(out)
    names = [row["command"] for row in report["commands"]]
    expected = [" ".join(("fleetpkg", *c.words, "--help")) for c in fleetpkg.cli.COMMANDS]
    assert names == ["fleetpkg --help", *expected]
    assert [row["command"] for row in report["commands"] if row["status"]] == []
    assert report["floor_ms"] > 0


HEAVY = ("maxminddb", "celpy", "lark", "pybars", "jinja2", "elasticsearch", "ua_parser", "yaml")


def test_no_command_imports_a_heavy_library_for_its_options(repo_root: Path) -> None:
    """`--help` of every command stays fast: its options need none of these (a proxy for the
    start-up figures `fleetpkg benchmark startup` prints)."""
    code = (
        "import json, sys; from fleetpkg import cli\n"
        "out = {}\n"
        "for c in cli.COMMANDS:\n"
        "    before = set(sys.modules)\n"
        "    cli.build_parser(list(c.words))\n"
        f"    out[' '.join(c.words)] = sorted(m.split('.')[0] for m in set(sys.modules) - before"
        f" if m.split('.')[0] in {HEAVY!r})\n"
        "print(json.dumps(out))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True
    )
    assert {name: mods for name, mods in json.loads(run.stdout).items() if mods} == {}
