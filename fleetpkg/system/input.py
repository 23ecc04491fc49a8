"""The Agent's ``cel`` input loop: state, cursor, ``want_more`` and periodic runs on a clock.

Semantics followed (Filebeat ``cel`` input): the state is the configured ``state`` plus ``url``
(``resource.url``) and the persisted ``cursor``; each evaluation returns the next state, whose
``events`` are published and removed; a returned ``cursor`` is persisted once the events are
published; while ``want_more`` is true the program runs again at once (at most
``max_executions`` times per period); the state goes through protobuf ``Struct`` between
evaluations (every number becomes a double); only the cursor survives a restart; an
evaluation error publishes ``{"error": {"message": "failed eval: …"}}`` and keeps the state.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .cel import CelProgram, CelProgramError
from .clock import Clock
from .transport import ClientConfig, HttpTransport, redact

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: Any) -> float:
    """A Go duration (``1h30m``, ``5m``, ``60s``) or a number of seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not re.fullmatch(r"(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+", text):
        raise ValueError(f"invalid duration {text!r}")
    return sum(
        float(n) * _UNITS[u] for n, _, u in re.findall(r"(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)", text)
    )


def _flat(config: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and key in (
            "resource",
            "redact",
            "rate_limit",
            "retry",
            "tracer",
        ):
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


@dataclass
class StreamConfig:
    """The parts of a rendered ``cel`` stream the input uses."""

    program: str
    url: str
    state: dict[str, Any] = field(default_factory=dict)
    interval: float = 60.0
    max_executions: int = 1000
    client: ClientConfig = field(default_factory=ClientConfig)
    redact_fields: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    processors: tuple[dict[str, Any], ...] = ()
    unknown: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> StreamConfig:
        flat = _flat(config)
        # settings this emulation applies (the others are reported in ``unknown``:
        # resource.proxy_url, resource.ssl, resource.tracer.*, resource.keep_alive.*, …)
        known = {
            "program",
            "resource.url",
            "state",
            "interval",
            "max_executions",
            "resource.max_executions",
            "resource.timeout",
            "resource.retry.max_attempts",
            "resource.retry.wait_min",
            "resource.retry.wait_max",
            "resource.rate_limit.limit",
            "resource.rate_limit.burst",
            "redact.fields",
            "redact.delete",
            "tags",
            "processors",
            "publisher_pipeline.disable_host",
            "type",
            "id",
            "data_stream",
            "condition",
        }
        if "program" not in flat or "resource.url" not in flat:
            raise ValueError("a cel stream needs `program` and `resource.url`")
        client = ClientConfig(
            max_attempts=int(flat.get("resource.retry.max_attempts", 5)),
            wait_min=parse_duration(flat.get("resource.retry.wait_min", "1s")),
            wait_max=parse_duration(flat.get("resource.retry.wait_max", "60s")),
            timeout=parse_duration(flat.get("resource.timeout", "30s")),
            rate_limit=(
                float(flat["resource.rate_limit.limit"])
                if "resource.rate_limit.limit" in flat
                else None
            ),
            burst=int(flat.get("resource.rate_limit.burst", 1)),
        )
        return cls(
            program=str(flat["program"]),
            url=str(flat["resource.url"]),
            state=dict(flat.get("state") or {}),
            interval=parse_duration(flat.get("interval", "60s")),
            max_executions=int(
                flat.get("max_executions", flat.get("resource.max_executions", 1000))
            ),
            client=client,
            redact_fields=tuple(flat.get("redact.fields") or ()),
            tags=tuple(str(t) for t in flat.get("tags") or ()),
            processors=tuple(flat.get("processors") or ()),
            unknown=tuple(sorted(k for k in flat if k not in known)),
        )

    @classmethod
    def from_yaml(cls, text: str) -> StreamConfig:
        data = yaml.safe_load(text)
        if not isinstance(data, Mapping):
            raise ValueError("the stream configuration is not a map")
        return cls.from_mapping(data)

    def secrets(self) -> tuple[str, ...]:
        return tuple(
            str(self.state[f]) for f in self.redact_fields if self.state.get(f) not in (None, "")
        )


class CursorStore:
    """The persisted cursor: in memory, or a JSON file replaced atomically."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._value: Any = None
        self.writes = 0
        if path is not None and path.exists():
            self._value = json.loads(path.read_text("utf-8"))

    def load(self) -> Any:
        return json.loads(json.dumps(self._value)) if self._value is not None else None

    def save(self, cursor: Any) -> None:
        text = json.dumps(cursor, sort_keys=True)
        self._value = json.loads(text)
        self.writes += 1
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cursor-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)


def structpb(value: Any) -> Any:
    """What ``structpb.Struct`` makes of a value: numbers become doubles."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: structpb(v) for k, v in value.items()}
    if isinstance(value, list):
        return [structpb(v) for v in value]
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode()
    return value


@dataclass
class Execution:
    """One evaluation of the program."""

    at: float
    events: int
    want_more: bool
    error: str | None = None


Publisher = Callable[[list[dict[str, Any]], float], None]


class CelInput:
    """One running ``cel`` input; ``restart`` starts over from the configuration and cursor."""

    def __init__(
        self,
        config: StreamConfig,
        clock: Clock,
        publish: Publisher,
        store: CursorStore | None = None,
        transport: HttpTransport | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.publish = publish
        self.store = store or CursorStore()
        self.secrets = config.secrets()
        self.logs: list[str] = []
        self._log_sink = log
        self.transport = transport or HttpTransport(
            clock, config.client, self.secrets, log=self.log
        )
        self.program = CelProgram(config.program, self.transport, clock, log=self.log)
        self.executions: list[Execution] = []
        self.state: dict[str, Any] = {}
        self.restart()

    def log(self, message: str) -> None:
        line = redact(message, self.secrets)
        self.logs.append(line)
        if self._log_sink is not None:
            self._log_sink(line)

    def restart(self) -> None:
        """A new Agent process: configured state, ``url`` and the persisted cursor."""
        state = json.loads(json.dumps(self.config.state))
        state["url"] = self.config.url
        cursor = self.store.load()
        if cursor is not None:
            state["cursor"] = structpb(cursor)
        self.state = state
        self._first = True

    def run_period(self) -> int:
        """One periodic run: evaluate until ``want_more`` is false; returns events published."""
        published = 0
        for _ in range(self.config.max_executions):
            before = self.clock.now()
            try:
                result = self.program.evaluate(self.state)
            except CelProgramError as err:
                message = redact(f"failed eval: {err}", self.secrets)
                self.log(f"error: {message}")
                self.publish([{"error": {"message": message}}], self.clock.now())
                self.executions.append(Execution(before, 1, False, message))
                return published + 1
            events_value = result.pop("events", None)
            if events_value is None:
                events: list[dict[str, Any]] = []
                self.log("warning: the program returned no events")
            elif isinstance(events_value, dict):
                events = [events_value]
            else:
                events = [e for e in events_value if isinstance(e, dict)]
            want_more = bool(result.get("want_more", False))
            for event in events:
                if "error" in event:
                    self.log(f"error in result: {redact(json.dumps(event['error']), self.secrets)}")
            self.publish(events, self.clock.now())
            published += len(events)
            if "cursor" in result:
                cursor = result["cursor"]
                self.store.save(cursor[-1] if isinstance(cursor, list) and cursor else cursor)
            self.state = structpb(result)
            self.executions.append(Execution(before, len(events), want_more))
            if not want_more:
                break
        else:
            self.log(f"warning: max_executions ({self.config.max_executions}) reached")
        return published

    def run_until(self, end: float, stop: Callable[[], bool] | None = None) -> int:
        """Periodic runs every ``interval`` (the first one now) until the clock passes ``end``."""
        total = 0
        next_tick = self.clock.now()
        while self.clock.now() < end:
            if stop is not None and stop():
                break
            now = self.clock.now()
            if now < next_tick:
                self.clock.sleep(min(next_tick, end) - now)
                continue
            total += self.run_period()
            next_tick += self.config.interval
            if next_tick <= self.clock.now():  # a Go ticker drops the ticks it missed
                next_tick = self.clock.now()
        return total
