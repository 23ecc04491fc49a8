"""Results of the run stage: per case, per data stream, per package (plus what was asked)."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from fleetpkg.packagedir import Skip

from .coverage import Coverage, PipelineCoverage

PASS, FAIL, SKIP, UNSUPPORTED, ERROR = "pass", "fail", "skip", "unsupported", "error"


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What ``fleetpkg test pipeline`` was asked to do."""

    data_streams: tuple[str, ...] = ()
    generate: bool = False
    coverage: bool = False
    jobs: int = 1
    geoip_dir: str | None = None
    cases: tuple[str, ...] = ()  # file name globs; empty = every case
    fail_on_missing: bool = False  # a data stream with pipelines but no test cases fails

    def selects(self, case_name: str) -> bool:
        return not self.cases or any(fnmatch.fnmatchcase(case_name, c) for c in self.cases)


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The outcome of one test case file."""

    data_stream: str
    name: str
    path: str
    status: str
    events: int = 0
    details: tuple[str, ...] = ()
    diff: str = ""
    seconds: float = 0.0
    skip: Skip | None = None
    generated: bool = False
    warnings: tuple[str, ...] = ()  # e.g. documents that failed but match an expected null


@dataclass(frozen=True, slots=True)
class DataStreamResult:
    name: str
    cases: tuple[CaseResult, ...]
    coverage: tuple[PipelineCoverage, ...] = ()
    warnings: tuple[str, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for c in self.cases if c.status == status)


@dataclass(frozen=True, slots=True)
class PackageResult:
    package: str
    data_streams: tuple[DataStreamResult, ...]
    coverage: Coverage | None = None
    skip: Skip | None = None
    untested: tuple[str, ...] = ()  # data streams with ingest pipelines but no test cases

    @property
    def cases(self) -> tuple[CaseResult, ...]:
        return tuple(c for ds in self.data_streams for c in ds.cases)

    def count(self, status: str) -> int:
        return sum(1 for c in self.cases if c.status == status)

    @property
    def ok(self) -> bool:
        return all(c.status in (PASS, SKIP) for c in self.cases)
