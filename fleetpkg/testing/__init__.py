"""Docker-free ``fleetpkg test pipeline``: elastic-package pipeline tests on the embedded engine."""

from __future__ import annotations

from .backend import Backend, BackendError, CoverageData, EmbeddedFactory, SimulateRequest
from .coverage import Coverage
from .runner import PackageResult, RunOptions, coverage_of, run_package

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
