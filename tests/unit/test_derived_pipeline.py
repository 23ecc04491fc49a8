"""The derived ingest pipeline: processors from fields.yml, tags, on_failure."""

from __future__ import annotations

from pathlib import Path

from fleetpkg.derive import all_tags, build_pipeline, null_safe, reads
from fleetpkg.ecs import load_ecs
from fleetpkg.load import load_package
from fleetpkg.resolve import validate


def pipeline_of(pkg: Path) -> dict:
    package = validate(load_package(pkg))
    return build_pipeline(package.data_streams[0], load_ecs())


def test_processors_derived_from_fields(pkg: Path) -> None:
    processors = pipeline_of(pkg)["processors"]
    assert [next(iter(p)) + ":" + p[next(iter(p))]["tag"] for p in processors] == [
        "set:set_ecs_version",
        "rename:rename_message_to_event_original",
        "remove:remove_message",
        "json:json_event_original",
        "date:date_timestamp",
        "remove:remove_sample_events_time",
        "convert:convert_source_ip",
        "remove:remove_sample_events_client",
        "rename:rename_sample_events_size",
        "set:set_user_name",
        "lowercase:lowercase_user_name",
        "set:set_event_kind",
        "remove:remove_event_original",
    ]
    assert processors[4]["date"] == {
        "tag": "date_timestamp",
        "field": "sample.events.time",
        "target_field": "@timestamp",
        "formats": ["ISO8601"],
        "if": "ctx.sample?.events?.time != null",
    }
    assert processors[8]["rename"] == {
        "tag": "rename_sample_events_size",
        "field": "sample.events.Size",
        "target_field": "sample.events.size",
        "ignore_missing": True,
    }
    assert processors[9]["set"] == {
        "tag": "set_user_name",
        "field": "user.name",
        "copy_from": "sample.events.user",
        "ignore_empty_value": True,
    }


def test_on_failure_handler(pkg: Path) -> None:
    handler = pipeline_of(pkg)["on_failure"]
    assert handler[0]["set"] == {
        "tag": "set_event_kind_pipeline_error",
        "field": "event.kind",
        "value": "pipeline_error",
    }
    message = handler[1]["append"]["value"]
    for meta in (
        "_ingest.on_failure_processor_type",
        "_ingest.on_failure_processor_tag",
        "_ingest.on_failure_pipeline",
        "_ingest.on_failure_message",
        "_ingest.pipeline",
    ):
        assert "{{{ " + meta + " }}}" in message


def test_tags_are_unique(pkg: Path) -> None:
    pipeline = pipeline_of(pkg)
    tags = list(all_tags(pipeline["processors"])) + list(all_tags(pipeline["on_failure"]))
    assert len(tags) == len(set(tags))


def test_reads() -> None:
    assert reads("rename", {"field": "a.b", "target_field": "c"}) == ["a.b"]
    assert reads("set", {"field": "x", "copy_from": "a"}) == ["a"]
    assert reads("append", {"field": "x", "value": "{{{source.ip}}} {{ host.name }}"}) == [
        "source.ip",
        "host.name",
    ]
    assert reads("fingerprint", {"fields": ["a", "b"], "target_field": "_id"}) == ["a", "b"]
    assert reads("remove", {"field": "gone"}) == []
    assert reads("set", {"field": "x", "value": "{{{_ingest.timestamp}}}"}) == []


def test_null_safe_paths() -> None:
    assert null_safe("a.b.When") == "ctx.a?.b?.When"
    assert null_safe("a.x-y.z") == "ctx.a?.get('x-y')?.z"
    assert null_safe("@timestamp") == "ctx.get('@timestamp')"
