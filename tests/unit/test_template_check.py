"""A stream template Handlebars.js cannot parse stops `check` and `build` at its line:col."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = "data_stream/events/agent/stream/log.yml.hbs"


def test_unclosed_block_is_refused(pkg: Path, cli, tmp_path: Path) -> None:
    path = pkg / TEMPLATE
    lines = path.read_text(encoding="utf-8").count("\n")
    with path.open("a", encoding="utf-8") as out:
        out.write("{{#if foo}}unclosed\n")
    for argv in (["check"], ["build", "--out", str(tmp_path / "out")]):
        code, _, err = cli(*argv, "--source", str(pkg))
        assert code == 1
        first, count = err.splitlines()[0], err.splitlines()[-1]
        assert first.startswith(f"{pkg.as_posix()}/{TEMPLATE}:{lines + 1}:")
        assert "{{#if}} at" in first
        assert "is never closed" in first
        assert count == "1 problem(s)"
    assert not (tmp_path / "out").exists()
