"""The simulator's gatekeeping: authentication, rate limits and injected faults."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING

from fleetpkg.system.service import Fault, RequestRecord

from .api import ACCOUNT_READ, LOGS_READ, ApiError, Credentials

if TYPE_CHECKING:
    from .simulator import CloudflareSimulator


class _Window:
    """A sliding-window request counter on the simulator clock."""

    def __init__(self, limit: int, seconds: int) -> None:
        self.limit = limit
        self.seconds = seconds
        self.times: deque[float] = deque()

    def retry_after(self, now: float) -> int:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0
        return max(1, int(self.times[0] + self.seconds - now + 0.999))

    def add(self, now: float) -> None:
        self.times.append(now)


def authenticate(creds: Credentials, headers: Mapping[str, str]) -> tuple[str, frozenset[str]]:
    auth = headers.get("authorization")
    if auth is not None:
        token = auth[7:] if auth.startswith("Bearer ") else None
        if token is None or token not in creds.tokens:
            raise ApiError(401, 10000, "Authentication error")
        return f"token:{list(creds.tokens).index(token)}", creds.tokens[token]
    email, key = headers.get("x-auth-email"), headers.get("x-auth-key")
    if email is None and key is None:
        raise ApiError(401, 10000, "Authentication error")
    if email is None or key is None:
        raise ApiError(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
    if email != creds.email or key != creds.key:
        raise ApiError(403, 9103, "Unknown X-Auth-Key or X-Auth-Email")
    return "key", frozenset({LOGS_READ, ACCOUNT_READ})


def rate_limit(
    sim: CloudflareSimulator, record: RequestRecord, endpoint: str, path: str, principal: str
) -> None:
    now = sim.clock.now()
    limits = [("global", principal, sim.limits.global_per_user)]
    if endpoint == "logpull":
        zone = path.split("/")[4]
        limits.append(("zone", zone, sim.limits.logpull_per_zone))
        limits.append(("user", principal, sim.limits.logpull_per_user))
    with sim._lock:
        windows = []
        for kind, key, (count, seconds) in limits:
            window = sim._windows.setdefault((kind, key), _Window(count, seconds))
            wait = window.retry_after(now)
            if wait:
                raise ApiError(
                    429,
                    971,
                    "Please wait and consider throttling your request speed",
                    **{"Retry-After": str(wait)},
                )
            windows.append(window)
        for window in windows:
            window.add(now)


def find_fault(faults: list[Fault], endpoint: str, nth: int) -> Fault | None:
    for fault in faults:
        if fault.endpoint in (endpoint, "*") and nth in fault.nth:
            return fault
    return None
