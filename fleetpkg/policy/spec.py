"""The vars of a built package, read from package/manifest.yml and its data stream manifests.

The built package is read with fleetpkg.packagedir, so this works for any package, however it
was made. The package's own constraints on vars are not part of a built package: they come from
its source when one is found (fleetpkg.policy.sourcevars).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.model import Constraints
from fleetpkg.packagedir import DataStream, Package, PackageError, Var, load_package
from fleetpkg.policy.sourcevars import VarKey, source_constraints


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """A data stream's stream of one input type, with every var Fleet merges for it."""

    package: str
    version: str
    title: str
    policy_template: str
    data_stream: str
    dataset: str
    type: str
    input: str
    template: str
    template_path: str
    package_vars: tuple[Var, ...]
    input_vars: tuple[Var, ...]
    stream_vars: tuple[Var, ...]
    required_vars: tuple[tuple[str, tuple[str, ...]], ...] = ()
    all_streams: tuple[str, ...] = ()  # datasets of the same input, in order
    constraints: tuple[tuple[VarKey, Constraints], ...] = ()  # from the source, if found

    @property
    def vars(self) -> tuple[Var, ...]:
        return self.package_vars + self.input_vars + self.stream_vars

    def var(self, name: str) -> Var | None:
        """The var Fleet uses for a name: stream vars override input vars override package vars."""
        found = None
        for var in self.vars:
            if var.name == name:
                found = var
        return found

    def constraints_of(self, var: Var) -> Constraints | None:
        return next((c for key, c in self.constraints if key == (var.level, var.name)), None)


def _problem(err: PackageError, fallback: Path) -> FleetpkgError:
    where = Location(err.path, err.line, err.col) if err.path else Location(str(fallback))
    return FleetpkgError([Problem(where, err.message)])


def _read(package_dir: Path, data_stream: str) -> tuple[Package, DataStream, str]:
    try:
        package = load_package(package_dir)
        ds = package.data_stream(data_stream)
    except PackageError as err:
        raise _problem(err, package_dir) from None
    if not ds.streams:
        raise FleetpkgError([Problem(Location(str(ds.manifest_path)), "no streams")])
    path = ds.template_file(ds.streams[0])
    try:
        return package, ds, path.read_text(encoding="utf-8")
    except OSError as err:
        raise FleetpkgError([Problem(Location(str(path)), str(err))]) from None


def load_stream(package_dir: Path, data_stream: str, *, source: Path | None = None) -> StreamSpec:
    """The stream of ``data_stream`` in the built package at ``package_dir``.

    The vars' constraints come from ``source`` (a package source directory), else from the
    directory holding ``package_dir``, when its manifest.yml names the same package.
    """
    package, ds, template = _read(package_dir, data_stream)
    stream = ds.streams[0]
    for pt in package.manifest.policy_templates:
        if not pt.covers(data_stream):
            continue
        for inp in pt.inputs:
            if inp.type != stream.input:
                continue
            return StreamSpec(
                package=package.name,
                version=package.version,
                title=package.manifest.title,
                policy_template=pt.name,
                data_stream=data_stream,
                dataset=ds.dataset,
                type=ds.type,
                input=stream.input,
                template=template,
                template_path=stream.template_path,
                package_vars=package.manifest.vars,
                input_vars=inp.vars,
                stream_vars=stream.vars,
                required_vars=stream.required_vars,
                all_streams=tuple(f"{package.name}.{n}" for n in pt.data_streams or [data_stream]),
                constraints=source_constraints(package, data_stream, stream.input, source),
            )
    message = f"no policy template has a {stream.input!r} input for data stream {data_stream!r}"
    raise FleetpkgError([Problem(Location(str(package_dir / "manifest.yml")), message)])
