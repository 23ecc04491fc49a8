"""Golden tests of the Cloudflare pipelines: the _dev/test/pipeline cases (inputs and
-expected.json goldens) on the embedded engine, fields validation, processor coverage, error
handling and the mapping rules of issue #5."""

from __future__ import annotations

import ipaddress
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetpkg.cli import main
from fleetpkg.ingest import simulate

ROOT = Path(__file__).resolve().parents[2]

STREAMS = ("audit", "logpull")
ERRORS = Path(__file__).parent / "errors"
EMPTY: tuple[Any, ...] = ("", None, [], {})


def run_tests(package: Path, geoip: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    report = out / "report.json"
    args = ["test", "pipeline", "--package", str(package), "--geoip-dir", str(geoip)]
    code = main([*args, "--coverage", "--report-format", "json", "--report-output", str(report)])
    return code, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(
    built: Path, geoip_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    code, result = run_tests(built, geoip_dir, tmp_path_factory.mktemp("report"))
    assert code == 0, json.dumps(result["summary"])
    return result


def cases() -> list[tuple[str, str]]:
    found = []
    for ds in STREAMS:
        folder = ROOT / "data_stream" / ds / "_dev" / "test" / "pipeline"
        for path in sorted(folder.iterdir()):
            if not path.name.endswith(("-expected.json", "-config.yml")):
                found.append((ds, path.name))
    return found


def expected(ds: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
    folder = ROOT / "data_stream" / ds / "_dev" / "test" / "pipeline"
    for path in sorted(folder.glob("*-expected.json")):
        docs = json.loads(path.read_text(encoding="utf-8"))["expected"]
        for n, doc in enumerate(docs):
            yield path.name, n, doc


def pipeline(ds: str) -> dict[str, Any]:
    path = (
        ROOT / "package" / "data_stream" / ds / "elasticsearch" / "ingest_pipeline" / "default.yml"
    )
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def run(ds: str, geoip: Path, *sources: dict[str, Any]) -> list[dict[str, Any]]:
    """Each source through the built pipeline; the ES simulate result entries."""
    request = {"pipeline": pipeline(ds), "docs": [{"_source": s} for s in sources]}
    docs: list[dict[str, Any]] = simulate(request, geoip_dir=geoip)["docs"]
    return docs


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        if not value:
            yield path, value
        for key, child in value.items():
            yield from leaves(child, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        if not value:
            yield path, value
        for child in value:
            yield from leaves(child, path)
    else:
        yield path, value


# --- the pipeline test cases, as `fleetpkg test pipeline` runs them ---------------------------


@pytest.mark.parametrize(("ds", "case"), cases())
def test_case_matches_its_golden_and_validates(report: dict[str, Any], ds: str, case: str) -> None:
    stream = next(s for s in report["data_streams"] if s["name"] == ds)
    result = next(c for c in stream["cases"] if c["name"] == case)
    assert result["status"] == "pass", result["details"] + [result["diff"] or ""]
    assert result["events"] > 0


@pytest.mark.parametrize("ds", STREAMS)
def test_at_least_twelve_events_per_data_stream(report: dict[str, Any], ds: str) -> None:
    stream = next(s for s in report["data_streams"] if s["name"] == ds)
    assert sum(c["events"] for c in stream["cases"]) >= 12


@pytest.mark.parametrize("ds", STREAMS)
def test_every_processor_runs(report: dict[str, Any], ds: str) -> None:
    coverage = next(p for p in report["coverage"]["pipelines"] if p["data_stream"] == ds)
    top = [p for p in coverage["processors"] if p["role"] == "processor"]
    assert len(top) == len(pipeline(ds)["processors"])
    missed = [f"{p['type']} {p['tag']} (line {p['line']})" for p in top if not p["covered"]]
    assert missed == []
    assert coverage["percent"] == 100.0


def test_fields_validation_names_case_event_field_and_declaration(
    built: Path, geoip_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "pkg"
    shutil.copytree(built, broken)
    fields = broken / "data_stream" / "audit" / "fields" / "fields.yml"
    text = fields.read_text(encoding="utf-8")
    declared = "- name: interface\n          type: keyword"
    assert declared in text
    fields.write_text(text.replace(declared, declared.replace("keyword", "long")))
    code, result = run_tests(broken, geoip_dir, tmp_path)
    assert code == 1
    audit = next(s for s in result["data_streams"] if s["name"] == "audit")
    details = [d for c in audit["cases"] for d in c["details"]]
    line = text[: text.index(declared)].count("\n") + 1
    wanted = 'test-audit-v1.log[0]: field "cloudflare.audit.interface"'
    hits = [d for d in details if d.startswith(wanted)]
    assert hits, details
    assert f"data_stream/audit/fields/fields.yml:{line}" in hits[0]


# --- what every output document must (not) hold ----------------------------------------------


@pytest.mark.parametrize("ds", STREAMS)
def test_no_empty_values_or_placeholders_are_indexed(ds: str) -> None:
    for case, n, doc in expected(ds):
        for path, value in leaves(doc):
            assert value not in EMPTY, f"{case}[{n}] {path} is empty"
            # "unknown" is a real cache status and event.outcome; *.invalid keeps values the
            # typed fields refused
            real = ("cloudflare.logpull.cache.status", "event.outcome")
            if path not in real and ".invalid." not in path:
                assert value not in ("null", "unknown", "00", "none", "NONE"), f"{case}[{n}] {path}"
        assert "json" not in doc
        assert "_config" not in doc
        assert "message" not in doc


IP_FIELDS = frozenset(
    {
        "source.ip", "client.ip", "destination.ip", "server.ip", "observer.ip", "related.ip",
        "cloudflare.logpull.client.ip", "cloudflare.logpull.edge.server_ip",
        "cloudflare.logpull.origin.ip", "cloudflare.audit.actor.ip",
    }
)  # fmt: skip


@pytest.mark.parametrize("ds", STREAMS)
def test_only_ip_addresses_reach_ip_fields(ds: str) -> None:
    for case, n, doc in expected(ds):
        for path, value in leaves(doc):
            if path in IP_FIELDS:
                assert _is_ip(value), f"{case}[{n}] {path}: {value!r}"


def _is_ip(value: object) -> bool:
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("ds", STREAMS)
def test_common_fields(ds: str) -> None:
    for case, n, doc in expected(ds):
        where = f"{case}[{n}]"
        assert doc["ecs"]["version"] == "9.4.0", where
        assert doc["event"]["kind"] == "event", where
        assert doc["event"]["category"], where
        assert doc["event"]["type"], where
        assert "@timestamp" in doc, where
        preserve = "preserve_original_event" in doc.get("tags", [])
        assert ("original" in doc["event"]) == preserve, where


def leaf_fields(items: list[dict[str, Any]], prefix: str = "") -> Iterator[str]:
    for item in items:
        name = f"{prefix}{item['name']}"
        if item.get("type") == "group":
            yield from leaf_fields(item.get("fields", []), f"{name}.")
        else:
            yield name


def test_field_count_under_package_spec_limit() -> None:
    for ds in STREAMS:
        names: list[str] = []
        for path in (ROOT / "package" / "data_stream" / ds / "fields").glob("*.yml"):
            names += leaf_fields(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert len(names) == len(set(names)), ds
        assert 100 < len(names) < 2048 if ds == "logpull" else 50 < len(names) < 2048


# --- errors: bad JSON, arrays, failing processors ---------------------------------------------


@pytest.mark.parametrize("ds", STREAMS)
def test_bad_input_is_a_pipeline_error_that_keeps_the_original(ds: str, geoip_dir: Path) -> None:
    lines = (ERRORS / f"{ds}.log").read_text(encoding="utf-8").splitlines()
    results = run(ds, geoip_dir, *({"message": line, "tags": ["forwarded"]} for line in lines))
    errors = 0
    for line, result in zip(lines, results, strict=True):
        doc = result["doc"]["_source"]
        if doc["event"]["kind"] != "pipeline_error":
            assert line == "{}", line  # an empty record is indexed as an (empty) event
            continue
        errors += 1
        assert doc["event"]["original"] == line
        assert doc["error"]["message"]
        assert all(isinstance(m, str) for m in doc["error"]["message"])
        assert "json" not in doc
    assert errors == len([line for line in lines if line != "{}"]) >= 3


def test_json_array_error_names_the_problem(geoip_dir: Path) -> None:
    for ds in STREAMS:
        (result,) = run(ds, geoip_dir, {"message": '[{"id": "a"}]'})
        message = result["doc"]["_source"]["error"]["message"][0]
        assert "script_normalise_record" in message
        assert "got a JSON array" in message


@pytest.mark.parametrize("ds", STREAMS)
def test_input_error_events_pass_through(ds: str, built: Path, geoip_dir: Path) -> None:
    """The CEL program's error events (errors/input.ndjson: bad auth config, a non-2xx answer,
    'Error streaming data', an evaluation error) carry error.* and no message: no JSON decoding,
    error.* kept, event.kind event with event.outcome failure (ECS: pipeline_error is for
    failures of ingestion), nothing else made up, and every field declared."""
    from fleetpkg.system.stack import Ingest

    lines = (ERRORS / "input.ndjson").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    agent = {"input": {"type": "cel"}, "@timestamp": "2026-03-14T09:00:00.000Z"}
    results = run(ds, geoip_dir, *({**agent, **json.loads(line)} for line in lines))
    ingest = Ingest(built, ds)
    for n, (event, result) in enumerate(zip(events, results, strict=True)):
        doc = result["doc"]["_source"]
        assert doc["error"] == event["error"], doc
        assert doc["event"] == {"kind": "event", "outcome": "failure"}, doc
        assert "json" not in doc
        assert set(doc) <= {"@timestamp", "ecs", "error", "event", "input", "observer"}, doc
        assert ingest.validate(n, doc) == []


# --- audit mapping rules -------------------------------------------------------------------


def audit_docs() -> list[dict[str, Any]]:
    return [doc for _, _, doc in expected("audit")]


def test_audit_categorises_every_action() -> None:
    seen = {}
    for doc in audit_docs():
        event = doc["event"]
        seen[event["action"]] = (event["category"], event["type"])
    assert seen["login"] == (["authentication"], ["start"])
    assert seen["logout"] == (["authentication"], ["end"])
    assert seen["rotate_api_key"] == (["iam"], ["change"])
    assert seen["rec_del"] == (["configuration"], ["deletion"])
    # unknown actions: by verb, IAM by what they touch, info when no verb is known
    assert seen["zone_setting_update"] == (["configuration"], ["change"])
    assert seen["ssl_certificate_pack_order"] == (["configuration"], ["info"])
    assert seen["update"] == (["iam"], ["change"])  # v2 membership update
    assert seen["view"] == (["configuration"], ["access"])


def test_audit_outcome_user_and_source() -> None:
    docs = {doc["event"]["id"]: doc for doc in audit_docs()}
    failed_login = docs["1b9d8c7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e"]
    assert failed_login["event"]["outcome"] == "failure"
    assert failed_login["source"]["geo"]["country_iso_code"] == "NO"
    login = docs["5e3a1c2d-7b4f-4e1a-9c3d-2f6a8b9c0d11"]
    assert login["@timestamp"] == "2026-03-14T09:26:53.589793Z"  # microseconds kept
    assert login["source"]["as"] == {"number": 29518, "organization": {"name": "Bredband2 AB"}}
    assert login["related"] == {
        "ip": ["89.160.20.156"],
        "user": [login["user"]["id"], "alice@example.com"],
    }
    v2 = docs["2f4a6c8e-0b1d-4e3f-a5b7-c9d1e3f5a7b9"]
    assert v2["cloud"]["account"] == {
        "id": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "name": "Example Corp",
    }
    assert v2["http"] == {"request": {"method": "POST"}, "response": {"status_code": 200}}
    assert v2["url"]["path"].endswith("/dns_records")
    assert v2["url"]["query"] == "per_page=50"
    assert v2["event"]["provider"] == "api_token"
    no_result = docs["5c7d9e1f-3a4b-4c6d-b8e0-f2a4b6c8d0e2"]
    assert no_result["event"]["outcome"] == "success"  # from raw.status_code 200
    assert no_result["url"]["domain"] == "api.cloudflare.com"
    assert no_result["url"]["port"] == 443


def test_audit_null_placeholders_and_json_values() -> None:
    docs = {doc["event"]["id"]: doc["cloudflare"]["audit"] for doc in audit_docs()}
    rec_del = docs["2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"]
    assert "new_value" not in rec_del
    assert "old_value" not in rec_del
    assert rec_del["old_value_json"]["content"] == "192.0.2.80"
    setting = docs["6a7b8c9d-0e1f-4a2b-9c3d-5e6f7a8b9c0d"]
    assert (setting["old_value"], setting["new_value"]) == ("1.0", "1.2")


def test_audit_id_is_a_fingerprint_of_the_record_id(geoip_dir: Path) -> None:
    line = (
        (ROOT / "data_stream/audit/_dev/test/pipeline/test-audit-v1.log")
        .read_text()
        .splitlines()[1]
    )
    again = json.dumps(json.loads(line), indent=2)  # the same record fetched again
    first, second = run("audit", geoip_dir, {"message": line}, {"message": again})
    assert first["doc"]["_id"] == second["doc"]["_id"] != "_id"
    other = line.replace("7d2c4e6f", "7d2c4e70")
    (third,) = run("audit", geoip_dir, {"message": other})
    assert third["doc"]["_id"] != first["doc"]["_id"]


def test_audit_v1_boolean_and_v2_word_results_agree(geoip_dir: Path) -> None:
    v1 = {"id": "x", "when": "2026-01-01T00:00:00Z", "action": {"type": "login", "result": False}}
    v2 = {
        "id": "y",
        "action": {"time": "2026-01-01T00:00:00Z", "type": "login", "result": "failure"},
    }
    a, b = run("audit", geoip_dir, {"message": json.dumps(v1)}, {"message": json.dumps(v2)})
    for result in (a, b):
        event = result["doc"]["_source"]["event"]
        assert (event["outcome"], event["category"]) == ("failure", ["authentication"])
        assert result["doc"]["_source"]["@timestamp"] == "2026-01-01T00:00:00.000000Z"


# --- logpull mapping rules -----------------------------------------------------------------


def logpull_docs() -> dict[str, dict[str, Any]]:
    return {doc["cloudflare"]["logpull"]["ray_id"]: doc for _, _, doc in expected("logpull")}


def test_logpull_timestamps_in_every_form_agree(geoip_dir: Path) -> None:
    record = {"RayID": "8e1f2a3b4c5d6eff", "ClientIP": "192.0.2.1"}
    forms = [
        (1773480413000000000, 1773480414250000000),  # unixnano
        (1773480413, "1773480414"),  # unix seconds, number and string; no fraction
        ("2026-03-14T09:26:53Z", "2026-03-14T10:26:54.25+01:00"),  # RFC 3339
    ]
    docs = []
    for start, end in forms:
        message = json.dumps(dict(record, EdgeStartTimestamp=start, EdgeEndTimestamp=end))
        (result,) = run("logpull", geoip_dir, {"message": message})
        docs.append(result["doc"])
    for doc in docs:
        assert doc["_source"]["@timestamp"] == "2026-03-14T09:26:53.000000000Z"
        assert doc["_source"]["event"]["start"] == "2026-03-14T09:26:53.000000000Z"
        assert doc["_id"] == docs[0]["_id"] != "_id"
    assert docs[0]["_source"]["event"]["duration"] == 1_250_000_000
    assert docs[2]["_source"]["event"]["duration"] == 1_250_000_000
    assert docs[1]["_source"]["event"]["duration"] == 1_000_000_000


def test_logpull_nanosecond_duration_is_exact() -> None:
    doc = logpull_docs()["8e1f2a3b4c5d6e80"]
    assert doc["event"]["duration"] == 1773480414301987654 - 1773480414100123456
    assert doc["@timestamp"] == doc["event"]["start"] == "2026-03-14T09:26:54.100123456Z"
    assert doc["event"]["end"] == "2026-03-14T09:26:54.301987654Z"


def test_logpull_denied_only_for_blocking_actions() -> None:
    docs = logpull_docs()
    assert docs["8e1f2a3b4c5d6e81"]["event"]["type"] == ["access", "denied"]  # block
    assert docs["8e1f2a3b4c5d6e81"]["event"]["outcome"] == "failure"
    assert docs["500115ec386354d9"]["event"]["type"] == ["access", "denied"]  # old WAF drop
    assert docs["8e1f2a3b4c5d6e82"]["event"]["type"] == ["access", "allowed"]  # skip/log
    assert docs["8e1f2a3b4c5d6e83"]["event"]["type"] == ["access"]  # managed challenge
    for doc in docs.values():
        if "denied" in doc["event"]["type"]:
            assert doc["event"]["action"] in ("block", "drop")


def test_logpull_geo_falls_back_to_cloudflare() -> None:
    docs = logpull_docs()
    geoip = docs["8e1f2a3b4c5d6e7f"]["source"]
    assert geoip["geo"]["city_name"] == "Linköping"
    assert geoip["as"]["number"] == 29518
    fallback = docs["8e1f2a3b4c5d6e83"]["source"]  # 10.20.30.77 (private): nothing in GeoIP
    assert fallback["geo"] == {
        "city_name": "São Paulo",
        "country_iso_code": "BR",
        "region_iso_code": "BR-SP",
        "location": {"lat": -23.5505, "lon": -46.6333},
    }
    assert fallback["as"] == {"number": 64501}
    assert docs["8e1f2a3b4c5d6e83"]["client"] == {**fallback, "address": "10.20.30.77"} | {
        k: v for k, v in docs["8e1f2a3b4c5d6e83"]["client"].items() if k in ("ip", "port")
    }
    tor = docs["8e1f2a3b4c5d6e92"]
    assert "geo" not in tor["source"]
    assert tor["cloudflare"]["logpull"]["client"]["country"] == "T1"


def test_logpull_url_tls_network_and_types() -> None:
    docs = logpull_docs()
    long_url = docs["8e1f2a3b4c5d6e84"]
    assert long_url["url"]["port"] == 8080
    assert long_url["url"]["domain"] == "shop.example.com"
    assert long_url["url"]["scheme"] == "http"
    assert "tls" not in long_url
    assert len(long_url["url"]["original"]) > 3000
    assert long_url["url"]["full"].endswith("&page=2")
    idn = docs["8e1f2a3b4c5d6e85"]
    assert idn["url"]["domain"] == "bücher.example"
    assert idn["url"]["extension"] == "html"
    assert idn["cloudflare"]["logpull"]["parent_ray_id"] == "8e1f2a3b4c5d6e84"
    h3 = docs["8e1f2a3b4c5d6e82"]
    network = {k: v for k, v in h3["network"].items() if k != "bytes"}
    assert (network, h3["http"]["version"]) == ({"protocol": "http", "transport": "udp"}, "3")
    first = docs["8e1f2a3b4c5d6e7f"]
    assert first["tls"]["version"] == "1.3"
    assert first["tls"]["version_protocol"] == "tls"
    assert first["tls"]["client"]["ja4"].startswith("t13d")
    assert first["observer"]["name"] == "ARN"
    assert isinstance(
        first["cloudflare"]["logpull"]["edge"]["response"]["compression_ratio"], float
    )
    legacy = docs["500115ec386354d8"]["cloudflare"]["logpull"]
    assert legacy["zone"]["id"] == "155978002"
    assert legacy["security"]["level"] == "med"
    assert "waf" not in legacy
    assert "parent_ray_id" not in legacy


@pytest.mark.parametrize("ds", STREAMS)
def test_agent_input_type_is_declared(ds: str, built: Path, geoip_dir: Path) -> None:
    """The Agent adds input.type (cel) to every event: declared, so system tests validate."""
    from fleetpkg.system.stack import Ingest

    case = next(c for d, c in cases() if d == ds)
    folder = ROOT / "data_stream" / ds / "_dev" / "test" / "pipeline"
    line = (folder / case).read_text(encoding="utf-8").splitlines()[0]
    (result,) = run(ds, geoip_dir, {"message": line, "input": {"type": "cel"}})
    doc = result["doc"]["_source"]
    assert doc["input"] == {"type": "cel"}
    problems = Ingest(built, ds).validate(0, doc)
    assert [p for p in problems if "undefined" in p or "input.type" in p] == [], problems


def test_logpull_ecs_rules() -> None:
    """ECS: no status for an unanswered request, mime_type only from the body, IPv6 literals
    keep their brackets, upper-case hashes, no guessed scheme, bytes per direction."""
    docs = logpull_docs()
    unanswered = docs["8e1f2a3b4c5d6f21"]
    assert "status_code" not in unanswered["http"]["response"]
    assert unanswered["event"]["outcome"] == "unknown"
    assert "scheme" not in unanswered["url"]
    assert "full" not in unanswered["url"]
    ipv6 = docs["8e1f2a3b4c5d6f22"]
    assert ipv6["url"]["domain"] == "[2001:db8::1]"
    assert ipv6["url"]["full"] == "http://[2001:db8::1]:8080/api/v1/items?page=2"
    sha256 = ipv6["tls"]["client"]["hash"]["sha256"]
    assert sha256 == sha256.upper()
    assert (ipv6["source"]["bytes"], ipv6["destination"]["bytes"]) == (812, 2301)
    assert ipv6["network"]["bytes"] == 812 + 2301
    for doc in docs.values():
        assert "mime_type" not in doc.get("http", {}).get("response", {})
