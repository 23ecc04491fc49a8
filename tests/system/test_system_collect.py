"""``fleetpkg collect`` and the commands: simulator → program → pipeline → NDJSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfmock import ACCOUNT, EMAIL, KEY, ROOT, TOKEN, ZONE, CloudflareSimulator
from system_programs import reference

from fleetpkg.commands import system as commands
from fleetpkg.errors import FleetpkgError
from fleetpkg.system.collect import Sink, collect
from fleetpkg.system.httpserver import HttpServer
from fleetpkg.system.runner import START
from fleetpkg.system.service import Fault, VirtualClock
from fleetpkg.system.stack import Ingest, package_root


@pytest.fixture(scope="module")
def built() -> Iterator[Path]:
    with package_root(ROOT) as root:
        yield root


def command(name: str, argv: list[str]) -> int:
    """``fleetpkg test system`` / ``collect`` / ``service serve`` through the functions the
    command table calls."""
    parser = argparse.ArgumentParser(prog=f"fleetpkg {name}")
    getattr(commands, f"configure_{name}")(parser)
    code: int = getattr(commands, f"run_{name}")(parser.parse_args(argv))
    return code


class InterruptingSink(Sink):
    """Ctrl-C arrives while the third batch is being written."""

    def write(self, docs: list[tuple[str | None, dict[str, Any]]]) -> None:
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls == 3:
            raise KeyboardInterrupt
        super().write(docs)


def _ray_ids(path: Path) -> list[str]:
    ids = []
    for line in path.read_text().splitlines():
        doc = json.loads(line)
        original = doc.get("event", {}).get("original")
        ray = doc.get("cloudflare", {}).get("logpull", {}).get("ray_id")
        ids.append(ray or json.loads(original)["RayID"])
    return ids


def test_interrupted_collection_resumes_without_gap_or_duplicate(
    built: Path, tmp_path: Path
) -> None:
    clock = VirtualClock(START)
    sim = CloudflareSimulator(clock)
    ingest = Ingest(built, "logpull")
    out = tmp_path / "logs.ndjson"
    cursor = tmp_path / "cursor.json"
    stream_vars = {"zone_id": ZONE, "auth_email": EMAIL, "auth_key": KEY, "initial_interval": "1h"}
    with HttpServer(sim) as server:
        config = reference("logpull")(server.url, stream_vars)
        with out.open("a") as handle:
            first = collect(
                config,
                ingest,
                InterruptingSink(out=handle),
                clock=clock,
                cursor_file=cursor,
                until=START + 4 * 3600,
            )
        assert first.messages == ["interrupted; the cursor holds the last written evaluation"]
        saved = json.loads(cursor.read_text())
        written_before = len(out.read_text().splitlines())
        with out.open("a") as handle:
            second = collect(
                config,
                ingest,
                Sink(out=handle),
                clock=clock,
                cursor_file=cursor,
                until=START + 4 * 3600,
            )
    assert not second.messages
    assert json.loads(cursor.read_text()) != saved
    ids = _ray_ids(out)
    assert len(ids) > written_before > 0
    assert len(ids) == len(set(ids)), "no duplicate after the resume"
    last_end = json.loads(cursor.read_text())["last_end"]
    expected = {
        r.ray_id
        for r in sim.dataset.logs_between(
            ZONE, int((START - 3600) * 1e9), int(_epoch(last_end) * 1e9)
        )
    }
    assert set(ids) == expected, "no gap after the resume"


def _epoch(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_collect_command_against_the_simulator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vars_file = tmp_path / "vars.yml"
    vars_file.write_text(
        yaml.safe_dump(
            {
                "vars": {"api_url": "https://api.cloudflare.com"},
                "data_stream": {"vars": {"zone_id": ZONE, "auth_token": TOKEN}},
            }
        )
    )
    out = tmp_path / "out.ndjson"
    cursor = tmp_path / "cursor.json"
    code = command(
        "collect",
        [
            "--source",
            str(ROOT),
            "--data-stream",
            "logpull",
            "--vars",
            str(vars_file),
            "--simulator",
            "--hours",
            "1",
            "--out",
            str(out),
            "--cursor",
            str(cursor),
        ],
    )
    err = capsys.readouterr().err
    assert code == 0, err
    docs = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(docs) > 20
    assert all(d["data_stream"]["dataset"] == "cloudflare.logpull" for d in docs)
    assert "period 1:" in err
    assert "last_end" in json.loads(cursor.read_text())
    assert TOKEN not in out.read_text()
    assert TOKEN not in err


def test_collect_command_audit_dedupes_by_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vars_file = tmp_path / "vars.yml"
    vars_file.write_text(
        yaml.safe_dump(
            {
                "vars": {"api_url": "https://api.cloudflare.com"},
                "data_stream": {
                    "vars": {
                        "account_id": ACCOUNT,
                        "auth_email": EMAIL,
                        "auth_key": KEY,
                        "initial_interval": "12h",
                        "per_page": 20,
                    }
                },
            }
        )
    )
    out = tmp_path / "audit.ndjson"
    code = command(
        "collect",
        [
            "--source",
            str(ROOT),
            "--data-stream",
            "audit",
            "--vars",
            str(vars_file),
            "--simulator",
            "--hours",
            "2",
            "--out",
            str(out),
            "-q",
        ],
    )
    summary = capsys.readouterr().err
    assert code == 0, summary
    ids = [json.loads(line)["event"]["id"] for line in out.read_text().splitlines()]
    assert len(ids) == len(set(ids)) > 10
    assert "duplicate(s) skipped" in summary


def test_system_test_command_lists_and_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert command("test", ["--source", str(ROOT), "--list"]) == 0
    listing = capsys.readouterr().out
    assert "audit/faults" in listing
    assert "logpull/outage" in listing
    assert "audit/late-arrivals" in listing
    code = command(
        "test",
        [
            "--source",
            str(ROOT),
            "--data-stream",
            "logpull",
            "--scenario",
            "bad-token",
            "--report-format",
            "json",
        ],
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert [r["scenario"] for r in report] == ["bad-token"]
    assert report[0]["status"] == "pass"
    with pytest.raises(FleetpkgError, match="no scenario selected"):
        command("test", ["--source", str(ROOT), "--scenario", "nope"])


def test_simulator_serve_command(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--source", str(ROOT), "--seconds", "0.3", "--fault", "status:logpull:1,2:502"]
    assert command("serve", argv) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:" in out
    assert ZONE in out


class _FakeBulk:
    """Just enough of Elasticsearch's _bulk API: create, and 409 for an _id seen before."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.actions: list[dict[str, Any]] = []

    def answer(self, body: bytes) -> dict[str, Any]:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items = []
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            self.actions.append(action)
            meta = action["create"]
            ident = meta.get("_id") or f"auto-{len(self.docs)}"
            if ident in self.docs:
                items.append(
                    {
                        "create": {
                            "_id": ident,
                            "status": 409,
                            "error": {"type": "version_conflict_engine_exception"},
                        }
                    }
                )
            else:
                self.docs[ident] = source
                items.append({"create": {"_id": ident, "_index": meta["_index"], "status": 201}})
        return {
            "took": 1,
            "errors": any(i["create"]["status"] != 201 for i in items),
            "items": items,
        }


def test_collect_bulk_indexes_with_the_elasticsearch_helpers(built: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from elasticsearch import Elasticsearch

    fake = _FakeBulk()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            payload = json.dumps(fake.answer(body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_PUT = do_POST

        def log_message(self, *args: Any) -> None:
            pass

    es_server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=es_server.serve_forever, daemon=True)
    thread.start()
    clock = VirtualClock(START)
    sim = CloudflareSimulator(clock)
    ingest = Ingest(built, "audit")
    stream_vars = {"account_id": ACCOUNT, "auth_email": EMAIL, "auth_key": KEY, "per_page": 5}
    try:
        with HttpServer(sim) as server:
            config = reference("audit")(server.url, stream_vars)
            client = Elasticsearch(f"http://127.0.0.1:{es_server.server_address[1]}")
            sink = Sink(es=client, index="logs-cloudflare.audit-default")
            stats = collect(config, ingest, sink, clock=clock, until=START + 3 * 3600)
            # a second collector (no memory of the ids) gets 409s for documents already there
            again = Sink(es=client, index="logs-cloudflare.audit-default")
            known_id, known_doc = next(iter(fake.docs.items()))
            again.write([(known_id, known_doc)])
    finally:
        es_server.shutdown()
        es_server.server_close()
    assert stats.events > 20
    assert sink.failed == 0
    assert sink.written == len(fake.docs) > 20
    assert all(a["create"]["_index"] == "logs-cloudflare.audit-default" for a in fake.actions)
    assert all(a["create"]["pipeline"] == "_none" for a in fake.actions)
    assert all("_id" in a["create"] for a in fake.actions)
    assert again.duplicates == 1
    assert again.written == 0


def test_fault_specs() -> None:
    assert Fault.parse("status:logpull:1,2:502") == Fault(
        "status", "logpull", frozenset({1, 2}), status=502
    )
    assert Fault.parse("slow:audit:3:400").delay == 400.0
    assert Fault.parse("trailer:logpull:5").kind == "trailer"
    for bad in ("status:audit", "status:audit:x", "reset:audit:1:5", "::1"):
        with pytest.raises(ValueError, match="invalid fault"):
            Fault.parse(bad)
    parser = argparse.ArgumentParser()
    commands.configure_serve(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["--fault", "status:audit"])


def test_test_system_arguments() -> None:
    parser = argparse.ArgumentParser(prog="fleetpkg test system")
    commands.configure_test(parser)
    args = parser.parse_args(["--data-stream", "audit,logpull", "--list", "--json"])
    assert args.data_streams == ["audit,logpull"]
    assert args.list is True
    assert args.json is True
    with pytest.raises(SystemExit):  # --source and --package exclude each other
        parser.parse_args(["--source", ".", "--package", "."])
