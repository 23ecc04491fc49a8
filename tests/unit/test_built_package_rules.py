"""`fleetpkg check`, built-package part: package-spec rules on what the build renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.check import check_built
from fleetpkg.load import load_package
from fleetpkg.render import render
from fleetpkg.resolve import validate

PIPELINE = "data_stream/events/elasticsearch/ingest_pipeline/default.yml"


@pytest.fixture
def files(pkg: Path) -> dict[str, bytes]:
    return render(validate(load_package(pkg)))


def problems(files: dict[str, bytes]) -> list[str]:
    return [str(p) for p in check_built(files)]


def replace(files: dict[str, bytes], rel: str, old: str, new: str) -> None:
    text = files[rel].decode()
    assert old in text
    files[rel] = text.replace(old, new, 1).encode()


def test_rendered_fixture_passes(files: dict[str, bytes]) -> None:
    assert problems(files) == []


def test_repository_package_passes(repo_root: Path) -> None:
    assert check_built(render(validate(load_package(repo_root)))) == []


def test_processor_without_tag(files: dict[str, bytes]) -> None:
    replace(files, PIPELINE, "      tag: lowercase_user_name\n", "")
    assert problems(files) == [f"package/{PIPELINE}:56:5: lowercase processor has no tag"]


def test_duplicate_tag(files: dict[str, bytes]) -> None:
    replace(files, PIPELINE, "tag: lowercase_user_name", "tag: set_ecs_version")
    assert problems(files) == [
        f"package/{PIPELINE}:56:5: lowercase processor has duplicate tag 'set_ecs_version'"
    ]


def test_on_failure_rules(files: dict[str, bytes]) -> None:
    replace(files, PIPELINE, "value: pipeline_error", "value: error")
    replace(files, PIPELINE, "{{{ _ingest.on_failure_message }}}", "")
    assert problems(files) == [
        f"package/{PIPELINE}:71:3: on_failure error.message must include"
        " _ingest.on_failure_message",
        f"package/{PIPELINE}:71:3: on_failure must set event.kind to 'pipeline_error'",
    ]


def test_pipeline_must_start_with_document_marker(files: dict[str, bytes]) -> None:
    replace(files, PIPELINE, "---\n", "")
    assert problems(files) == [f"package/{PIPELINE}:1:1: a YAML pipeline must start with '---'"]


def test_unresolved_external_and_missing_base_field(files: dict[str, bytes]) -> None:
    rel = "data_stream/events/fields/base-fields.yml"
    replace(
        files,
        rel,
        "- name: data_stream.type\n  type: constant_keyword\n",
        "- name: x\n  external: ecs\n",
    )
    assert problems(files) == [
        "package/data_stream/events/fields: field 'data_stream.type' is not defined",
        f"package/{rel}: field 'x' has no type",
        f"package/{rel}: field 'x': 'external' must be resolved in a built package",
    ]


def test_field_defined_twice(files: dict[str, bytes]) -> None:
    files["data_stream/events/fields/more.yml"] = b"- name: user.name\n  type: keyword\n"
    assert problems(files) == [
        "package/data_stream/events/fields/more.yml: field 'user.name' is also defined in"
        " data_stream/events/fields/ecs.yml"
    ]


def test_manifest_rules(files: dict[str, bytes]) -> None:
    replace(files, "manifest.yml", "format_version: 3.6.6", "format_version: 3.7.0")
    replace(files, "manifest.yml", "src: /img/logo.svg", "src: /img/missing.svg")
    files["data_stream/events/manifest.yml"] = files["data_stream/events/manifest.yml"].replace(
        b"        secret: true\n", b""
    )
    assert problems(files) == [
        "package/data_stream/events/manifest.yml:18:9: var 'api_token' must set 'secret'"
        " explicitly",
        "package/manifest.yml:2:17: format_version must be one of ('3.6.6',)",
        "package/manifest.yml:14:5: icon '/img/missing.svg' is not in the package",
    ]


def test_missing_template_and_unexpanded_marker(files: dict[str, bytes]) -> None:
    del files["data_stream/events/agent/stream/log.yml.hbs"]
    files["docs/README.md"] += b'\n{{event "events"}}\n'
    assert problems(files) == [
        "package/data_stream/events/manifest.yml:5:5: template"
        " 'data_stream/events/agent/stream/log.yml.hbs' is missing",
        'package/docs/README.md: unexpanded marker {{event "events"}}',
    ]


def test_changelog_must_match_version(files: dict[str, bytes]) -> None:
    replace(files, "changelog.yml", "- version: 1.2.0", "- version: 1.1.0")
    assert problems(files) == [
        "package/changelog.yml:2:3: first changelog version 1.1.0 is not the package version"
    ]


def test_field_attributes(files: dict[str, bytes]) -> None:
    rel = "data_stream/events/fields/fields.yml"
    replace(files, rel, "unit: byte", "unit: bytes")
    replace(files, rel, "type: keyword", "type: string")
    replace(files, rel, "metric_type: gauge", "metric_type: rate")
    assert problems(files) == [
        f"package/{rel}: field 'sample.events.size' has unknown unit 'bytes'",
        f"package/{rel}: field 'sample.events.size': metric_type needs a numeric field and"
        " counter or gauge",
        f"package/{rel}: field 'sample.events.user' has unknown type 'string'",
    ]
