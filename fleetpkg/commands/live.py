"""The live path's commands: ``install``, ``uninstall``, ``policy create``, ``test pipeline
--es`` (also ``live test-pipeline``) and ``benchmark pipeline --es``.

Every message of these commands is scrubbed of the secrets their options name, tracebacks too.
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

from fleetpkg.errors import FleetpkgError, UsageError, fail
from fleetpkg.live.auth import add_connection_arguments, connection_from
from fleetpkg.live.errors import LiveError, scrub

from .options import (
    add_data_streams,
    add_package_root,
    add_report_options,
    add_source,
    data_stream_names,
)
from .test_pipeline import refuse_with_es, write_report

__all__ = ["add_connection_arguments"]

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


def guarded(fn: Command) -> Command:
    """``LiveError`` → ``fleetpkg: message`` (exit 1, or usage and exit 2); scrub everything."""

    @functools.wraps(fn)
    def run(args: argparse.Namespace, *rest: Any) -> int:
        secrets = _named_secrets(args)
        try:
            code: int = fn(args, *rest)
            return code
        except LiveError as err:
            message = scrub(err.message, secrets)
            raise (UsageError(message) if err.code == 2 else fail(message)) from None
        except (UsageError, FleetpkgError):
            raise
        except Exception as err:
            if getattr(args, "debug", False):  # a traceback, scrubbed like everything else
                print(scrub(traceback.format_exc(), secrets), file=sys.stderr)
                return 1
            text = scrub(f"{type(err).__name__}: {err}", secrets)
            raise fail(f"unexpected error: {text}") from None

    return run


# --- install / uninstall ---------------------------------------------------------------------
@guarded
def run_install(args: argparse.Namespace) -> int:
    from fleetpkg.live.fleet import Fleet
    from fleetpkg.live.http import KibanaClient
    from fleetpkg.live.install import default_zip, format_assets, install, read_zip

    package = read_zip(args.zip or default_zip(args.source))
    fleet = Fleet(KibanaClient(connection_from(args, args.kibana, "--kibana")))
    assets = install(fleet, package, force=args.force)
    print(format_assets("installed", package.name, package.version, assets))
    return 0


@guarded
def run_uninstall(args: argparse.Namespace) -> int:
    from fleetpkg.live.fleet import Fleet
    from fleetpkg.live.http import KibanaClient
    from fleetpkg.live.install import built_version, format_assets

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
@guarded
def run_policy_create(args: argparse.Namespace) -> int:
    from fleetpkg.live.fleet import Fleet
    from fleetpkg.live.http import KibanaClient
    from fleetpkg.live.install import built_name
    from fleetpkg.live.policy import build_request

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
@guarded
def run_test_pipeline(args: argparse.Namespace) -> int:
    from fleetpkg.live.fidelity import run_fidelity

    refuse_with_es(args)
    conn = connection_from(args, args.es, "--es")
    names = data_stream_names(args.data_streams)
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
    write_report(text, getattr(args, "report_output", None))
    return 0 if report.ok else 1


run_es_pipeline_tests = run_test_pipeline  # ``test pipeline --es URL``


# --- benchmark pipeline --es (called from fleetpkg.benchmarks) --------------------------------
@guarded
def run_es_benchmark(args: argparse.Namespace, embedded: dict[str, Any]) -> int:
    """Print the cluster's figures next to the embedded report ``embedded``."""
    from fleetpkg.ingest.benchmark import format_report
    from fleetpkg.live.bench import format_comparison, run_es_benchmark

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


# --- the options of each command ------------------------------------------------------------
def configure_install(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Upload build/<name>-<version>.zip to Kibana (POST /api/fleet/epm/packages) and print "
        "the assets Kibana installed."
    )
    parser.add_argument("--kibana", required=True, metavar="URL", help="Kibana base URL")
    parser.add_argument("--zip", type=Path, metavar="FILE", help="zip to upload")
    parser.add_argument("--force", action="store_true", help="reinstall if already installed")
    add_source(parser)
    add_connection_arguments(parser)


def configure_uninstall(parser: argparse.ArgumentParser) -> None:
    parser.description = "DELETE /api/fleet/epm/packages/<name>/<version>."
    parser.add_argument("--kibana", required=True, metavar="URL", help="Kibana base URL")
    parser.add_argument("--package", metavar="NAME", help="package name (default: built one)")
    parser.add_argument("--version", metavar="V", help="version (default: built / installed)")
    parser.add_argument("--force", action="store_true", help="even if policies use it")
    add_source(parser)
    add_connection_arguments(parser)


def configure_policy_create(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Create (or reuse) an agent policy and add the package policy built from --vars "
        "(secrets as {env: NAME} or {file: PATH})."
    )
    parser.add_argument("--kibana", metavar="URL", help="Kibana base URL")
    parser.add_argument(
        "--vars",
        type=Path,
        required=True,
        metavar="FILE",
        help="YAML {vars: {...}, data_stream: {vars: {...}}}; secrets as {env: NAME}",
    )
    parser.add_argument(
        "--data-stream", metavar="NAME", help="data stream (default: data_stream.name)"
    )
    parser.add_argument("--name", metavar="NAME", help="package policy (default <pkg>-1)")
    parser.add_argument("--namespace", default="default", help="namespace (default default)")
    parser.add_argument(
        "--agent-policy", default="fleetpkg", metavar="NAME", help="agent policy (default fleetpkg)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the request, send nothing")
    add_source(parser)
    add_connection_arguments(parser)


def configure_test_pipeline(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Install the data streams' pipelines under test names, run every pipeline test through "
        "_simulate on the cluster, compare with the expected files and with the embedded "
        "engine, clean up. The same as `fleetpkg test pipeline --es URL`."
    )
    parser.add_argument("--es", required=True, metavar="URL", help="Elasticsearch base URL")
    add_package_root(parser)
    add_data_streams(parser)
    add_report_options(parser, ("human", "json", "xunit"))
    add_connection_arguments(parser)
