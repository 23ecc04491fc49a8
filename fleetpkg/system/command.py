"""Command line: ``fleetpkg system-test``, ``fleetpkg collect`` and ``fleetpkg simulator serve``
(wired into the main CLI through ``register``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from fleetpkg.argtypes import positive_int

from .cel import EXTENSIONS


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of hours: {text!r}") from None
    if not 0 < value <= 24 * 30:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 720 hours")
    return value


def _fault(text: str) -> Any:
    from .cloudflare import Fault

    parts = text.split(":")
    try:
        kind, endpoint, numbers = parts[0], parts[1], frozenset(int(n) for n in parts[2].split(","))
        value = parts[3] if len(parts) > 3 else None
        if kind not in ("trailer", "status", "slow", "reset") or len(parts) > 4:
            raise ValueError(kind)
        if kind == "status":
            return Fault(kind, endpoint, numbers, status=int(value or 503))
        if kind == "slow":
            return Fault(kind, endpoint, numbers, delay=float(value or 90))
        return Fault(kind, endpoint, numbers)
    except (IndexError, ValueError):
        raise argparse.ArgumentTypeError(f"invalid fault {text!r}") from None


def _package_args(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="DIR",
        help="package source, built in memory (default: .)",
    )
    where.add_argument("--package", type=Path, metavar="DIR", help="an already built package")


SYSTEM_TEST_DESCRIPTION = (
    "Render each data stream's CEL stream as Fleet would, run the program with the Agent's CEL "
    "input semantics against a Cloudflare API simulator on a virtual clock (hours of traffic in "
    "seconds, with restarts, faults and rate limits), send every event through the data "
    "stream's ingest pipeline and check: every record delivered exactly once, every request "
    "within the API rules, faults retried or surfaced, no secret in events, logs or traces, "
    "fields valid. CEL extensions available: " + "; ".join(EXTENSIONS)
)


def configure_system_test(system: argparse.ArgumentParser) -> None:
    """Arguments and handler of ``system-test``; ``fleetpkg test system`` can reuse it:
    ``configure_system_test(kinds.add_parser("system", ...))``."""
    _package_args(system)
    system.add_argument(
        "--data-stream",
        dest="data_streams",
        action="append",
        default=[],
        metavar="NAME",
        help="only this data stream (repeatable; comma-separated lists accepted)",
    )
    system.add_argument(
        "--scenario",
        dest="scenarios",
        action="append",
        default=[],
        metavar="NAME",
        help="only this scenario (repeatable; also selects the extra ones --list shows)",
    )
    system.add_argument("--list", action="store_true", help="list the scenarios and exit")
    system.add_argument(
        "--jobs",
        "-j",
        type=positive_int,
        default=min(2, os.cpu_count() or 1),
        metavar="N",
        help="worker processes for the scenarios (default: 2)",
    )
    system.add_argument(
        "--report-format", type=str.lower, choices=("human", "json"), default="human"
    )
    system.set_defaults(func=run_system_tests)


def register(subparsers: Any) -> None:
    """Add ``system-test``, ``collect`` and ``simulator`` to the ``fleetpkg`` CLI."""
    system = subparsers.add_parser(
        "system-test",
        help="run the stream programs against a Cloudflare API simulator (no Agent, no Docker)",
        description=SYSTEM_TEST_DESCRIPTION,
    )
    configure_system_test(system)

    collect = subparsers.add_parser(
        "collect",
        help="run a stream program against the Cloudflare API (or the simulator) and ingest",
        description=(
            "Run the data stream's CEL program like the Agent does, apply its ingest pipeline "
            "and write the documents as NDJSON (--out) or bulk-index them (--es, into "
            "logs-<dataset>-default with op_type create; documents with an _id are not "
            "duplicated). The cursor is persisted after each written evaluation (--cursor), so "
            "Ctrl-C leaves a consistent cursor to resume from."
        ),
    )
    _package_args(collect)
    collect.add_argument("--data-stream", required=True, metavar="NAME")
    collect.add_argument(
        "--vars",
        required=True,
        type=Path,
        metavar="FILE",
        help="policy vars: {vars: {...}, data_stream: {vars: {...}}}",
    )
    sink = collect.add_mutually_exclusive_group(required=True)
    sink.add_argument("--out", metavar="FILE", help="write NDJSON here ('-' for stdout)")
    sink.add_argument(
        "--es",
        metavar="URL",
        help="bulk-index into this Elasticsearch (credentials in the URL, or an API key in "
        "$FLEETPKG_ES_API_KEY)",
    )
    collect.add_argument("--cursor", type=Path, metavar="FILE", help="persist the cursor here")
    collect.add_argument("--periods", type=positive_int, metavar="N", help="stop after N periods")
    collect.add_argument(
        "--simulator",
        action="store_true",
        help="run against an in-process Cloudflare simulator on a virtual clock",
    )
    collect.add_argument(
        "--hours",
        type=_hours,
        default=6.0,
        metavar="H",
        help="with --simulator: virtual hours to collect (default: 6)",
    )
    collect.add_argument("--quiet", "-q", action="store_true", help="no progress lines")
    collect.set_defaults(func=run_collect)

    simulator = subparsers.add_parser(
        "simulator", help="the Cloudflare API simulator", description="Cloudflare API simulator."
    )
    actions = simulator.add_subparsers(dest="simulator_action", required=True, metavar="ACTION")
    serve = actions.add_parser(
        "serve",
        help="serve the simulated API on 127.0.0.1",
        description=(
            "Serve audit logs v1/v2 and Logpull on http://127.0.0.1:PORT from a deterministic "
            "dataset, in real time, with the real rules (auth, Logpull windows, fields, rate "
            "limits). Prints the URL, the account and zone IDs and the test credentials."
        ),
    )
    serve.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    serve.add_argument("--seed", type=int, default=1, help="dataset seed")
    serve.add_argument("--seconds", type=float, metavar="S", help="stop after S seconds")
    serve.add_argument(
        "--fault",
        dest="faults",
        action="append",
        default=[],
        type=_fault,
        metavar="SPEC",
        help=(
            "inject a fault: KIND:ENDPOINT:N[,N…][:VALUE] with KIND trailer|status|slow|reset, "
            "ENDPOINT audit|audit_v2|logpull|*, N the request numbers, VALUE the status "
            "(status) or the delay in seconds (slow); e.g. status:logpull:2,3:503"
        ),
    )
    serve.set_defaults(func=run_simulator)


def run_system_tests(args: argparse.Namespace) -> int:
    from .runner import all_scenarios, default_scenarios, report, run_parallel, select

    names = tuple(n for item in args.data_streams for n in item.split(",") if n)
    pool = all_scenarios() if args.scenarios or args.list else default_scenarios()
    scenarios = select(pool, names, args.scenarios)
    if args.list:
        for s in scenarios:
            print(f"{s.data_stream}/{s.name}: {s.description}")
        return 0
    if not scenarios:
        print("fleetpkg system-test: no scenario selected", file=sys.stderr)
        return 1
    started = time.perf_counter()
    results = run_parallel(
        scenarios,
        args.source,
        args.package,
        jobs=args.jobs,
        progress=None if args.report_format == "json" else _progress,
    )
    if args.report_format == "json":
        print(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        print(report(results))
        print(f"({time.perf_counter() - started:.1f} s)")
    return 0 if all(r.status == "pass" for r in results) else 1


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def run_collect(args: argparse.Namespace) -> int:
    from .clock import VirtualClock
    from .cloudflare import ACCOUNT, ZONE, CloudflareSimulator, Credentials, SimulatorServer
    from .collect import Sink, collect, stderr_progress
    from .runner import START
    from .stack import Ingest, StackError, package_root, render_stream

    try:
        vars_doc = yaml.safe_load(args.vars.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        print(f"fleetpkg collect: {args.vars}: {err}", file=sys.stderr)
        return 1
    if not isinstance(vars_doc, dict):
        print(f"fleetpkg collect: {args.vars}: not a mapping", file=sys.stderr)
        return 1
    server = None
    clock: Any = None
    until = None
    try:
        root = package_root(args.source, args.package)
        ingest = Ingest(root, args.data_stream)
        if args.simulator:
            stream_vars = (vars_doc.get("data_stream") or {}).get("vars") or {}
            clock = VirtualClock(START)
            creds = Credentials()
            if stream_vars.get("auth_email") and stream_vars.get("auth_key"):
                creds = Credentials(
                    email=str(stream_vars["auth_email"]), key=str(stream_vars["auth_key"])
                )
            if stream_vars.get("auth_token"):
                tokens = dict(creds.tokens)
                tokens[str(stream_vars["auth_token"])] = frozenset(
                    {"logs_read", "account_settings_read"}
                )
                creds = Credentials(email=creds.email, key=creds.key, tokens=tokens)
            sim = CloudflareSimulator(
                clock,
                credentials=creds,
                accounts=(str(stream_vars.get("account_id") or ACCOUNT),),
                zones=(str(stream_vars.get("zone_id") or ZONE),),
            )
            server = SimulatorServer(sim).start()
            vars_doc.setdefault("vars", {})["api_url"] = server.url
            until = START + args.hours * 3600
        config, _secrets, _stream = render_stream(root, args.data_stream, vars_doc)
    except StackError as err:
        if server is not None:
            server.stop()
        print(f"fleetpkg collect: {err}", file=sys.stderr)
        return 1
    if config.unknown:
        print(
            f"fleetpkg collect: stream settings not applied: {', '.join(config.unknown)}",
            file=sys.stderr,
        )
    out_handle = None
    es_client = None
    try:
        if args.out:
            out_handle = sys.stdout if args.out == "-" else open(args.out, "a", encoding="utf-8")  # noqa: SIM115
        else:
            from elasticsearch import Elasticsearch

            api_key = os.environ.get("FLEETPKG_ES_API_KEY")
            es_client = (
                Elasticsearch(args.es, api_key=api_key) if api_key else Elasticsearch(args.es)
            )
        sink = Sink(out=out_handle, es=es_client, index=f"logs-{ingest.dataset}-default")
        stats = collect(
            config,
            ingest,
            sink,
            clock=clock,
            cursor_file=args.cursor,
            until=until,
            periods=args.periods,
            progress=None if args.quiet else stderr_progress,
            log=None if args.quiet else stderr_progress,
        )
    finally:
        if out_handle is not None and out_handle is not sys.stdout:
            out_handle.close()
        if server is not None:
            server.stop()
    for message in stats.messages:
        print(f"fleetpkg collect: {message}", file=sys.stderr)
    print(
        f"{stats.events} event(s) in {stats.periods} period(s): {sink.written} written, "
        f"{sink.duplicates} duplicate(s) skipped, {stats.error_events} error event(s), "
        f"{stats.pipeline_errors} pipeline error(s), {sink.failed} indexing failure(s)",
        file=sys.stderr,
    )
    return 1 if sink.failed or stats.pipeline_errors else 0


def run_simulator(args: argparse.Namespace) -> int:
    from .clock import WallClock
    from .cloudflare import ACCOUNT, TOKEN, ZONE, CloudflareSimulator, Credentials, SimulatorServer
    from .dataset import Dataset

    creds = Credentials()
    sim = CloudflareSimulator(
        WallClock(), Dataset(seed=args.seed), credentials=creds, faults=tuple(args.faults)
    )
    server = SimulatorServer(sim, args.port).start()
    print(f"Cloudflare API simulator on {server.url}", flush=True)
    print(f"  account_id {ACCOUNT}  zone_id {ZONE}", flush=True)
    print(f"  test credentials: auth_email {creds.email}, auth_key {creds.key}, auth_token {TOKEN}")
    print("  (Ctrl-C stops)", flush=True)
    seen = 0
    deadline = None if args.seconds is None else time.monotonic() + args.seconds
    try:
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
            for req in sim.requests[seen:]:
                print(
                    f"{req.method} {req.path} → {req.status} {req.error or ''}".rstrip(), flush=True
                )
            seen = len(sim.requests)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
