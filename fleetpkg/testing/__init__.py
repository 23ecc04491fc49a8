"""Docker-free ``fleetpkg test pipeline``: elastic-package pipeline tests on the embedded engine."""

from __future__ import annotations

from .backend import Backend, BackendError, CoverageData, EmbeddedFactory, SimulateRequest
from .coverage import Coverage
from .results import PackageResult, RunOptions
from .runner import coverage_of, run_package

__all__ = [
    "Backend",
    "BackendError",
    "Coverage",
    "CoverageData",
    "EmbeddedFactory",
    "PackageResult",
    "RunOptions",
    "SimulateRequest",
    "coverage_of",
    "run_package",
]
