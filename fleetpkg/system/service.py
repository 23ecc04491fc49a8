"""The interface between fleetpkg's system tests and a package's mock service (version 1).

A package keeps its mock service next to its source, under ``_dev/deploy/docker/``, and names
it in ``_dev/deploy/docker/fleetpkg-service.yml`` (see docs/fleetpkg/system-tests.md). The mock
is plain Python that imports nothing from fleetpkg but this module, and this module imports only the
standard library: the same mock runs in-process under ``fleetpkg test system`` (on a
:class:`VirtualClock`) and stand-alone, e.g. in a ``python:3.11-slim`` container
(``python -m fleetpkg.system.service DIR --port 8080``, on a :class:`WallClock`).

What a mock provides: a factory ``create(config: ServiceConfig) -> Service``; the
:class:`Service` answers :class:`Request` s with :class:`Response` s, keeps a request log of
:class:`RequestRecord` s, and tells the delivery check which records it held (:class:`Held`).
Everything here is stable: names are only ever added.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, cast
from urllib.parse import parse_qsl, urlsplit

INTERFACE_VERSION = 1
NS = 1_000_000_000
REDACTED = "[redacted]"
# Fault kinds every mock should know; a mock may add its own (fleetpkg checks that every
# fault but ``slow`` is retried by the program or surfaced as an error event).
FAULT_KINDS = ("status", "slow", "reset")


# -- time ----------------------------------------------------------------------------------


class Clock(Protocol):
    """The time a mock and the input share: ``sleep`` may just move a virtual clock on."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    def sleep(self, seconds: float) -> None: ...


class WallClock:
    """Real time."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class VirtualClock:
    """Time that only moves when told to (``sleep`` advances it); thread-safe."""

    def __init__(self, start: float) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go back")
        with self._lock:
            self._now += seconds

    def set(self, when: float) -> None:
        with self._lock:
            if when < self._now:
                raise ValueError("a clock cannot go back")
            self._now = when


# -- requests and responses ----------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One HTTP request as the mock receives it; ``target`` is the path with its query."""

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        """Query parameters (the last value of a repeated name wins; blanks kept)."""
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    def header(self, name: str) -> str | None:
        """A header by case-insensitive name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


@dataclass
class Response:
    """The answer; ``reset`` closes the connection without one (a connection reset)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False


@dataclass
class RequestRecord:
    """One entry of the mock's request log (secrets already redacted by the mock).

    ``endpoint`` names the API operation (``unknown`` when none matched); ``error`` is the
    message of an error answer; ``fault`` the kind of an injected fault; ``served`` the keys
    (see :meth:`Service.record_key`) of the records the answer held; ``notes`` are things the
    mock tolerated but a real API might not (fleetpkg reports them as warnings).
    """

    at: float
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    endpoint: str
    status: int = 0
    error: str | None = None
    fault: str | None = None
    served: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- what a scenario asks of the mock ------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """A fault on the ``nth`` requests (1-based) to ``endpoint`` (``*``: any).

    ``status`` answers ``status`` (with ``Retry-After: retry_after`` when set), ``slow`` makes
    the answer take ``delay`` seconds of clock time, ``reset`` closes the connection; other
    kinds are the mock's own.
    """

    kind: str
    endpoint: str
    nth: frozenset[int]
    status: int = 503
    delay: float = 0.0
    retry_after: int | None = None

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """``KIND:ENDPOINT:N[,N…][:VALUE]``, VALUE the status (status) or delay (slow)."""
        parts = spec.split(":")
        if len(parts) not in (3, 4) or not parts[0] or not parts[1]:
            raise ValueError(f"invalid fault {spec!r}: expected KIND:ENDPOINT:N[,N…][:VALUE]")
        try:
            nth = frozenset(int(n) for n in parts[2].split(","))
            value = parts[3] if len(parts) == 4 else None
            if parts[0] == "status":
                return cls(parts[0], parts[1], nth, status=int(value or 503))
            if parts[0] == "slow":
                return cls(parts[0], parts[1], nth, delay=float(value or 90))
        except ValueError:
            raise ValueError(f"invalid fault {spec!r}: numbers expected") from None
        if value is not None:
            raise ValueError(f"invalid fault {spec!r}: {parts[0]} takes no value")
        return cls(parts[0], parts[1], nth)


@dataclass(frozen=True)
class ServiceConfig:
    """What the factory gets: the clock, a seed, faults, named rate limits and traffic.

    ``limits`` maps the mock's limit names to ``(requests, seconds)``; ``traffic`` holds the
    mock's own knobs (both from the scenario; a mock rejects names it does not know with
    ``ValueError``). ``accept`` is set by ``fleetpkg collect``: policy vars (``{vars: …,
    data_stream: {vars: …}}``) whose credentials and IDs the mock should accept.
    """

    clock: Clock
    seed: int = 1
    faults: tuple[Fault, ...] = ()
    limits: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    traffic: Mapping[str, Any] = field(default_factory=dict)
    accept: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Gap:
    """Records the API legitimately could not serve (e.g. past its retention) when asked.

    The program must tell the user: some error event's message must contain ``notice``.
    """

    keys: frozenset[str]
    reason: str
    notice: str


@dataclass(frozen=True)
class Held:
    """The records the API held for one run, by key, with each record's own time in ns.

    ``expected`` must each be delivered exactly once; ``known`` (a superset) may be
    delivered; ``gaps`` excuse records; error events whose message contains one of
    ``notices`` are expected reports, not failures; ``problems`` say why delivery cannot be
    checked (e.g. the program asked for a sample).
    """

    expected: Mapping[str, int]
    known: Mapping[str, int]
    gaps: tuple[Gap, ...] = ()
    notices: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


class Service(Protocol):
    """A mock service (one instance per scenario)."""

    @property
    def requests(self) -> Sequence[RequestRecord]:
        """The request log, oldest first."""
        ...

    def handle(self, request: Request) -> Response:
        """Answer one request (thread-safe: the HTTP server calls it from its threads)."""
        ...

    def credentials(self, mode: str) -> Mapping[str, Any]:
        """Data stream vars for an authentication mode (``default`` and the mock's own)."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in events, documents, logs or traces."""
        ...

    def record_key(self, data_stream: str, event: Mapping[str, Any]) -> str:
        """The key of the record a published data event carries; ``ValueError`` if none."""
        ...

    def held(self, data_stream: str, expect_until: float, until: float) -> Held:
        """What the run's requests could have returned: records up to ``until`` are
        ``known``, those up to ``expect_until`` ``expected``."""
        ...

    def describe(self) -> list[str]:
        """Lines for a person: IDs and test credentials (``fleetpkg service serve``)."""
        ...


ServiceFactory = Callable[[ServiceConfig], Service]


def message_key(event: Mapping[str, Any], name: str) -> str:
    """A ``record_key`` helper: the string ``name`` of the JSON object in ``message``."""
    message = event.get("message")
    if not isinstance(message, str):
        raise ValueError(f"event without a string message: {sorted(event)}")
    try:
        record = json.loads(message)
    except json.JSONDecodeError:
        raise ValueError(f"event message is not JSON: {message[:80]!r}") from None
    key = record.get(name) if isinstance(record, dict) else None
    if not isinstance(key, str):
        raise ValueError(f"event message has no record key {name!r}")
    return key


def load_module(path: Path) -> ModuleType:
    """The mock at ``path`` (a ``.py`` file or a package directory), imported under a name
    unique to its resolved path (relative imports inside a package work; ``sys.path`` is not
    touched) and reused by later calls."""
    path = path.resolve()
    init = path / "__init__.py" if path.is_dir() else path
    if not init.is_file():
        raise ImportError(f"no mock service module at {path}")
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    name = f"_fleetpkg_service_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    locations = [str(path)] if path.is_dir() else None
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=locations)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[loaded]
        raise
    return module


def load_factory(path: Path, name: str) -> ServiceFactory:
    """The factory ``name`` of the mock at ``path`` (see :func:`load_module`)."""
    factory = getattr(load_module(path), name, None)
    if not callable(factory):
        raise ImportError(f"{path} has no factory {name!r}")
    return cast(ServiceFactory, factory)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m fleetpkg.system.service DIR [--factory NAME] [--host H] [--port P]``: the
    mock in real time, e.g. as the command of a docker-compose service."""
    import argparse

    from fleetpkg.system.httpserver import HttpServer

    parser = argparse.ArgumentParser(prog="python -m fleetpkg.system.service")
    parser.add_argument("module", type=Path, help="the mock's .py file or package directory")
    parser.add_argument("--factory", default="create")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    service = load_factory(args.module, args.factory)(ServiceConfig(WallClock(), seed=args.seed))
    with HttpServer(service, args.port, args.host) as server:
        print(f"mock service on {server.url}", *service.describe(), sep="\n", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
