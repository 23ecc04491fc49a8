"""End to end: the fixture packages through the runner on the embedded engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fleetpkg.packagedir import PackageError
from fleetpkg.testing import RunOptions, coverage_of, run_package
from fleetpkg.testing.results import CaseResult, PackageResult
from fleetpkg.testing.runner import pipeline_error

PIPELINE = "data_stream/{ds}/elasticsearch/ingest_pipeline/{name}"


def _case(result: PackageResult, ds: str, name: str) -> CaseResult:
    return next(c for c in result.cases if c.data_stream == ds and c.name == name)


def test_good_package_passes(fixtures: Path) -> None:
    result = run_package(fixtures / "good")
    statuses = {(c.data_stream, c.name): c.status for c in result.cases}
    assert statuses == {
        ("access", "test-access.log"): "pass",
        ("access", "test-events.json"): "pass",
        ("access", "test-multiline.log"): "pass",
        ("access", "test-skipped.log"): "skip",
        ("metrics", "test-metrics.json"): "pass",
    }
    assert result.ok
    skipped = _case(result, "access", "test-skipped.log")
    assert skipped.skip is not None
    assert skipped.skip.reason == "shows that skip works"
    assert _case(result, "access", "test-access.log").events == 3
    assert _case(result, "access", "test-multiline.log").events == 2


def test_parallel_run_gives_the_same_results(fixtures: Path) -> None:
    serial = run_package(fixtures / "good")
    parallel = run_package(fixtures / "good", RunOptions(jobs=2))
    assert [(c.data_stream, c.name, c.status) for c in parallel.cases] == [
        (c.data_stream, c.name, c.status) for c in serial.cases
    ]


def test_data_stream_selection(fixtures: Path) -> None:
    result = run_package(fixtures / "good", RunOptions(data_streams=("metrics",)))
    assert [c.name for c in result.cases] == ["test-metrics.json"]
    with pytest.raises(PackageError, match="unknown data stream"):
        run_package(fixtures / "good", RunOptions(data_streams=("nope",)))


def test_good_package_has_full_processor_coverage(fixtures: Path) -> None:
    coverage = coverage_of(fixtures / "good")
    coverage.require(100.0, both_ways=True)  # the API a package's own pytest suite would call
    assert coverage.uncovered() == ()
    assert coverage.one_sided() == ()
    assert coverage.percent == 100.0
    files = {p.file for p in coverage.pipelines}
    assert files == {
        PIPELINE.format(ds="access", name="default.yml"),
        PIPELINE.format(ds="access", name="numbers.yml"),
        PIPELINE.format(ds="metrics", name="default.json"),
    }


def test_coverage_counts_processors_and_conditions(fixtures: Path) -> None:
    coverage = coverage_of(fixtures / "good", ("access",))
    default = next(p for p in coverage.pipelines if p.pipeline == "default")
    assert len(default.top_level) == 14
    drop = default.top_level[0]
    assert (drop.type, drop.tag, drop.line) == ("drop", "drop_comments", 4)
    assert drop.cond_true == 1  # the comment line of test-access.log
    assert drop.cond_false >= 5
    handler = next(p for p in default.processors if p.role == "on_failure" and p.line > 40)
    assert handler.type == "set"
    assert handler.executed == 2  # "maybe" (test-access.log) and "false\n…" (multiline)
    pipeline_level = [p for p in default.processors if p.pointer.startswith("/on_failure/")]
    assert [p.executed for p in pipeline_level] == [0, 0]


def test_coverage_reports_what_never_ran(fixtures: Path) -> None:
    coverage = coverage_of(fixtures / "broken", ("web",))
    never = [(p.type, p.tag, p.line) for p in coverage.uncovered()]
    assert never == [("set", "never_runs", 35)]
    one_sided = [(p.type, p.line, p.cond_true, p.cond_false > 0) for p in coverage.one_sided()]
    assert one_sided == [("set", 35, 0, True)]
    (web,) = coverage.pipelines
    assert web.covered == len(web.top_level) - 1
    assert coverage.percent == pytest.approx(100 * (len(web.top_level) - 1) / len(web.top_level))
    assert "not run: set (tag never_runs) at data_stream/web/" in coverage.table()
    assert "if never true: set (tag never_runs)" in coverage.table()
    coverage.require(80.0)
    with pytest.raises(AssertionError, match=r"below 100.0% processor coverage:\n"):
        coverage.require()


def test_broken_package_statuses(fixtures: Path) -> None:
    result = run_package(fixtures / "broken")
    statuses = {(c.data_stream, c.name): c.status for c in result.cases}
    assert statuses == {
        ("failing", "test-fail-null.json"): "pass",
        ("failing", "test-fail.json"): "fail",
        ("gap", "test-gap.json"): "unsupported",
        ("gaphidden", "test-hidden.json"): "unsupported",
        ("gapscript", "test-script.json"): "unsupported",
        ("web", "test-diff.log"): "fail",
        ("web", "test-dynamic.json"): "fail",
        ("web", "test-error.json"): "fail",
        ("web", "test-fields.log"): "fail",
        ("web", "test-noexpected.log"): "fail",
        ("web", "test-objects.json"): "fail",
    }
    assert not result.ok


def test_engine_gaps_are_unsupported_with_location(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("gap", "gapscript")))
    gap = _case(result, "gap", "test-gap.json")
    assert gap.details == (
        "unsupported: processor [inference] at "
        + PIPELINE.format(ds="gap", name="default.yml")
        + ":7",
    )
    script = _case(result, "gapscript", "test-script.json")
    assert script.details == (
        "unsupported: painless: cannot resolve symbol [NoSuchHelper] at "
        + PIPELINE.format(ds="gapscript", name="scripted.yml")
        + ":6",
    )


def test_engine_gaps_hidden_by_ignore_failure_are_unsupported(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("gaphidden",)))
    (case,) = result.cases
    assert case.status == "unsupported"
    (detail,) = case.details
    assert detail.startswith("unsupported: painless: dynamic method [")  # engine's wording
    assert detail.endswith(
        "noSuchMethodAnywhere/0] not found at "
        + PIPELINE.format(ds="gaphidden", name="default.yml")
        + ":7"
    )


def test_uncaught_pipeline_errors_become_null_like_elastic_package(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("failing",)))
    where = PIPELINE.format(ds="failing", name="default.yml") + ":6"
    failed = _case(result, "failing", "test-fail.json")
    assert failed.status == "fail"
    assert failed.details == (
        "test-fail.json[0]: pipeline error (recorded as null, as elastic-package does): "
        f"fail_processor_exception: boom: x at {where}",
        "test-fail.json-expected.json not found (run with --generate to create it)",
    )
    passed = _case(result, "failing", "test-fail-null.json")  # its expected file holds null
    assert passed.status == "pass"
    assert passed.warnings == (
        "test-fail-null.json[0]: pipeline error (recorded as null, as elastic-package does): "
        f"fail_processor_exception: boom: y at {where}",
    )


def test_field_validation_failures(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("web",)))
    details = _case(result, "web", "test-fields.log").details
    fields_yml = "data_stream/web/fields/fields.yml"
    expected = [
        'test-fields.log[0]: field "event.dataset" should have value in ["broken.web"], '
        'it has "broken.wrong" (declared at data_stream/web/fields/ecs.yml:5)',
        'test-fields.log[0]: field "web.count"\'s Go type, string, does not match the expected '
        f"field type: long (field value: one) (declared at {fields_yml}:4)",
        'test-fields.log[0]: field "web.addr" value "not-an-ip" is not a valid IP address '
        f"(declared at {fields_yml}:10)",
        'test-fields.log[0]: field "web.undefined_thing" is undefined',
        'test-fields.log[0]: field "tags" is not normalized as expected: expected array, '
        'found "single" (string) (declared at data_stream/web/fields/ecs.yml:3)',
        'test-fields.log[1]: field "web.kind"\'s value "other" does not match the declared '
        f'constant_keyword value "web" (declared at {fields_yml}:12)',
    ]
    for line in expected:
        assert line in details
    assert any('the IP "8.8.8.8" is not one of the allowed test IPs' in d for d in details)
    assert any("geo_point (field value: 12)" in d for d in details)
    assert any("boolean (field value: maybe)" in d for d in details)
    assert len(details) == 9


def test_other_failures(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("web",)))
    diff = _case(result, "web", "test-diff.log")
    assert diff.details == ("Expected results are different from actual ones",)
    assert '-                "ip": "10.9.9.9"' in diff.diff
    assert '+                "ip": "10.1.2.3"' in diff.diff
    assert _case(result, "web", "test-dynamic.json").details == (
        'test-dynamic.json: dynamic field "web.id" doesn\'t match the pattern '
        "(^[a-z]+-[0-9]+$): zzz",
    )
    assert _case(result, "web", "test-error.json").details == (
        "test-error.json[0]: unexpected pipeline error: asked to fail",
    )
    assert _case(result, "web", "test-noexpected.log").details == (
        "test-noexpected.log-expected.json not found (run with --generate to create it)",
    )
    assert _case(result, "web", "test-objects.json").details == (
        'test-objects.json[0]: field "items" is used as array of objects, expected explicit '
        "definition with type group or nested",
        'test-objects.json[0]: field "web.id.raw" is undefined, could be a multifield',
    )


def test_generate_round_trip(copy_package: Callable[[str], Path], fixtures: Path) -> None:
    root = copy_package("good")
    committed = {p.relative_to(root): p.read_bytes() for p in root.rglob("*-expected.json")}
    assert len(committed) == 4
    for path in committed:
        (root / path).unlink()
    assert not run_package(root).ok
    generated = run_package(root, RunOptions(generate=True))
    assert generated.ok
    assert all(c.generated for c in generated.cases if c.status == "pass")
    for path, content in committed.items():
        assert (root / path).read_bytes() == content
    assert run_package(root).ok


def test_generate_escapes_html_for_old_format_versions(
    copy_package: Callable[[str], Path],
) -> None:
    root = copy_package("legacy")
    expected = root / "data_stream/log/_dev/test/pipeline/test-html.log-expected.json"
    golden = expected.read_text()
    expected.unlink()
    assert run_package(root, RunOptions(generate=True)).ok
    text = expected.read_text()
    assert text == golden
    assert "\\u003cb\\u003e\\u0026amp;\\u003c/b\\u003e" in text
    assert '"switch": "on"' in text  # yaml.v3: `on` is a string


def test_generate_with_dynamic_fields_still_compares(copy_package: Callable[[str], Path]) -> None:
    root = copy_package("broken")
    result = run_package(root, RunOptions(generate=True, data_streams=("web",)))
    dynamic = _case(result, "web", "test-dynamic.json")
    assert dynamic.generated
    assert dynamic.status == "fail"  # the pattern check still runs after generating
    assert _case(result, "web", "test-diff.log").status == "pass"


def test_package_level_skip(fixtures: Path) -> None:
    result = run_package(fixtures / "skipped")
    assert result.skip is not None
    assert result.skip.reason == "pipeline tests disabled for the whole package"
    assert result.cases == ()
    assert result.ok


def test_not_a_package(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="not a package"):
        run_package(tmp_path)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"event": {"kind": "pipeline_error"}, "error": {"message": "boom"}}, "boom"),
        ({"error": {"message": ["a", "b"]}}, "[a b]"),
        ({"error": {"message": "vendor error"}}, "vendor error"),  # as elastic-package does
        ({"error.message": "literal dotted key"}, None),
        ({"event": {"kind": "pipeline_error"}}, None),
    ],
)
def test_pipeline_error_is_any_error_message(doc: dict[str, object], message: str | None) -> None:
    assert pipeline_error(doc) == message


def test_broken_files_are_errors_not_crashes(copy_package: Callable[[str], Path]) -> None:
    root = copy_package("good")
    tests = root / "data_stream/access/_dev/test/pipeline"
    (tests / "test-bad.json").write_text('{"events": [1, 2]')
    (tests / "test-bad-config.log").write_text("x\n")
    (tests / "test-bad-config.log-config.yml").write_text("fields: [1, 2]\n")
    (root / "data_stream/metrics/elasticsearch/ingest_pipeline/default.json").write_text("{")
    result = run_package(root)
    bad = _case(result, "access", "test-bad.json")
    assert (bad.status, bad.details) == (
        "error",
        (
            "data_stream/access/_dev/test/pipeline/test-bad.json:1: invalid JSON: "
            "Expecting ',' delimiter",
        ),
    )
    config = _case(result, "access", "test-bad-config.log")
    assert config.status == "error"
    assert "fields and dynamic_fields must be maps" in config.details[0]
    (metrics,) = [c for c in result.cases if c.data_stream == "metrics"]
    assert metrics.status == "error"
    assert metrics.details[0].startswith(
        "data_stream/metrics/elasticsearch/ingest_pipeline/default.json:1: invalid JSON"
    )
    assert _case(result, "access", "test-access.log").status == "pass"


def test_pipelines_that_never_compiled_count_as_not_run(fixtures: Path) -> None:
    coverage = coverage_of(fixtures / "broken", ("gap",))
    assert coverage.percent == 0.0
    assert [(p.type, p.line, p.executed) for p in coverage.uncovered()] == [
        ("set", 4, 0),
        ("inference", 7, 0),
    ]
