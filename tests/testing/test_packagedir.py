"""The one reader of a built package: manifests with yaml.v3 semantics, paths, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.packagedir import (
    PackageError,
    Skip,
    Var,
    load_package,
    parse_file,
    parse_manifest,
    read_manifest,
    version_tuple,
)

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = """\
format_version: 3.6.6
name: demo
title: Demo
version: 1.2.0
conditions:
  kibana:
    version: ^8.19.0
vars:
  - name: api_url
    type: url
    title: API URL
    default: https://example.com
policy_templates:
  - name: demo
    data_streams: [events]
    inputs:
      - type: cel
        vars:
          - name: flag
            type: text
            title: Flag
            default: yes
"""
STREAM = """\
title: Events
type: logs
streams:
  - input: cel
    title: Events
    template_path: cel.yml.hbs
    vars:
      - name: mode
        type: select
        title: Mode
        required: true
        options:
          - {value: a, text: Mode A}
          - {value: b, text: Mode B}
      - name: token
        type: password
        title: Token
        secret: true
    required_vars:
      auth:
        - name: token
"""


def _package(root: Path, manifest: str = MANIFEST, stream: str = STREAM) -> Path:
    (root / "data_stream" / "events").mkdir(parents=True)
    (root / "manifest.yml").write_text(manifest, encoding="utf-8")
    (root / "data_stream" / "events" / "manifest.yml").write_text(stream, encoding="utf-8")
    return root


def test_reads_the_manifest_and_the_data_streams(tmp_path: Path) -> None:
    package = load_package(_package(tmp_path))
    assert (package.name, package.version, package.format_version) == ("demo", "1.2.0", "3.6.6")
    assert package.kibana_version == "^8.19.0"
    assert package.skip is None
    (events,) = package.data_streams
    assert (events.type, events.dataset, events.entry_pipeline) == (
        "logs",
        "demo.events",
        "default",
    )
    assert events.index == "logs-demo.events-default"
    assert events.pipeline_dir == tmp_path / "data_stream/events/elasticsearch/ingest_pipeline"
    assert events.fields_dir == tmp_path / "data_stream/events/fields"
    assert events.test_dir == tmp_path / "data_stream/events/_dev/test/pipeline"
    assert events.policy_test_dir == tmp_path / "data_stream/events/_dev/test/policy"
    (stream,) = events.streams
    assert (stream.input, stream.template_path) == ("cel", "cel.yml.hbs")
    assert events.template_file(stream) == tmp_path / "data_stream/events/agent/stream/cel.yml.hbs"
    assert stream.required_vars == (("auth", ("token",)),)
    mode, token = stream.vars
    assert mode == Var(
        "mode",
        "select",
        "stream",
        "Mode",
        required=True,
        options=(("a", "Mode A"), ("b", "Mode B")),
    )
    assert mode.option_values == ("a", "b")
    assert token.hidden
    assert not mode.hidden


def test_vars_of_every_level_with_yaml_v3_values(tmp_path: Path) -> None:
    manifest = load_package(_package(tmp_path)).manifest
    assert [(v.name, v.level) for v in manifest.vars] == [("api_url", "package")]
    (template,) = manifest.policy_templates
    assert template.covers("events")
    assert not template.covers("other")
    (flag,) = template.inputs[0].vars
    assert flag.level == "input"
    assert flag.default == "yes"  # yaml.v3: only true/false are booleans


def test_the_manifest_alone_and_from_a_zip_entry(tmp_path: Path) -> None:
    _package(tmp_path, stream="streams: [unclosed")  # a broken data stream is not read
    assert read_manifest(tmp_path).name == "demo"
    with pytest.raises(PackageError, match=r"data_stream/events/manifest.yml:1: invalid YAML"):
        load_package(tmp_path)
    assert (
        parse_manifest(parse_file("name: z\nversion: 1.0.0\n", "z.zip!x"), "z.zip!x").title == "z"
    )


def test_errors_name_the_file_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(PackageError) as err:
        parse_file("a: 1\nb: [2\n", "m.yml")
    assert (err.value.path, err.value.line, err.value.col) == ("m.yml", 3, 1)
    assert str(err.value).startswith("m.yml:3: invalid YAML")
    with pytest.raises(PackageError, match=r'm\.yml:2: mapping key "a" already defined'):
        parse_file("a: 1\na: 2\n", "m.yml")
    with pytest.raises(PackageError, match="not a package"):
        load_package(tmp_path)
    (tmp_path / "manifest.yml").write_text("title: no name\n", encoding="utf-8")
    with pytest.raises(PackageError, match="manifest has no name"):
        read_manifest(tmp_path)


def test_unknown_data_stream_names_the_known_ones(tmp_path: Path) -> None:
    package = load_package(_package(tmp_path))
    assert package.data_stream("events").name == "events"
    with pytest.raises(PackageError, match=r"unknown data stream 'x' \(known: events\)"):
        package.data_stream("x")


def test_odd_shapes_are_skipped_not_raised(tmp_path: Path) -> None:
    stream = "title: T\nstreams:\n  - input: cel\n    vars: [1, {type: text}, {name: ok}]\n"
    package = load_package(_package(tmp_path, stream=stream))
    (events,) = package.data_streams
    assert [v.name for v in events.streams[0].vars] == ["ok"]
    assert events.streams[0].vars[0].type == "text"
    assert events.streams[0].template_path == "stream.yml.hbs"


def test_package_skip_and_the_built_cloudflare_package(tmp_path: Path) -> None:
    root = _package(tmp_path)
    (root / "_dev" / "test").mkdir(parents=True)
    (root / "_dev/test/config.yml").write_text("pipeline:\n  skip: {reason: r, link: l}\n")
    assert load_package(root).skip == Skip("r", "l")
    built = load_package(ROOT / "package")
    assert [d.name for d in built.data_streams] == ["audit", "logpull"]
    assert version_tuple(built.format_version) >= (3, 0, 0)


def test_version_tuple() -> None:
    assert version_tuple("2.12.0-beta1+build") == (2, 12, 0)
    assert version_tuple("1.x") == (1, 0)
