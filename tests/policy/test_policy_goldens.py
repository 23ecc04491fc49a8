"""Golden tests: vars → rendered stream and Fleet request body, or the list of problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fleetpkg.errors import FleetpkgError
from fleetpkg.policy.output import to_yaml
from fleetpkg.policy.render import REDACTED, render, request_body
from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.varcheck import PolicyVars

PACKAGE = Path(__file__).resolve().parents[2] / "package"


def _secrets(config: dict[str, Any]) -> list[str]:
    stream = (config.get("data_stream") or {}).get("vars") or {}
    return [str(v) for k, v in stream.items() if k in ("auth_token", "auth_key")]


@pytest.mark.golden_test("goldens/*.yml")
def test_policy_golden(golden: Any) -> None:
    spec = load_stream(PACKAGE, golden["data_stream"])
    given = PolicyVars.from_config(golden["config"])
    try:
        rendered = render(spec, given)
    except FleetpkgError as err:
        errors = [p.message for p in err.problems]
        assert errors, "a failing case reports its problems"
        assert errors == golden.out["errors"]
        shown = "\n".join(errors)
    else:
        body = request_body(spec, given)
        assert rendered.stream == golden.out["stream"]
        assert body == golden.out["request"]
        shown = to_yaml(rendered.policy) + json.dumps(body)
        assert golden.out.get("errors") is None
        if _secrets(golden["config"]):
            assert REDACTED in shown
    for secret in _secrets(golden["config"]):
        assert secret not in shown
