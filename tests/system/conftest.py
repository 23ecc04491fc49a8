"""Fixtures of the offline system tests: a virtual clock and the simulator on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fleetpkg.system.clock import VirtualClock
from fleetpkg.system.cloudflare import CloudflareSimulator, SimulatorServer
from fleetpkg.system.runner import START


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def simulator(clock: VirtualClock) -> CloudflareSimulator:
    return CloudflareSimulator(clock, latency=0.0)


@pytest.fixture
def server(simulator: CloudflareSimulator) -> Iterator[SimulatorServer]:
    with SimulatorServer(simulator) as running:
        yield running
