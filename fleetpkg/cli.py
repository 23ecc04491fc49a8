"""fleetpkg: build, test and ship Elastic Agent (Fleet) integration packages.

The command line is one explicit table (``COMMANDS``). Only the module of the command being
run is imported, so ``fleetpkg --help`` and every ``--help`` start fast. Each command module
(``fleetpkg.commands.*``) has ``configure_<name>(parser)`` and ``run_<name>(args) -> int``.

Messages follow one convention for every command: a problem of a file is
``path:line:col: message``, a problem of the run is ``fleetpkg: message``; a list of problems
ends with ``N problem(s)``. Exit status 0 ok, 1 problems found, 2 bad command line.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from fleetpkg import __version__
from fleetpkg.errors import FleetpkgError, Problem, UsageError


@dataclass(frozen=True)
class Command:
    """One leaf of the command tree: its words, one-line help and where it is implemented."""

    words: tuple[str, ...]
    help: str
    module: str
    name: str

    def function(self, kind: str) -> Callable[..., int]:
        module = importlib.import_module(self.module)
        found: Callable[..., int] = getattr(module, f"{kind}_{self.name}")
        return found


_C = "fleetpkg.commands."

GROUPS: dict[tuple[str, ...], str] = {
    ("test",): "run a package's tests without a stack (pipeline, policy, system)",
    ("policy",): "Fleet package policies: render offline, API request body, create in Kibana",
    ("benchmark",): "measure speed (pipelines, start-up)",
    ("service",): "the package's mock service (_dev/deploy)",
    ("live",): "live Elastic stack commands",
}

COMMANDS: tuple[Command, ...] = (
    Command(("build",), "render the package (and its zip) from the sources", _C + "build", "build"),
    Command(("check",), "validate the sources and the package they build", _C + "build", "check"),
    Command(
        ("simulate",),
        "run a _simulate request body on the embedded ingest engine",
        _C + "simulate",
        "simulate",
    ),
    Command(
        ("test", "pipeline"),
        "data_stream/*/_dev/test/pipeline cases on the embedded engine (or --es)",
        _C + "test_pipeline",
        "pipeline",
    ),
    Command(("test", "policy"), "run _dev/test/policy cases offline", _C + "policy", "test"),
    Command(
        ("test", "system"),
        "run the stream programs against the package's mock service (_dev/deploy)",
        _C + "system",
        "test",
    ),
    Command(
        ("policy", "render"), "the Agent configuration Fleet would send", _C + "policy", "render"
    ),
    Command(
        ("policy", "request"),
        "the body of POST /api/fleet/package_policies (simplified format)",
        _C + "policy",
        "request",
    ),
    Command(("policy", "test"), "run _dev/test/policy cases offline", _C + "policy", "test"),
    Command(
        ("policy", "create"),
        "create the agent policy (or reuse it) and the package policy in Kibana",
        _C + "live",
        "policy_create",
    ),
    Command(
        ("benchmark", "pipeline"),
        "events/s of a pipeline on the embedded engine (and --es)",
        _C + "benchmark",
        "pipeline",
    ),
    Command(
        ("benchmark", "startup"),
        "wall time of `fleetpkg --help` and of every command's --help",
        _C + "benchmark",
        "startup",
    ),
    Command(("install",), "upload the built package zip to Kibana Fleet", _C + "live", "install"),
    Command(("uninstall",), "remove the package from Kibana Fleet", _C + "live", "uninstall"),
    Command(
        ("collect",),
        "run a stream program for real (or on the mock service) through the pipeline",
        _C + "system",
        "collect",
    ),
    Command(
        ("service", "serve"),
        "serve the package's mock service on 127.0.0.1",
        _C + "system",
        "serve",
    ),
    Command(
        ("live", "test-pipeline"),
        "pipeline tests on a cluster, compared with the embedded engine",
        _C + "live",
        "test_pipeline",
    ),
)


def selected(argv: Sequence[str]) -> Command | None:
    """The command the words of argv name (options before the first word are skipped)."""
    words = [a for a in argv if not a.startswith("-")]
    for command in COMMANDS:
        if tuple(words[: len(command.words)]) == command.words:
            return command
    return None


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The whole command tree; only the command argv selects gets its options (imported)."""
    parser = argparse.ArgumentParser(prog="fleetpkg", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"fleetpkg {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    top = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    groups: dict[tuple[str, ...], argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    chosen = selected(argv)
    for command in COMMANDS:
        sub = top
        for depth in range(1, len(command.words)):
            prefix = command.words[:depth]
            if prefix not in groups:
                group = sub.add_parser(prefix[-1], help=GROUPS[prefix], description=GROUPS[prefix])
                groups[prefix] = group.add_subparsers(
                    dest="_".join(prefix) + "_command", required=True, metavar="COMMAND"
                )
            sub = groups[prefix]
        leaf = sub.add_parser(command.words[-1], help=command.help, description=command.help)
        leaf.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        leaf.set_defaults(_command=command, _parser=leaf)
        if command == chosen:
            command.function("configure")(leaf)
    return parser


def _print(problems: Sequence[Problem], out: TextIO) -> None:
    for problem in problems:
        print(problem, file=out)
    if problems:
        print(f"{len(problems)} problem(s)", file=out)


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's flush is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except BrokenPipeError:  # `fleetpkg … | head`: the reader left; end quietly like Unix tools
        _quiet_stdout()
        return 141
    except KeyboardInterrupt:
        print("fleetpkg: interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str]) -> int:
    debug = "--debug" in argv
    try:
        parser = build_parser(argv)  # imports the chosen command's module
        args, extra = parser.parse_known_args(argv)
        if extra:  # reported with the usage of the command they were given to
            args._parser.error(f"unrecognized arguments: {' '.join(extra)}")
        command: Command = args._command
        code: int = command.function("run")(args)
    except FleetpkgError as err:
        if "--json" in argv:
            print(json.dumps([p.as_dict() for p in err.problems], indent=2))
        _print(err.problems, sys.stderr)
        return 1
    except UsageError as err:
        args._parser.error(str(err))  # usage and the message; exits 2
    except (BrokenPipeError, KeyboardInterrupt, SystemExit):
        raise
    except Exception as err:  # the one place that turns crashes into messages
        if debug:
            traceback.print_exc()
        else:
            print(
                f"fleetpkg: internal error: {err} (run with --debug for details)", file=sys.stderr
            )
        return 1
    return code
