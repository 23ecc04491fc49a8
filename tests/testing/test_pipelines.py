"""Loading a data stream's pipelines: references, links, JSON marks, routing rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.packagedir import PackageError, load_package
from fleetpkg.packagedir.yamlv3 import as_sent
from fleetpkg.testing.pipelines import PipelineSet, load_pipelines

MANIFEST = "format_version: 3.0.0\nname: p\nversion: 1.0.0\ntype: integration\n"


def _load(root: Path, files: dict[str, str], manifest: str = "title: d\n") -> PipelineSet:
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.yml").write_text(MANIFEST)
    ds = root / "data_stream" / "d"
    for name, text in {"manifest.yml": manifest, **files}.items():
        path = ds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    package = load_package(root)
    return load_pipelines(package, package.data_streams[0])


IP = "elasticsearch/ingest_pipeline/"


def test_ingest_pipeline_references_and_yaml_v3_values(tmp_path: Path) -> None:
    pipelines = _load(
        tmp_path,
        {
            IP + "default.yml": "processors:\n"
            "  - pipeline:\n      name: '{{ IngestPipeline \"sub\" }}'\n"
            "  - set:\n      field: a\n      value: on\n"
            "  - set:\n      field: b\n      value: 2.0\n",
            IP + "sub.yml": "processors: []\n",
        },
    )
    assert pipelines.entry == "default"
    default = pipelines.definitions()["default"]
    assert default["processors"][0] == {"pipeline": {"name": "sub"}}
    assert default["processors"][1]["set"]["value"] == "on"
    assert default["processors"][2]["set"]["value"] == 2  # Go marshals 2.0 as 2
    assert type(default["processors"][2]["set"]["value"]) is int
    file = pipelines.by_id("default")
    assert file is not None
    assert file.path == "data_stream/d/elasticsearch/ingest_pipeline/default.yml"
    assert file.line(("processors", 1)) == 4


def test_json_pipelines_keep_numbers_and_get_lines(tmp_path: Path) -> None:
    text = (
        '{\n  "processors": [\n    {"set": {"field": "a", "value": 1.0}},\n'
        '    {"set": {"field": "b", "value": 2}}\n  ]\n}\n'
    )
    pipelines = _load(tmp_path, {IP + "default.json": text})
    file = pipelines.by_id("default")
    assert file is not None
    assert file.definition["processors"][0]["set"]["value"] == 1.0
    assert file.line(("processors", 1)) == 4


def test_link_files(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "common.yml"
    shared.parent.mkdir()
    shared.write_text("processors:\n  - set:\n      field: shared\n      value: 1\n")
    pipelines = _load(
        tmp_path / "pkg",
        {
            IP + "default.yml": "processors:\n"
            "  - pipeline:\n      name: '{{IngestPipeline \"common\"}}'\n",
            IP + "common.yml.link": "../../../../../shared/common.yml 0123abcd\n",
        },
    )
    assert sorted(pipelines.definitions()) == ["common", "default"]
    assert pipelines.definitions()["common"]["processors"][0]["set"]["field"] == "shared"


def test_custom_entry_pipeline_and_missing_entry(tmp_path: Path) -> None:
    pipelines = _load(
        tmp_path / "a", {IP + "main.yml": "processors: []\n"}, "title: d\ningest_pipeline: main\n"
    )
    assert pipelines.entry == "main"
    with pytest.raises(PackageError, match="entry pipeline 'default' not found"):
        _load(tmp_path / "b", {IP + "other.yml": "processors: []\n"})


def test_invalid_pipeline_file_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match=r"default.yml:3: .*already defined"):
        _load(tmp_path, {IP + "default.yml": "processors: []\nx: 1\nx: 2\n"})


def test_routing_rules_become_reroute_processors(tmp_path: Path) -> None:
    rules = (
        "- source_dataset: p.d\n  rules:\n    - target_dataset: p.other\n"
        "      if: ctx.x == 1\n      namespace: '{{labels.ns}}'\n"
    )
    pipelines = _load(
        tmp_path,
        {
            IP + "default.yml": "processors:\n  - set:\n      field: a\n      value: 1\n",
            "routing_rules.yml": rules,
        },
    )
    processors = pipelines.definitions()["default"]["processors"]
    assert processors[1] == {
        "reroute": {
            "tag": "p.d",
            "if": "ctx.x == 1",
            "dataset": ["p.other"],
            "namespace": ["{{labels.ns}}"],
        }
    }
    file = pipelines.by_id("default")
    assert file is not None
    assert file.source(("processors", 1)) == "data_stream/d/routing_rules.yml"
    assert file.line(("processors", 1)) == 3
    assert file.source(("processors", 0)) == file.path
    assert pipelines.reroute_datasets == ("p.other",)


def test_as_sent() -> None:
    assert as_sent({"a": [1.0, 1.5, {"b": 3.0}], "c": "1.0"}) == {
        "a": [1, 1.5, {"b": 3}],
        "c": "1.0",
    }
