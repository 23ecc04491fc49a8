"""`fleetpkg policy render|request|test` and `fleetpkg test policy` (offline Fleet policies)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.policy.output import to_json, to_yaml
from fleetpkg.policy.render import render, request_body
from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.testing import run
from fleetpkg.policy.validate import PolicyVars


def _vars(path: Path) -> PolicyVars:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        return PolicyVars.from_config(doc)
    except (OSError, yaml.YAMLError, ValueError) as err:
        raise FleetpkgError([Problem(Location(str(path)), str(err))]) from None


def cmd_render(args: argparse.Namespace) -> int:
    spec = load_stream(args.package, args.data_stream)
    rendered = render(
        spec,
        _vars(args.vars),
        source=str(args.vars),
        show_secrets=args.show_secrets,
        name=args.name,
        namespace=args.namespace,
    )
    sys.stdout.write(to_json(rendered.policy) if args.json else to_yaml(rendered.policy))
    return 0


def cmd_request(args: argparse.Namespace) -> int:
    spec = load_stream(args.package, args.data_stream)
    body = request_body(
        spec,
        _vars(args.vars),
        source=str(args.vars),
        show_secrets=args.show_secrets,
        name=args.name,
        namespace=args.namespace,
        policy_id=args.policy_id,
    )
    sys.stdout.write(to_json(body))
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    streams = [s for item in args.data_streams for s in item.split(",") if s]
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


def _common(parser: argparse.ArgumentParser, vars_file: bool = True) -> None:
    parser.add_argument(
        "--package", type=Path, default=Path("package"), metavar="DIR", help="built package"
    )
    if vars_file:
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
        parser.add_argument("--name", default="cloudflare-1", help="package policy name")
        parser.add_argument("--namespace", default="default", help="data stream namespace")


def _test_options(parser: argparse.ArgumentParser) -> None:
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
    parser.add_argument(
        "--data-stream",
        dest="data_streams",
        action="append",
        default=[],
        metavar="NAME",
        help="only this data stream (repeatable)",
    )
    parser.add_argument("--generate", action="store_true", help="write the .expected files")
    parser.set_defaults(func=cmd_test)


def register(subparsers: Any) -> None:
    policy = subparsers.add_parser(
        "policy",
        help="render Fleet policies offline (Handlebars, Fleet's helpers and var rules)",
        description=(
            "Validate vars against a built package's manifests and render a data stream's "
            "agent/stream template exactly as Fleet does, or print the Fleet API request."
        ),
    )
    kinds = policy.add_subparsers(dest="policy_command", required=True, metavar="COMMAND")
    render_p = kinds.add_parser("render", help="the Agent configuration Fleet would send")
    _common(render_p)
    render_p.add_argument("--json", action="store_true", help="print JSON instead of YAML")
    render_p.set_defaults(func=cmd_render)
    request_p = kinds.add_parser(
        "request", help="the body of POST /api/fleet/package_policies (simplified format)"
    )
    _common(request_p)
    request_p.add_argument(
        "--policy-id", default="<agent-policy-id>", help="the agent policy to add it to"
    )
    request_p.set_defaults(func=cmd_request)
    _test_options(kinds.add_parser("test", help="run _dev/test/policy cases offline"))
    test = subparsers.choices.get("test")
    if test is None:
        test = subparsers.add_parser("test", help="run package tests")
    test_sub = next(
        (a for a in test._actions if isinstance(a, argparse._SubParsersAction)), None
    ) or test.add_subparsers(dest="test_kind", required=True, metavar="KIND")
    if "policy" not in test_sub.choices:
        _test_options(test_sub.add_parser("policy", help="run _dev/test/policy cases offline"))
