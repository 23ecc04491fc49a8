"""Broken sources: `fleetpkg check` prints every problem as path:line:col: message, exits 1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# (case id, file, text to replace, replacement, exact problem line)
CASES = [
    (
        "bad-yaml",
        "manifest.yml",
        "title: Sample\n",
        "title: [Sample\n",
        "manifest.yml:3:8: invalid YAML: expected ',' or ']', but got ':'",
    ),
    (
        "unknown-key",
        "manifest.yml",
        "title: Sample\n",
        "title: Sample\ncolour: blue\n",
        "manifest.yml:3:1: unknown key 'colour'",
    ),
    (
        "wrong-type",
        "data_stream/events/manifest.yml",
        "    title: Sample events\n",
        "    title: [1, 2]\n",
        "data_stream/events/manifest.yml:5:12: [1, 2] is not of type 'string'",
    ),
    (
        "unknown-ecs-field",
        "data_stream/events/fields.yml",
        "- name: source.ip\n",
        "- name: source.ipaddress\n",
        "data_stream/events/fields.yml:4:9: unknown ECS field 'source.ipaddress' (ECS 9.4.0)",
    ),
    (
        "unknown-ecs-target",
        "data_stream/events/fields.yml",
        "  metric_type: gauge\n",
        "  metric_type: gauge\n  ecs: user.nickname\n",
        "data_stream/events/fields.yml:8:9: unknown ECS field 'user.nickname' (ECS 9.4.0)",
    ),
    (
        "duplicate-field",
        "data_stream/events/fields.yml",
        "- name: sample.events.user\n",
        "- name: sample.events.size\n",
        "data_stream/events/fields.yml:14:9: duplicate field 'sample.events.size'"
        " (first declared at line 8)",
    ),
    (
        "duplicate-yaml-key",
        "data_stream/events/fields.yml",
        "  unit: byte\n",
        "  unit: byte\n  unit: byte\n",
        "data_stream/events/fields.yml:12:3: duplicate key 'unit'",
    ),
    (
        "missing-required-manifest-key",
        "manifest.yml",
        "owner:\n  github: fleetpkg/tests\n  type: community\n",
        "",
        "manifest.yml:1:1: 'owner' is a required property",
    ),
    (
        "bad-version",
        "manifest.yml",
        "version: 1.2.0",
        'version: "1.2"',
        "manifest.yml:3:10: '1.2' is not a semantic version (major.minor.patch[-prerelease])",
    ),
    (
        "version-not-a-string",
        "manifest.yml",
        "version: 1.2.0",
        "version: 1.2",
        "manifest.yml:3:10: 1.2 is not of type 'string'",
    ),
    (
        "dangling-pipeline-reference",
        "data_stream/events/pipeline.yml",
        "field: user.name",
        "field: user.full_name",
        "data_stream/events/pipeline.yml:3:7: lowercase processor reads undeclared field"
        " 'user.full_name'",
    ),
    (
        "unknown-processor",
        "data_stream/events/pipeline.yml",
        "  - lowercase:",
        "  - lowercas:",
        "data_stream/events/pipeline.yml:2:5: unknown processor 'lowercas'",
    ),
    (
        "processor-without-tag",
        "data_stream/events/pipeline.yml",
        "      tag: lowercase_user_name\n",
        "",
        "data_stream/events/pipeline.yml:3:7: 'tag' is a required property",
    ),
    (
        "duplicate-processor-tag",
        "data_stream/events/pipeline.yml",
        "tag: lowercase_user_name",
        "tag: set_ecs_version",
        "data_stream/events/pipeline.yml:3:7: duplicate processor tag 'set_ecs_version'",
    ),
    (
        "changelog-does-not-match-version",
        "changelog.yml",
        "- version: 1.2.0",
        "- version: 1.1.0",
        "changelog.yml:1:12: newest changelog version 1.1.0 does not match manifest version 1.2.0",
    ),
    (
        "changelog-out-of-order",
        "changelog.yml",
        "- version: 1.0.0",
        "- version: 1.3.0",
        "changelog.yml:6:12: changelog versions must strictly decrease: 1.3.0 after 1.2.0",
    ),
    (
        "docs-marker-unknown-data-stream",
        "docs/README.md",
        '{{fields "events"}}',
        '{{fields "evnts"}}',
        "docs/README.md:3:1: fields marker names unknown data stream 'evnts'",
    ),
    (
        "secret-not-explicit",
        "data_stream/events/manifest.yml",
        "        secret: true\n",
        "",
        "data_stream/events/manifest.yml:17:9: var 'api_token' must set 'secret' explicitly",
    ),
    (
        "missing-agent-template",
        "data_stream/events/manifest.yml",
        "template_path: log.yml.hbs",
        "template_path: logs.yml.hbs",
        "data_stream/events/manifest.yml:4:5: template 'logs.yml.hbs' not found in"
        " data_stream/events/agent/stream/",
    ),
    (
        "bad-json-sample-event",
        "data_stream/events/sample_event.json",
        '"size": 10,',
        '"size": 10,,',
        "data_stream/events/sample_event.json:1:77: invalid JSON:"
        " Expecting property name enclosed in double quotes",
    ),
    (
        "unit-on-keyword",
        "data_stream/events/fields.yml",
        "  example: alice\n",
        "  example: alice\n  unit: byte\n",
        "data_stream/events/fields.yml:14:9: unit and metric_type need a numeric type,"
        " not 'keyword'",
    ),
    (
        "field-below-a-leaf",
        "data_stream/events/fields.yml",
        "- name: sample.events.user\n",
        "- name: sample.events.size.user\n",
        "data_stream/events/fields.yml:14:9: field 'sample.events.size.user' is below field"
        " 'sample.events.size' (a leaf)",
    ),
    (
        "unknown-field-type",
        "data_stream/events/fields.yml",
        "  type: long\n",
        "  type: lng\n",
        "data_stream/events/fields.yml:9:9: 'lng' is not one of 'keyword', 'constant_keyword',"
        " 'wildcard', 'text', 'match_only_text', 'long', 'integer', 'short', 'byte', 'double',"
        " 'float', 'half_float', 'scaled_float', 'unsigned_long', 'date', 'date_nanos', 'boolean',"
        " 'ip', 'geo_point', 'flattened', 'object', 'version', 'binary'",
    ),
]


@pytest.fixture
def in_pkg(pkg: Path):
    """Run with the copied package as working directory, so paths print relative to it."""
    cwd = os.getcwd()
    os.chdir(pkg)
    yield pkg
    os.chdir(cwd)


def test_fixture_is_valid(in_pkg: Path, cli) -> None:
    assert cli("check") == (0, ".: ok\n", "")


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_broken_source(in_pkg: Path, edit, cli, rel, old, new, expected) -> None:
    edit(rel, old, new)
    code, out, err = cli("check")
    assert (code, out) == (1, "")
    assert err == f"{expected}\n1 problem(s)\n"


def test_build_reports_the_same_problems(in_pkg: Path, edit, cli) -> None:
    edit("manifest.yml", "title: Sample\n", "title: Sample\ncolour: blue\n")
    code, _, err = cli("build")
    assert code == 1
    assert err == "manifest.yml:3:1: unknown key 'colour'\n1 problem(s)\n"
    assert not (in_pkg / "package").exists()


def test_all_problems_are_collected_and_sorted(in_pkg: Path, edit, cli) -> None:
    edit("manifest.yml", "title: Sample\n", "title: Sample\ncolour: blue\n")
    edit("data_stream/events/fields.yml", "- name: source.ip\n", "- name: source.ipaddress\n")
    edit("changelog.yml", "type: enhancement", "type: feature")
    code, _, err = cli("check")
    assert code == 1
    assert err.splitlines() == [
        "changelog.yml:4:13: 'feature' is not one of 'breaking-change', 'bugfix', 'enhancement',"
        " 'deprecation'",
        "data_stream/events/fields.yml:4:9: unknown ECS field 'source.ipaddress' (ECS 9.4.0)",
        "manifest.yml:3:1: unknown key 'colour'",
        "3 problem(s)",
    ]


def test_json_output(in_pkg: Path, edit, cli) -> None:
    edit("manifest.yml", "title: Sample\n", "title: Sample\ncolour: blue\n")
    code, out, _ = cli("check", "--json")
    assert code == 1
    assert json.loads(out) == [
        {"path": "manifest.yml", "line": 3, "col": 1, "message": "unknown key 'colour'"}
    ]


def test_missing_file(in_pkg: Path, cli) -> None:
    (in_pkg / "changelog.yml").unlink()
    assert cli("check") == (1, "", "changelog.yml: file is missing\n1 problem(s)\n")
