"""Finding a package's mock service: ``_dev/deploy/docker/fleetpkg-service.yml``.

The manifest (a data stream's own ``data_stream/<ds>/_dev/deploy/docker/`` first, then the
package's ``_dev/deploy/docker/``) names the mock's module and factory::

    service: example           # the docker-compose service (elastic-package's `service:`)
    module: example_mock       # a .py file or a package directory, relative to the manifest
    factory: create            # create(config: ServiceConfig) -> Service
    url_var: api_url           # the package var that gets the mock's base URL
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.system.service import ServiceFactory, load_factory
from fleetpkg.yamlloader import Document, parse

MANIFEST = "_dev/deploy/docker/fleetpkg-service.yml"
_KEYS = {"service": True, "module": True, "factory": False, "url_var": False}


@dataclass(frozen=True)
class ServiceManifest:
    """A parsed ``fleetpkg-service.yml``."""

    path: Path
    service: str
    module: Path
    factory: str = "create"
    url_var: str | None = None

    def load(self) -> ServiceFactory:
        try:
            return load_factory(self.module, self.factory)
        except Exception as err:  # the mock is the package's code: report, do not crash
            message = f"cannot load the mock service: {type(err).__name__}: {err}"
            raise _problem(self.path, 0, 0, message) from None


def _problem(path: Path, line: int, col: int, message: str) -> FleetpkgError:
    return FleetpkgError([Problem(Location(str(path), line, col), message)])


def manifest_path(root: Path, data_stream: str | None = None) -> Path | None:
    """The manifest that applies to ``data_stream`` in the package at ``root``, if any."""
    candidates = [root / "data_stream" / data_stream / MANIFEST] if data_stream else []
    candidates.append(root / MANIFEST)
    return next((p for p in candidates if p.is_file()), None)


def find_service(root: Path, data_stream: str | None = None) -> ServiceManifest:
    """The mock service of ``data_stream`` (or of the package); located problems if none."""
    path = manifest_path(root, data_stream)
    if path is None:
        where = f"{root}/{MANIFEST}"
        raise _problem(Path(where), 0, 0, "no mock service (see docs/fleetpkg/system-tests.md)")
    return read_manifest(path)


def read_manifest(path: Path) -> ServiceManifest:
    try:
        doc = parse(path.read_text("utf-8"), str(path))
    except OSError as err:
        raise _problem(path, 0, 0, f"cannot read file: {err}") from None
    if not isinstance(doc.value, dict):
        raise _problem(path, 1, 1, "the mock service manifest must be a mapping")
    problems = _manifest_problems(doc)
    if problems:
        raise FleetpkgError(problems)
    value = doc.value
    module = path.parent / str(value["module"])
    if not module.exists():
        loc = doc.at("module")
        raise _problem(path, loc.line, loc.col, f"module {value['module']!r} does not exist")
    return ServiceManifest(
        path,
        str(value["service"]),
        module,
        str(value.get("factory", "create")),
        str(value["url_var"]) if value.get("url_var") else None,
    )


def _manifest_problems(doc: Document) -> list[Problem]:
    value = doc.value
    problems = [
        Problem(doc.key_at(key), f"unknown key {key!r} (known: {', '.join(_KEYS)})")
        for key in value
        if key not in _KEYS
    ]
    for key, required in _KEYS.items():
        if key not in value:
            if required:
                problems.append(Problem(doc.at(), f"missing key {key!r}"))
        elif not isinstance(value[key], str) or not value[key]:
            problems.append(Problem(doc.at(key), f"{key} must be a non-empty string"))
    return problems
