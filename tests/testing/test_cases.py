"""Test case discovery, config merging and input reading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fleetpkg.packagedir import PackageError, load_package
from fleetpkg.testing.cases import load_case, merge, put, read_events, read_expected


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_skips_expected_and_config_files(fixtures: Path) -> None:
    package = load_package(fixtures / "good")
    access = next(ds for ds in package.data_streams if ds.name == "access")
    names = [p.name for p in access.case_files()]
    assert names == [
        "test-access.log",
        "test-events.json",
        "test-multiline.log",
        "test-skipped.log",
    ]
    assert access.index == "logs-good.access-default"
    metrics = next(ds for ds in package.data_streams if ds.name == "metrics")
    assert metrics.dataset == "good.custom_metrics"
    assert metrics.type == "metrics"


def test_common_config_then_case_config(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "test-common-config.yml",
        "fields:\n  a: 1\n  b: {c: 2}\ndynamic_fields:\n  x: '^1'\n",
    )
    _write(tmp_path, "test-x.log-config.yml", "fields:\n  b: {d: 3}\ndynamic_fields:\n  x: '^2'\n")
    case = load_case(_write(tmp_path, "test-x.log", "line\n"))
    assert case.config.fields == {"a": 1, "b": {"c": 2, "d": 3}}
    assert case.config.dynamic_fields == {"x": "^2"}


def test_all_config_keys_are_read(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "test-x.json-config.yml",
        "skip: {reason: r, link: l}\nmultiline: {first_line_pattern: '^a'}\n"
        "numeric_keyword_fields: [k]\nstring_number_fields: [n]\n",
    )
    case = load_case(_write(tmp_path, "test-x.json", '{"events": []}'))
    assert case.config.skip is not None
    assert (case.config.skip.reason, case.config.skip.link) == ("r", "l")
    assert case.config.first_line_pattern == "^a"
    assert case.config.numeric_keyword_fields == ("k",)
    assert case.config.string_number_fields == ("n",)


def test_log_lines_become_messages(tmp_path: Path) -> None:
    case = load_case(_write(tmp_path, "test-a.log", "one\r\n\ntwo\n"))
    assert read_events(case) == [{"message": "one"}, {"message": ""}, {"message": "two"}]


def test_multiline_groups_lines(tmp_path: Path) -> None:
    _write(tmp_path, "test-m.log-config.yml", "multiline:\n  first_line_pattern: '^\\d'\n")
    case = load_case(_write(tmp_path, "test-m.log", "1 a\n  b\n  c\n2 d\n"))
    assert read_events(case) == [{"message": "1 a\n  b\n  c"}, {"message": "2 d"}]


def test_fields_are_put_with_dotted_paths(tmp_path: Path) -> None:
    _write(tmp_path, "test-f.json-config.yml", "fields:\n  event.category: web\n  tags: [x]\n")
    case = load_case(_write(tmp_path, "test-f.json", '{"events": [{"event": {"kind": "e"}}, {}]}'))
    events = read_events(case)
    assert events[0] == {"event": {"kind": "e", "category": "web"}, "tags": ["x"]}
    assert events[1] == {"event": {"category": "web"}, "tags": ["x"]}
    events[0]["tags"].append("y")
    assert events[1]["tags"] == ["x"]  # each event gets its own copy


def test_put_replaces_scalars_on_the_way() -> None:
    doc: dict[str, Any] = {"a": 1}
    put(doc, "a.b", 2)
    assert doc == {"a": {"b": 2}}


def test_merge_overrides_lists() -> None:
    assert merge({"a": [1], "b": {"c": 1}}, {"a": [2]}) == {"a": [2], "b": {"c": 1}}


def test_unsupported_extension(tmp_path: Path) -> None:
    case = load_case(_write(tmp_path, "test-x.txt", "x"))
    with pytest.raises(PackageError, match="unsupported extension"):
        read_events(case)


def test_json_events_must_be_wrapped(tmp_path: Path) -> None:
    case = load_case(_write(tmp_path, "test-x.json", "[{}]"))
    with pytest.raises(PackageError, match="events"):
        read_events(case)


def test_expected_file(tmp_path: Path) -> None:
    case = load_case(_write(tmp_path, "test-x.json", '{"events": [{}]}'))
    assert read_expected(case) is None
    _write(tmp_path, "test-x.json-expected.json", '{"expected": [null, {"a": 1}]}')
    assert read_expected(case) == [None, {"a": 1}]


def test_multiline_edge_cases_follow_elastic_package(tmp_path: Path) -> None:
    _write(tmp_path, "test-m.log-config.yml", "multiline:\n  first_line_pattern: '^\\d'\n")
    case = load_case(_write(tmp_path, "test-m.log", "\n\nlead\n1 a\n\n2 b\n"))
    assert read_events(case) == [{"message": "lead"}, {"message": "1 a\n"}, {"message": "2 b"}]
