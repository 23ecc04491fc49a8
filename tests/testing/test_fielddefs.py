"""Field definitions: nested groups, line numbers, ``external: ecs`` and the ECS policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.ecs import load_ecs
from fleetpkg.packagedir import PackageError, load_package
from fleetpkg.testing.fielddefs import load_fields

MANIFEST = "format_version: 3.0.0\nname: p\nversion: 1.0.0\ntype: integration\n"


def _package(
    root: Path, fields: str, *, build: str | None = None, manifest: str = MANIFEST
) -> Path:
    (root / "data_stream/ds/fields").mkdir(parents=True)
    (root / "manifest.yml").write_text(manifest)
    (root / "data_stream/ds/manifest.yml").write_text("title: ds\ntype: logs\n")
    (root / "data_stream/ds/fields/fields.yml").write_text(fields)
    if build is not None:
        (root / "_dev/build").mkdir(parents=True)
        (root / "_dev/build/build.yml").write_text(build)
    return root


def _load(root: Path):  # type: ignore[no-untyped-def]
    package = load_package(root)
    return load_fields(package, package.data_streams[0])


def test_nested_groups_and_lines(tmp_path: Path) -> None:
    fields = _load(
        _package(
            tmp_path,
            "- name: a\n  type: group\n  fields:\n    - name: b\n      fields:\n"
            "        - name: c\n          type: long\n- name: d.e\n  type: keyword\n",
        )
    )
    assert fields.fields["a.b.c"].type == "long"
    assert fields.fields["a.b.c"].where == "data_stream/ds/fields/fields.yml:6"
    assert fields.fields["a.b"].type == "group"
    assert fields.fields["d.e"].where == "data_stream/ds/fields/fields.yml:8"


def test_external_ecs_is_resolved_with_local_overrides(tmp_path: Path) -> None:
    text = (
        "- name: source.ip\n  external: ecs\n"
        "- name: event.dataset\n  external: ecs\n  type: constant_keyword\n"
        "- name: process.pid\n  external: ecs\n  type: keyword\n"
        "- name: tags\n  external: ecs\n"
    )
    fields = _load(
        _package(tmp_path, text, build="dependencies:\n  ecs:\n    reference: git@v9.4.0\n")
    )
    assert fields.fields["source.ip"].type == "ip"
    assert fields.fields["source.ip"].where == "data_stream/ds/fields/fields.yml:1"
    assert fields.fields["event.dataset"].type == "constant_keyword"  # allowed override
    assert fields.fields["process.pid"].type == "long"  # other overrides fall back to ECS
    assert fields.fields["tags"].normalize == ("array",)
    assert fields.warnings == ()
    assert fields.ecs is None  # no ecs@mappings: undeclared ECS fields stay undefined


def test_unknown_ecs_field(tmp_path: Path) -> None:
    root = _package(tmp_path, "- name: nope.nothing\n  external: ecs\n")
    with pytest.raises(PackageError, match=r"fields.yml:1: field definition not found in schema"):
        _load(root)


def test_other_ecs_reference_warns(tmp_path: Path) -> None:
    build = "dependencies:\n  ecs:\n    reference: git@v8.11.0\n"
    fields = _load(_package(tmp_path, "- name: source.ip\n  external: ecs\n", build=build))
    version = load_ecs().version
    assert fields.warnings == (
        f"_dev/build/build.yml pins ECS 'git@v8.11.0'; fleetpkg ships ECS {version} only, "
        f"so external: ecs fields are resolved from ECS {version}",
    )
    assert fields.fields["source.ip"].type == "ip"


@pytest.mark.parametrize(
    ("kibana", "build", "import_all"),
    [
        ("^8.13.0", None, True),
        ("^8.19.0 || ^9.1.0", None, True),
        ("^8.12.0 || ^9.0.0", None, False),
        (
            "^7.17.0",
            "dependencies:\n  ecs:\n    reference: git@v9.4\n    import_mappings: true\n",
            True,
        ),
        ("", None, False),
    ],
)
def test_whole_ecs_fallback(
    tmp_path: Path, kibana: str, build: str | None, import_all: bool
) -> None:
    manifest = MANIFEST + (f"conditions:\n  kibana:\n    version: '{kibana}'\n" if kibana else "")
    fields = _load(
        _package(tmp_path, "- name: x\n  type: keyword\n", build=build, manifest=manifest)
    )
    assert (fields.ecs is not None) is import_all
    if import_all:
        found = fields.lookup("process.pid")
        assert found is not None
        assert found.where == f"ECS {load_ecs().version}"


def test_package_level_fields_are_included(tmp_path: Path) -> None:
    root = _package(tmp_path, "- name: a\n  type: keyword\n")
    (root / "fields").mkdir()
    (root / "fields/package.yml").write_text("- name: pkg.level\n  type: long\n")
    fields = _load(root)
    assert fields.fields["pkg.level"].where == "fields/package.yml:1"


def test_local_ecs_schema_file(tmp_path: Path) -> None:
    nested = (
        "event:\n  fields:\n    event.category:\n      flat_name: event.category\n"
        "      type: keyword\n      normalize: [array]\n      allowed_values:\n"
        "        - name: network\n          expected_event_types: [connection, start]\n"
        "source:\n  fields:\n    source.port:\n      flat_name: source.port\n      type: long\n"
    )
    root = _package(
        tmp_path,
        "- name: event.category\n  external: ecs\n- name: source.port\n  external: ecs\n",
        build="dependencies:\n  ecs:\n    reference: file://_dev/ecs_nested.yml\n",
    )
    (root / "_dev/ecs_nested.yml").write_text(nested)
    fields = _load(root)
    assert fields.warnings == ()
    assert fields.fields["source.port"].type == "long"
    category = fields.fields["event.category"]
    assert category.allowed_values == ("network",)
    assert category.expected_event_types("network") == ("connection", "start")
    assert category.where == "data_stream/ds/fields/fields.yml:1"


def test_fields_missing_from_the_shipped_ecs_are_kept_when_another_release_is_pinned(
    tmp_path: Path,
) -> None:
    text = "- name: source.ip\n  external: ecs\n- name: old.removed\n  external: ecs\n"
    build = "dependencies:\n  ecs:\n    reference: git@v1.12.0\n"
    fields = _load(_package(tmp_path, text, build=build))
    assert fields.fields["old.removed"].type == ""  # declared, not type-checked
    assert fields.warnings[1] == (
        f"data_stream/ds/fields/fields.yml:3: old.removed is not in ECS {load_ecs().version}"
    )
