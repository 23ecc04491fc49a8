"""The constraints of a package's vars, read from its source (they are not in a built package).

A source directory is used when its manifest.yml names the built package: the one given
(``--source``), else the directory holding the built package (the build's default layout,
``DIR/package``). Without one, vars have no constraints.
"""

from __future__ import annotations

from pathlib import Path

from fleetpkg.errors import FleetpkgError
from fleetpkg.load import load_var_sources
from fleetpkg.model import Constraints, Manifest, Stream, Var
from fleetpkg.packagedir import INPUT, PACKAGE, STREAM, Package
from fleetpkg.yamlloader import load

VarKey = tuple[str, str]  # (level, name) of a var


def _names_package(root: Path, name: str) -> bool:
    if not (root / "manifest.yml").is_file():
        return False
    try:
        value = load(root, "manifest.yml").value
    except FleetpkgError:
        return False  # not a package source
    return isinstance(value, dict) and value.get("name") == name


def find_source(package: Package, source: Path | None) -> Path | None:
    """The source directory of ``package``: ``source``, else the package's parent directory."""
    built = package.root.resolve()
    for root in (source, package.root.parent):
        if root is not None and root.resolve() != built and _names_package(root, package.name):
            return root
    return None


def _keyed(level: str, items: tuple[Var, ...]) -> list[tuple[VarKey, Constraints]]:
    return [((level, v.name), v.constraints) for v in items if v.constraints is not None]


def _input_vars(manifest: Manifest, data_stream: str, input_type: str) -> tuple[Var, ...]:
    for pt in manifest.policy_templates:
        if pt.data_streams is not None and data_stream not in pt.data_streams:
            continue
        for inp in pt.inputs:
            if inp.type == input_type:
                return inp.vars
    return ()


def _stream_vars(streams: tuple[Stream, ...], input_type: str) -> tuple[Var, ...]:
    return next((s.vars for s in streams if s.input == input_type), ())


def source_constraints(
    package: Package, data_stream: str, input_type: str, source: Path | None
) -> tuple[tuple[VarKey, Constraints], ...]:
    """Constraints by (level, var name) for the stream of ``input_type`` in ``data_stream``."""
    root = find_source(package, source)
    if root is None:
        return ()
    try:
        manifest, streams = load_var_sources(root, data_stream)
    except FleetpkgError as err:
        raise FleetpkgError(p.under(str(root)) for p in err.problems) from None
    return tuple(
        _keyed(PACKAGE, manifest.vars)
        + _keyed(INPUT, _input_vars(manifest, data_stream, input_type))
        + _keyed(STREAM, _stream_vars(streams, input_type))
    )
