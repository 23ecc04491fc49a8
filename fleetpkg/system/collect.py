"""``fleetpkg collect``: run a stream program against the real API (or the package's mock),
apply the data stream's pipeline and write NDJSON or bulk-index into Elasticsearch.

The cursor file is replaced atomically and only after the events of an evaluation are written,
so an interrupted run resumes without a gap (at worst the last evaluation is written twice; the
documents that carry an ``_id`` are then rejected by Elasticsearch as duplicates).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .clock import Clock, WallClock, iso
from .input import CelInput, CursorStore, StreamConfig
from .stack import Ingest, to_document


@dataclass
class Sink:
    """Where documents go: an NDJSON stream, or Elasticsearch through the bulk helper."""

    out: IO[str] | None = None
    es: Any = None
    index: str = ""
    written: int = 0
    duplicates: int = 0
    failed: int = 0
    seen_ids: set[str] = field(default_factory=set)

    def write(self, docs: list[tuple[str | None, dict[str, Any]]]) -> None:
        fresh = []
        for ident, source in docs:
            if ident is not None:
                if ident in self.seen_ids:
                    self.duplicates += 1
                    continue
                self.seen_ids.add(ident)
            fresh.append((ident, source))
        if self.out is not None:
            for _ident, source in fresh:
                self.out.write(json.dumps(source, sort_keys=True, ensure_ascii=False) + "\n")
            self.out.flush()
            self.written += len(fresh)
        if self.es is not None and fresh:
            self._bulk(fresh)

    def _bulk(self, docs: list[tuple[str | None, dict[str, Any]]]) -> None:
        from elasticsearch import helpers

        def actions() -> Iterator[dict[str, Any]]:
            for ident, source in docs:
                action: dict[str, Any] = {
                    "_op_type": "create",
                    "_index": self.index,
                    "_source": source,
                    "pipeline": "_none",  # the pipeline already ran here
                }
                if ident is not None:
                    action["_id"] = ident
                yield action

        for ok, item in helpers.streaming_bulk(
            self.es, actions(), raise_on_error=False, raise_on_exception=False
        ):
            if ok:
                self.written += 1
            elif (item.get("create") or {}).get("status") == 409:
                self.duplicates += 1
            else:
                self.failed += 1


@dataclass
class CollectStats:
    events: int = 0
    error_events: int = 0
    pipeline_errors: int = 0
    periods: int = 0
    messages: list[str] = field(default_factory=list)


def collect(
    config: StreamConfig,
    ingest: Ingest,
    sink: Sink,
    *,
    clock: Clock | None = None,
    cursor_file: Path | None = None,
    until: float | None = None,
    periods: int | None = None,
    progress: Callable[[str], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> CollectStats:
    """Run periods until ``until`` (clock time) or ``periods`` runs; Ctrl-C stops cleanly."""
    clock = clock or WallClock()
    stats = CollectStats()

    def publish(events: list[dict[str, Any]], at: float) -> None:
        docs = [to_document(e, config, ingest.dataset, at) for e in events]
        batch = []
        for event, out in zip(events, ingest.run(docs), strict=True):
            if "error" in event:
                stats.error_events += 1
                if log:
                    log(f"error event: {json.dumps(event.get('error'))[:300]}")
            if out.source is None:
                stats.pipeline_errors += 0 if out.dropped else 1
                continue
            if out.error and "error" not in event:
                stats.pipeline_errors += 1
            batch.append((out.id, out.source))
        stats.events += len(events)
        sink.write(batch)

    store = CursorStore(cursor_file)
    inp = CelInput(config, clock, publish, store, log=log)
    try:
        while True:
            if periods is not None and stats.periods >= periods:
                break
            if until is not None and clock.now() >= until:
                break
            started = clock.now()
            inp.run_period()
            stats.periods += 1
            if progress:
                cursor = json.dumps(store.load(), sort_keys=True)
                progress(
                    f"[{iso(clock.now())}] period {stats.periods}: {stats.events} event(s), "
                    f"{sink.written} written, {stats.error_events} error event(s); cursor {cursor}"
                )
            if periods is not None and stats.periods >= periods:
                break
            wake = started + config.interval
            if until is not None:
                wake = min(wake, until)
            if wake > clock.now():
                clock.sleep(wake - clock.now())
    except KeyboardInterrupt:
        stats.messages.append("interrupted; the cursor holds the last written evaluation")
    finally:
        inp.transport.close()
    return stats


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
