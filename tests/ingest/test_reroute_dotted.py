"""reroute reads and updates literal dotted data_stream.* / event.dataset keys (ES ≥ 8.8)."""

from __future__ import annotations

from typing import Any

from fleetpkg.ingest import simulate


def _reroute(config: dict[str, Any], index: str, source: dict[str, Any]) -> dict[str, Any]:
    request = {
        "pipeline": {"processors": [{"reroute": config}]},
        "docs": [{"_index": index, "_source": source}],
    }
    doc: dict[str, Any] = simulate(request)["docs"][0]["doc"]
    return doc


def test_dotted_data_stream_keys_updated_in_place() -> None:
    doc = _reroute(
        {"dataset": "aws.cloudtrail"},
        "logs-awsfirehose.log-default",
        {
            "data_stream.dataset": "awsfirehose.log",
            "data_stream.namespace": "default",
            "data_stream.type": "logs",
        },
    )
    assert doc["_index"] == "logs-aws.cloudtrail-default"
    assert doc["_source"] == {
        "data_stream.dataset": "aws.cloudtrail",
        "data_stream.namespace": "default",
        "data_stream.type": "logs",
    }


def test_default_references_read_dotted_keys() -> None:
    doc = _reroute(
        {},
        "logs-generic-default",
        {"data_stream.dataset": "My-DS", "data_stream.namespace": "Prod", "event.dataset": "x"},
    )
    assert doc["_index"] == "logs-my_ds-prod"
    assert doc["_source"] == {
        "data_stream.dataset": "my_ds",
        "data_stream.namespace": "prod",
        "event.dataset": "my_ds",
        "data_stream": {"type": "logs"},
    }


def test_field_reference_to_dotted_event_dataset() -> None:
    doc = _reroute(
        {"dataset": "{{ event.dataset}}"}, "logs-generic-default", {"event.dataset": "foo"}
    )
    assert doc["_index"] == "logs-foo-default"
    assert doc["_source"] == {
        "event.dataset": "foo",
        "data_stream": {"type": "logs", "dataset": "foo", "namespace": "default"},
    }


def test_nested_fields_unchanged() -> None:
    doc = _reroute(
        {"namespace": "{{labels.ns}}"},
        "logs-generic-default",
        {"labels": {"ns": "Dev"}, "event": {"dataset": "y"}},
    )
    assert doc["_index"] == "logs-generic-dev"
    assert doc["_source"] == {
        "labels": {"ns": "Dev"},
        "event": {"dataset": "generic"},
        "data_stream": {"type": "logs", "dataset": "generic", "namespace": "dev"},
    }
