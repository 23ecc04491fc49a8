"""``fleetpkg test system``, ``fleetpkg collect`` and ``fleetpkg service serve``.

All three find the package's mock service through ``_dev/deploy/docker/fleetpkg-service.yml``
(docs/fleetpkg/system-tests.md); the scenarios are
``data_stream/*/_dev/test/system/test-*-config.yml``.
Heavy modules (the CEL runtime, the ingest engine) are imported inside ``run_*`` only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from fleetpkg.argtypes import positive_int
from fleetpkg.errors import fail

from .options import add_data_streams, data_stream_names, shown

TEST_DESCRIPTION = (
    "Render each data stream's CEL stream as Fleet would, run the program with the Agent's CEL "
    "input semantics against the package's mock service (_dev/deploy/docker/"
    "fleetpkg-service.yml) on a virtual clock — hours of traffic in seconds, with restarts, "
    "outages, faults and rate limits, as each data_stream/*/_dev/test/system/test-*-config.yml "
    "says — send every event through the data stream's ingest pipeline and check: every "
    "record the mock held delivered exactly once, every request within the API rules, faults "
    "retried or surfaced, @timestamp the record's time, no secret in events, logs or traces, "
    "fields valid."
)


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _add_package(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--source", type=Path, metavar="DIR", help="package source, built in memory (default .)"
    )
    where.add_argument(
        "--package", type=Path, metavar="DIR", help="a package built with `build --with-dev`"
    )


def _folder(args: argparse.Namespace) -> Path:
    """The directory holding the package's _dev/ trees (source or built package)."""
    folder: Path = args.package or args.source or Path(".")
    if not folder.is_dir():
        raise fail(f"{shown(folder)}: no such directory")
    return folder


def _fault(text: str) -> Any:
    from fleetpkg.system.service import Fault

    try:
        return Fault.parse(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of hours: {text!r}") from None
    if not 0 < value <= 24 * 30:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 720 hours")
    return value


# -- fleetpkg test system ------------------------------------------------------------------


def configure_test(parser: argparse.ArgumentParser) -> None:
    parser.description = TEST_DESCRIPTION
    _add_package(parser)
    add_data_streams(parser)
    parser.add_argument(
        "--scenario",
        dest="scenarios",
        action="append",
        default=[],
        metavar="NAME",
        help="only this scenario (repeatable; also selects extra ones)",
    )
    parser.add_argument("--extra", action="store_true", help="also run the extra scenarios")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument(
        "--cel-extensions", action="store_true", help="list the CEL extensions emulated and exit"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=positive_int,
        default=min(2, os.cpu_count() or 1),
        metavar="N",
        help="worker processes for the scenarios (default: 2)",
    )
    parser.add_argument(
        "--report-format", type=str.lower, choices=("human", "json"), default="human"
    )
    parser.add_argument("--json", action="store_true", help="the same as --report-format json")


def run_test(args: argparse.Namespace) -> int:
    if args.cel_extensions:
        from fleetpkg.system.cel import EXTENSIONS

        print("\n".join(EXTENSIONS))
        return 0
    from fleetpkg.system.configs import load_scenarios
    from fleetpkg.system.runner import PASS, SKIP, report, run_parallel, select

    folder = _folder(args)
    names = data_stream_names(args.data_streams)
    everything = load_scenarios(folder, shown(folder))
    scenarios = select(everything, names, args.scenarios, extra=args.extra or args.list)
    if args.list:
        for s in scenarios:
            mark = " (extra)" if s.extra else ""
            print(f"{s.data_stream}/{s.name}{mark}: {s.description}")
        return 0
    if not everything:
        where = f"{shown(folder)}/data_stream/*/_dev/test/system/test-*-config.yml"
        raise fail(f"no system test scenario ({where})")
    if not scenarios:
        raise fail(f"no scenario selected ({len(everything)} in {shown(folder)}; see --list)")
    as_json = args.json or args.report_format == "json"
    started = time.perf_counter()
    results = run_parallel(
        scenarios,
        None if args.package else folder,
        args.package,
        jobs=args.jobs,
        progress=None if as_json else _progress,
    )
    if as_json:
        print(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        print(report(results))
        print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0 if all(r.status in (PASS, SKIP) for r in results) else 1


# -- fleetpkg collect ----------------------------------------------------------------------


def configure_collect(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Run the data stream's CEL program like the Agent does, apply its ingest pipeline and "
        "write the documents as NDJSON (--out) or bulk-index them (--es, into "
        "logs-<dataset>-default with op_type create; documents with an _id are not "
        "duplicated). The cursor is persisted after each written evaluation (--cursor), so "
        "Ctrl-C leaves a consistent cursor to resume from. --simulator runs against the "
        "package's mock service on a virtual clock instead of the real API."
    )
    _add_package(parser)
    parser.add_argument("--data-stream", required=True, metavar="NAME")
    parser.add_argument(
        "--vars",
        required=True,
        type=Path,
        metavar="FILE",
        help="policy vars: {vars: {...}, data_stream: {vars: {...}}}",
    )
    sink = parser.add_mutually_exclusive_group(required=True)
    sink.add_argument("--out", metavar="FILE", help="write NDJSON here ('-' for stdout)")
    sink.add_argument(
        "--es",
        metavar="URL",
        help="bulk-index into this Elasticsearch (credentials in the URL, or an API key in "
        "$FLEETPKG_ES_API_KEY)",
    )
    parser.add_argument("--cursor", type=Path, metavar="FILE", help="persist the cursor here")
    parser.add_argument("--periods", type=positive_int, metavar="N", help="stop after N periods")
    parser.add_argument(
        "--simulator",
        action="store_true",
        help="run against the package's mock service (in-process, virtual clock)",
    )
    parser.add_argument(
        "--hours",
        type=_hours,
        default=6.0,
        metavar="H",
        help="with --simulator: virtual hours to collect (default: 6)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress lines")


def _vars_doc(path: Path) -> dict[str, Any]:
    import yaml

    try:
        doc = yaml.safe_load(path.read_text("utf-8")) or {}
    except OSError as err:
        raise fail(f"cannot read file: {err.strerror or err}", shown(path)) from None
    except yaml.YAMLError as err:
        raise fail(f"invalid YAML: {err}", shown(path)) from None
    if not isinstance(doc, dict):
        raise fail("policy vars must be a mapping", shown(path))
    return doc


def run_collect(args: argparse.Namespace) -> int:
    from fleetpkg.system.collect import collect, stderr_progress
    from fleetpkg.system.stack import Ingest, StackError, package_root, render_stream

    vars_doc = _vars_doc(args.vars)
    folder = _folder(args)
    try:
        with (
            package_root(None if args.package else folder, args.package) as root,
            _simulated(root, args, vars_doc) as (clock, until),
        ):
            ingest = Ingest(root, args.data_stream)
            config, _secrets, _stream = render_stream(root, args.data_stream, vars_doc)
            if config.unknown:
                print(f"warning: stream settings not applied: {', '.join(config.unknown)}",
                      file=sys.stderr)  # fmt: skip
            with _sink(args, ingest.dataset) as sink:
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
    except StackError as err:
        raise fail(str(err)) from None
    for message in stats.messages:
        print(message, file=sys.stderr)
    print(
        f"{stats.events} event(s) in {stats.periods} period(s): {sink.written} written, "
        f"{sink.duplicates} duplicate(s) skipped, {stats.error_events} error event(s), "
        f"{stats.pipeline_errors} pipeline error(s), {sink.failed} indexing failure(s)",
        file=sys.stderr,
    )
    return 1 if sink.failed or stats.pipeline_errors else 0


@contextmanager
def _simulated(
    root: Path, args: argparse.Namespace, vars_doc: dict[str, Any]
) -> Iterator[tuple[Any, float | None]]:
    """With --simulator: the mock on a virtual clock, its URL in the vars; (clock, until)."""
    if not args.simulator:
        yield None, None
        return
    from fleetpkg.system.discovery import find_service
    from fleetpkg.system.httpserver import HttpServer
    from fleetpkg.system.scenarios import START
    from fleetpkg.system.service import ServiceConfig, VirtualClock

    manifest = find_service(root, args.data_stream)
    clock = VirtualClock(START)
    try:
        service = manifest.load()(ServiceConfig(clock, accept=vars_doc))
    except ValueError as err:
        raise fail(f"the mock service refused the vars: {err}", shown(args.vars)) from None
    with HttpServer(service) as server:
        if manifest.url_var:
            vars_doc.setdefault("vars", {})[manifest.url_var] = server.url
        yield clock, START + args.hours * 3600


@contextmanager
def _sink(args: argparse.Namespace, dataset: str) -> Iterator[Any]:
    from fleetpkg.system.collect import Sink

    if args.out:
        handle: IO[str] = sys.stdout if args.out == "-" else open(args.out, "a", encoding="utf-8")  # noqa: SIM115
        try:
            yield Sink(out=handle, index=f"logs-{dataset}-default")
        finally:
            if handle is not sys.stdout:
                handle.close()
        return
    from elasticsearch import Elasticsearch

    api_key = os.environ.get("FLEETPKG_ES_API_KEY")
    client = Elasticsearch(args.es, api_key=api_key) if api_key else Elasticsearch(args.es)
    yield Sink(es=client, index=f"logs-{dataset}-default")


# -- fleetpkg service serve ----------------------------------------------------------------


def configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the package's mock service (_dev/deploy/docker/fleetpkg-service.yml) on "
        "http://127.0.0.1:PORT in real time, with its rules; prints the URL and what the mock "
        "says about itself (IDs, test credentials), then one line per request."
    )
    _add_package(parser)
    parser.add_argument("--data-stream", metavar="NAME", help="the mock of this data stream")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    parser.add_argument("--seed", type=int, default=1, help="the mock's seed")
    parser.add_argument("--seconds", type=float, metavar="S", help="stop after S seconds")
    parser.add_argument(
        "--fault",
        dest="faults",
        action="append",
        default=[],
        type=_fault,
        metavar="SPEC",
        help=(
            "inject a fault: KIND:ENDPOINT:N[,N…][:VALUE], KIND status|slow|reset or one of the "
            "mock's own, ENDPOINT one of the mock's or *, N the request numbers, VALUE the "
            "status (status) or the delay in seconds (slow); e.g. status:*:2,3:503"
        ),
    )


def run_serve(args: argparse.Namespace) -> int:
    from fleetpkg.system.discovery import find_service
    from fleetpkg.system.httpserver import HttpServer
    from fleetpkg.system.service import ServiceConfig, WallClock

    manifest = find_service(_folder(args), args.data_stream)
    config = ServiceConfig(WallClock(), seed=args.seed, faults=tuple(args.faults))
    try:
        service = manifest.load()(config)
    except ValueError as err:
        raise fail(f"the mock service refused the options: {err}") from None
    with HttpServer(service, args.port) as server:
        print(f"{manifest.service} mock service on {server.url}", flush=True)
        for line in service.describe():
            print(line, flush=True)
        print("  (Ctrl-C stops)", flush=True)
        _log_requests(service, args.seconds)
    return 0


def _log_requests(service: Any, seconds: float | None) -> None:
    seen = 0
    deadline = None if seconds is None else time.monotonic() + seconds
    try:
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
            for req in list(service.requests)[seen:]:
                line = f"{req.method} {req.path} → {req.status} {req.error or ''}".rstrip()
                print(line, flush=True)
                seen += 1
    except KeyboardInterrupt:
        pass
