"""Fixtures of the offline system tests: a virtual clock and the Cloudflare mock on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cfmock import CloudflareSimulator

from fleetpkg.system.httpserver import HttpServer
from fleetpkg.system.runner import START
from fleetpkg.system.service import VirtualClock


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def simulator(clock: VirtualClock) -> Any:
    return CloudflareSimulator(clock, latency=0.0)


@pytest.fixture
def server(simulator: Any) -> Iterator[HttpServer]:
    with HttpServer(simulator) as running:
        yield running
