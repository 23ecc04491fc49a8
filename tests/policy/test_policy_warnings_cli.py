"""`policy render` / `policy request` print what the constraints flag, and still succeed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.cli import main

ROOT = Path(__file__).resolve().parents[2]
VARS = """vars:
  api_url: https://api.cloudflare.com
data_stream:
  vars:
    zone_id: 0123456789abcdef0123456789abcdef
    auth_token: abc
    fields: [ClientIP, {field}]
"""


@pytest.mark.parametrize("command", ["render", "request"])
def test_an_unknown_field_is_a_warning(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "vars.yml"
    path.write_text(VARS.format(field="SomeNewField"))
    argv = ["policy", command, "--package", str(ROOT / "package"), "--source", str(ROOT)]
    assert main([*argv, "--data-stream", "logpull", "--vars", str(path)]) == 0
    err = capsys.readouterr().err
    assert err == (
        f"{path}: warning: data_stream.vars.fields: 'SomeNewField' is not one of the default "
        "values of 'Fields'\n"
    )
    path.write_text(VARS.format(field="ClientRequestHost"))
    assert main([*argv, "--data-stream", "logpull", "--vars", str(path)]) == 0
    assert capsys.readouterr().err == ""
