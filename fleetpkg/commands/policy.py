"""``fleetpkg policy render|request|test`` and ``fleetpkg test policy`` (offline Fleet policies)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from fleetpkg.errors import FleetpkgError, Location, Problem

from .options import add_data_streams, data_stream_names


def _vars(path: Path) -> Any:
    import yaml

    from fleetpkg.policy.varcheck import PolicyVars

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        return PolicyVars.from_config(doc)
    except (OSError, yaml.YAMLError, ValueError) as err:
        raise FleetpkgError([Problem(Location(str(path)), str(err))]) from None


def _rendering(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The stream spec and the keyword arguments both ``render`` and ``request_body`` take."""
    from fleetpkg.policy.spec import load_stream

    spec = load_stream(args.package, args.data_stream, source=args.source)
    options = {
        "source": str(args.vars),
        "show_secrets": args.show_secrets,
        "name": args.name,
        "namespace": args.namespace,
    }
    return spec, options


def _warn(path: Path, spec: Any, given: Any) -> None:
    """What the vars' constraints accept but flag (``one_of_default: warn``), on stderr."""
    from fleetpkg.policy.varcheck import warnings

    for message in warnings(spec, given):
        print(f"{path}: warning: {message}", file=sys.stderr)


def run_render(args: argparse.Namespace) -> int:
    from fleetpkg.policy.output import to_json, to_yaml
    from fleetpkg.policy.render import render

    spec, options = _rendering(args)
    given = _vars(args.vars)
    rendered = render(spec, given, **options)
    _warn(args.vars, spec, given)
    sys.stdout.write(to_json(rendered.policy) if args.json else to_yaml(rendered.policy))
    return 0


def run_request(args: argparse.Namespace) -> int:
    from fleetpkg.policy.output import to_json
    from fleetpkg.policy.render import request_body

    spec, options = _rendering(args)
    given = _vars(args.vars)
    body = request_body(spec, given, policy_id=args.policy_id, **options)
    _warn(args.vars, spec, given)
    sys.stdout.write(to_json(body))
    return 0


def run_test(args: argparse.Namespace) -> int:
    from fleetpkg.policy.testing import run

    streams = list(data_stream_names(args.data_streams))
    results = run(args.package, args.source, streams, args.generate)
    failed = 0
    for result in results:
        name = f"{result.data_stream}/{result.case.name}"
        status = "generated" if result.generated else "ok"
        if not result.ok:
            failed += 1
            status = "FAIL"
        print(f"policy {name}: {status}")
        for problem in result.problems:
            print(f"    {problem}")
    print(f"{len(results)} policy test(s), {failed} failed")
    return 1 if failed or not results else 0


DESCRIPTION = (
    "Validate vars against a built package's manifests and render a data stream's "
    "agent/stream template exactly as Fleet does, or print the Fleet API request."
)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument(
        "--package", type=Path, default=Path("package"), metavar="DIR", help="built package"
    )
    parser.add_argument(
        "--source",
        type=Path,
        metavar="DIR",
        help="package source with the vars' constraints (default: the package's parent "
        "when its manifest names the same package)",
    )
    parser.add_argument("--data-stream", required=True, metavar="NAME", help="data stream")
    parser.add_argument(
        "--vars",
        type=Path,
        required=True,
        metavar="FILE",
        help="YAML: {vars: {package and input vars}, data_stream: {vars: {stream vars}}}",
    )
    parser.add_argument(
        "--show-secrets", action="store_true", help="show secret values, not <redacted>"
    )
    parser.add_argument(
        "--name", help="package policy name (default <package>-1, as Fleet names the first)"
    )
    parser.add_argument("--namespace", default="default", help="data stream namespace")


def configure_render(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of YAML")


def configure_request(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument(
        "--policy-id", default="<agent-policy-id>", help="the agent policy to add it to"
    )


def configure_test(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Render every data_stream/*/_dev/test/policy/test-*.yml and compare it with its "
        ".expected file; also check that each CEL program parses and that no secret shows."
    )
    parser.add_argument(
        "--package", type=Path, default=Path("package"), metavar="DIR", help="built package"
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="package source, for _dev/test/policy when the package has no _dev",
    )
    add_data_streams(parser)
    parser.add_argument("--generate", action="store_true", help="write the .expected files")
