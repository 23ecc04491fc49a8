"""Fixtures of the live-path tests: the fake stack, a closed port, fast retries."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fakestack import FakeStack


@pytest.fixture
def stack() -> Iterator[FakeStack]:
    fake = FakeStack().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on (bound, then released): connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
