"""Command line of the live path: ``install``, ``uninstall``, ``policy create``,
``test pipeline --es`` (also ``live test-pipeline``); ``benchmark pipeline --es`` calls ``bench``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .auth import add_connection_arguments, connection_from
from .errors import LiveError, scrub

Command = Callable[..., int]


def _named_secrets(args: argparse.Namespace) -> list[str]:
    """Values of the secrets the options name (to scrub unexpected error messages)."""
    out = [os.environ.get(str(getattr(args, k, "") or ""), "") for k in ("api_key", "password_env")]
    for key in ("api_key_file", "password_file"):
        path = getattr(args, key, None)
        try:
            out.append(Path(path).read_text(encoding="utf-8").strip() if path else "")
        except OSError:
            continue
    return [s for s in out if s]


def guarded(name: str) -> Callable[[Command], Command]:
    """Turn ``LiveError`` into ``fleetpkg NAME: message`` and its exit code; scrub everything."""

    def wrap(fn: Command) -> Command:
        @functools.wraps(fn)
        def run(args: argparse.Namespace, *rest: Any) -> int:
            try:
                code: int = fn(args, *rest)
                return code
            except LiveError as err:
                print(
                    f"fleetpkg {name}: {scrub(err.message, _named_secrets(args))}", file=sys.stderr
                )
                return err.code
            except Exception as err:
                if getattr(args, "debug", False):  # a traceback, scrubbed like everything else
                    print(scrub(traceback.format_exc(), _named_secrets(args)), file=sys.stderr)
                    return 1
                text = scrub(f"{type(err).__name__}: {err}", _named_secrets(args))
                print(f"fleetpkg {name}: unexpected error: {text}", file=sys.stderr)
                return 1

        return run

    return wrap


# --- install / uninstall ---------------------------------------------------------------------
@guarded("install")
def cmd_install(args: argparse.Namespace) -> int:
    from .fleet import Fleet
    from .http import KibanaClient
    from .install import default_zip, format_assets, install, read_zip

    package = read_zip(args.zip or default_zip(args.source))
    fleet = Fleet(KibanaClient(connection_from(args, args.kibana, "--kibana")))
    assets = install(fleet, package, force=args.force)
    print(format_assets("installed", package.name, package.version, assets))
    return 0


@guarded("uninstall")
def cmd_uninstall(args: argparse.Namespace) -> int:
    from .fleet import Fleet
    from .http import KibanaClient
    from .install import built_version, format_assets

    name, version = built_version(args.source)
    name = args.package or name
    fleet = Fleet(KibanaClient(connection_from(args, args.kibana, "--kibana")))
    if args.version:
        version = args.version
    elif args.package:
        version = fleet.installed(name) or version
    assets = fleet.delete(name, version, force=args.force)
    print(format_assets("uninstalled", name, version, assets))
    return 0


# --- policy create ---------------------------------------------------------------------------
@guarded("policy create")
def cmd_policy_create(args: argparse.Namespace) -> int:
    from .fleet import Fleet
    from .http import KibanaClient
    from .install import built_name
    from .policy import build_request

    name = args.name or f"{built_name(args.source)}-1"
    request = build_request(
        args.source / "package", args.vars, args.data_stream, name, args.namespace
    )
    if args.dry_run:
        print(
            json.dumps(request.for_agent_policy("<agent policy id>") | request.masked(), indent=2)
        )
        return 0
    if not args.kibana:
        raise LiveError("--kibana URL is required (or use --dry-run)", code=2)
    fleet = Fleet(KibanaClient(connection_from(args, args.kibana, "--kibana")))
    package = request.body["package"]
    installed = fleet.installed(package["name"])
    if installed is None:
        raise LiveError(
            f"{package['name']} is not installed in Kibana; run `fleetpkg install` first"
        )
    if installed != package["version"]:
        raise LiveError(
            f"version conflict: Kibana has {package['name']} {installed} installed, the built "
            f"package is {package['version']}; run `fleetpkg install --force`"
        )
    agent_body = {
        "name": args.agent_policy,
        "namespace": args.namespace,
        "description": "Created by fleetpkg policy create",
        "monitoring_enabled": ["logs", "metrics"],
    }
    agent, created = fleet.create_agent_policy(agent_body)
    verb = "created" if created else "reused"
    print(f"agent policy {args.agent_policy!r} ({agent.get('id')}): {verb}")
    item = fleet.create_package_policy(request.for_agent_policy(str(agent.get("id"))))
    print(f"package policy {request.body['name']!r} ({item.get('id')}): created")
    return 0


# --- test pipeline --es ----------------------------------------------------------------------
@guarded("test pipeline")
def cmd_test_pipeline_es(args: argparse.Namespace) -> int:
    from .fidelity import run_fidelity

    for option in ("generate", "coverage"):
        if getattr(args, option, False):
            raise LiveError(f"--{option} is not supported with --es", code=2)
    conn = connection_from(args, args.es, "--es")
    names = tuple(n for item in args.data_streams for n in item.split(",") if n)
    report = run_fidelity(
        args.package,
        conn.url,
        conn.credentials,
        names,
        connection=conn,
        geoip_dir=getattr(args, "geoip_dir", None),
    )
    fmt = getattr(args, "report_format", "human")
    if fmt == "json":
        text = json.dumps(report.as_json(), indent=2, sort_keys=True, default=str) + "\n"
    elif fmt == "xunit":
        from fleetpkg.testing.report import render

        text = render(report.tests, "xunit")
    else:
        text = report.human()
    output = getattr(args, "report_output", None)
    if output is not None:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0 if report.ok else 1


def add_es_arguments(parser: argparse.ArgumentParser) -> None:
    """``--es URL`` and the connection options, for ``test pipeline`` (see ``run_es_tests``)."""
    group = parser.add_argument_group("live Elasticsearch (fleetpkg.live)")
    group.add_argument("--es", metavar="URL", help="run the tests on this cluster and compare")
    add_connection_arguments(parser)


def run_es_tests(args: argparse.Namespace) -> int:
    """``test pipeline --es``: for the runner's command when ``args.es`` is set."""
    code: int = cmd_test_pipeline_es(args)
    return code


def _hook_test_pipeline(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> bool:
    """Add ``--es`` to the runner's ``test pipeline`` (when it is registered)."""
    pipe = _child(_child(subparsers, "test"), "pipeline")
    if pipe is None or any("--es" in a.option_strings for a in pipe._actions):
        return False
    original = pipe.get_default("func")
    if original is None:
        return False
    add_es_arguments(pipe)

    def run(args: argparse.Namespace) -> int:
        code: int = cmd_test_pipeline_es(args) if args.es else original(args)
        return code

    pipe.set_defaults(func=run)
    return True


def _child(
    parent: argparse._SubParsersAction[argparse.ArgumentParser] | argparse.ArgumentParser | None,
    name: str,
) -> argparse.ArgumentParser | None:
    if parent is None:
        return None
    if isinstance(parent, argparse.ArgumentParser):
        actions = [a for a in parent._actions if isinstance(a, argparse._SubParsersAction)]
        if not actions:
            return None
        parent = actions[0]
    found = parent.choices.get(name)
    return found if isinstance(found, argparse.ArgumentParser) else None


def _subparsers_of(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any] | None:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return actions[0] if actions else None


# --- registration ----------------------------------------------------------------------------
def _source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", type=Path, default=Path("."), metavar="DIR", help="package source (default .)"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the live commands to the ``fleetpkg`` CLI."""
    install = subparsers.add_parser(
        "install",
        help="upload the built package zip to Kibana Fleet",
        description="Upload build/<name>-<version>.zip to Kibana (POST /api/fleet/epm/packages) "
        "and print the assets Kibana installed.",
    )
    install.add_argument("--kibana", required=True, metavar="URL", help="Kibana base URL")
    install.add_argument("--zip", type=Path, metavar="FILE", help="zip to upload")
    install.add_argument("--force", action="store_true", help="reinstall if already installed")
    _source(install)
    add_connection_arguments(install)
    install.set_defaults(func=cmd_install)

    uninstall = subparsers.add_parser(
        "uninstall",
        help="remove the package from Kibana Fleet",
        description="DELETE /api/fleet/epm/packages/<name>/<version>.",
    )
    uninstall.add_argument("--kibana", required=True, metavar="URL", help="Kibana base URL")
    uninstall.add_argument("--package", metavar="NAME", help="package name (default: built one)")
    uninstall.add_argument("--version", metavar="V", help="version (default: built / installed)")
    uninstall.add_argument("--force", action="store_true", help="even if policies use it")
    _source(uninstall)
    add_connection_arguments(uninstall)
    uninstall.set_defaults(func=cmd_uninstall)

    policy = _child(subparsers, "policy")
    if policy is None:
        policy = subparsers.add_parser("policy", help="package policies")
        policy.add_subparsers(dest="policy_command", required=True, metavar="COMMAND")
    kinds = _subparsers_of(policy)
    if kinds is not None and "create" not in kinds.choices:
        create = kinds.add_parser(
            "create",
            help="create the agent policy (or reuse it) and the package policy in Kibana",
            description="Create (or reuse) an agent policy and add the package policy built from "
            "--vars (secrets as {env: NAME} or {file: PATH}).",
        )
        create.add_argument("--kibana", metavar="URL", help="Kibana base URL")
        create.add_argument(
            "--vars",
            type=Path,
            required=True,
            metavar="FILE",
            help="YAML {vars: {...}, data_stream: {vars: {...}}}; secrets as {env: NAME}",
        )
        create.add_argument(
            "--data-stream", metavar="NAME", help="data stream (default: data_stream.name)"
        )
        create.add_argument("--name", metavar="NAME", help="package policy (default <pkg>-1)")
        create.add_argument("--namespace", default="default", help="namespace (default default)")
        create.add_argument(
            "--agent-policy",
            default="fleetpkg",
            metavar="NAME",
            help="agent policy (default fleetpkg)",
        )
        create.add_argument(
            "--dry-run", action="store_true", help="print the request, send nothing"
        )
        _source(create)
        add_connection_arguments(create)
        create.set_defaults(func=cmd_policy_create)

    _hook_test_pipeline(subparsers)
    live = subparsers.add_parser("live", help="live Elastic stack commands")
    live_sub = live.add_subparsers(dest="live_command", required=True, metavar="COMMAND")
    pipe = live_sub.add_parser(
        "test-pipeline",
        help="pipeline tests on a cluster, compared with the embedded engine",
        description="Install the data streams' pipelines under test names, run every pipeline "
        "test through _simulate on the cluster, compare with the expected files and with the "
        "embedded engine, clean up.",
    )
    pipe.add_argument("--es", required=True, metavar="URL", help="Elasticsearch base URL")
    pipe.add_argument("--package", type=Path, default=Path("."), metavar="DIR", help="package root")
    pipe.add_argument(
        "--data-stream",
        dest="data_streams",
        action="append",
        default=[],
        metavar="NAME",
        help="only this data stream (repeatable)",
    )
    pipe.add_argument("--report-format", choices=("human", "json", "xunit"), default="human")
    pipe.add_argument("--report-output", type=Path, metavar="FILE", help="write the report here")
    add_connection_arguments(pipe)
    pipe.set_defaults(func=cmd_test_pipeline_es)


# --- benchmark pipeline --es (called from fleetpkg.benchmarks) --------------------------------
@guarded("benchmark pipeline")
def run_es_benchmark_command(args: argparse.Namespace, embedded: dict[str, Any]) -> int:
    """Print the cluster's figures next to the embedded report ``embedded``."""
    from fleetpkg.ingest.benchmark import format_report

    from .bench import format_comparison, run_es_benchmark

    if args.es_docs < 1:
        raise LiveError("--es-docs must be at least 1", code=2)
    conn = connection_from(args, args.es, "--es")
    cluster = run_es_benchmark(
        conn, args.pipeline, args.events, pipelines_file=args.pipelines, docs=args.es_docs
    )
    if args.json:
        print(json.dumps({"embedded": embedded, "cluster": cluster}, indent=2, sort_keys=True))
    else:
        print(format_report(embedded))
        print()
        print(format_comparison(cluster, embedded))
    return 0
