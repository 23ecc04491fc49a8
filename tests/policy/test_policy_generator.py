"""Source vars the inputs need: duration bounds and required_vars, validated and rendered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from fleetpkg.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
INTERVAL = """      - name: interval
        type: duration
        title: Interval
        required: true
        default: {default}
        min_duration: 1m
        max_duration: 1h
"""


def source(tmp_path: Path, default: str = "5m", extra: str = "", groups: str = "") -> Path:
    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    manifest = root / "data_stream" / "events" / "manifest.yml"
    text = manifest.read_text(encoding="utf-8").rstrip("\n") + "\n"
    text += INTERVAL.format(default=default) + extra
    text += groups or "    required_vars:\n      token:\n        - name: api_token\n"
    manifest.write_text(text, encoding="utf-8")
    return root


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--source", str(root)])
    return code, capsys.readouterr().err


def test_duration_bounds_and_required_vars_are_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = source(tmp_path)
    assert check(root, capsys) == (0, "")
    assert main(["build", "--source", str(root), "--no-zip"]) == 0
    built = yaml.safe_load((root / "package/data_stream/events/manifest.yml").read_text())
    stream = built["streams"][0]
    interval = next(v for v in stream["vars"] if v["name"] == "interval")
    assert (interval["min_duration"], interval["max_duration"]) == ("1m", "1h")
    assert stream["required_vars"] == {"token": [{"name": "api_token"}]}


@pytest.mark.parametrize(
    ("default", "extra", "groups", "message"),
    [
        ("30s", "", "", "var 'interval': min_duration 1m exceeds default 30s"),
        ("2h", "", "", "var 'interval': default 2h exceeds max_duration 1h"),
        ("5 min", "", "", "var 'interval': default '5 min' is not a duration"),
        (
            "5m",
            "      - name: label\n        type: text\n        title: L\n        min_duration: 1s\n",
            "",
            "var 'label': min_duration needs type 'duration'",
        ),
        (
            "5m",
            "",
            "    required_vars:\n      key:\n        - name: api_key\n",
            "required_vars 'key': 'api_key' is not a var of the stream",
        ),
        (
            "5m",
            "",
            "    required_vars:\n      both:\n        - name: interval\n",
            "required_vars 'both': var 'interval' must not be required: true",
        ),
    ],
)
def test_bad_vars_are_reported(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    default: str,
    extra: str,
    groups: str,
    message: str,
) -> None:
    code, err = check(source(tmp_path, default, extra, groups), capsys)
    assert code == 1
    assert message in err
