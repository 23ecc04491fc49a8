"""Problems: what every stage reports, with a source location, instead of raising mid-way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A position in a source file; line and col are 1-based (0 = unknown)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a source or built file."""

    location: Location
    message: str

    def __str__(self) -> str:
        if not self.location.path:  # a problem of the run, not of a file
            return f"fleetpkg: {self.message}"
        return f"{self.location}: {self.message}"

    def under(self, folder: str) -> Problem:
        """The same problem with its path prefixed by folder ("." leaves it unchanged)."""
        if folder in ("", "."):
            return self
        loc = self.location
        return Problem(Location(f"{folder}/{loc.path}", loc.line, loc.col), self.message)

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {"path": loc.path, "line": loc.line, "col": loc.col, "message": self.message}


class FleetpkgError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))


class LoadError(FleetpkgError):
    """Raised by the load stage; keeps what did load so later checks can still run on it."""

    def __init__(self, problems: Iterable[Problem], partial: tuple[object, ...] = ()) -> None:
        super().__init__(problems)
        self.partial = partial


def raise_if(problems: Iterable[Problem]) -> None:
    """Raise FleetpkgError when there is at least one problem."""
    found = list(problems)
    if found:
        raise FleetpkgError(found)


def fail(message: str, path: str = "", line: int = 0, col: int = 0) -> FleetpkgError:
    """One problem as an exception: ``raise fail("no such package")`` prints ``fleetpkg: …``.

    With a path, it prints ``path:line:col: message`` like every other located problem.
    """
    return FleetpkgError([Problem(Location(path, line, col), message)])


class UsageError(Exception):
    """A bad command line that argparse cannot see (e.g. two options that exclude each other).

    The command line prints the command's usage and the message, and exits 2.
    """
