"""``fleetpkg install`` / ``uninstall``: the built package zip uploaded to (removed from) Fleet."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fleetpkg.packagedir import PackageError, parse_file, parse_manifest, read_manifest

from .errors import LiveError, UsageError
from .fleet import Asset, Fleet


@dataclass(frozen=True, slots=True)
class BuiltZip:
    path: Path
    name: str
    version: str
    data: bytes


def built_version(source: Path) -> tuple[str, str]:
    """Name and version of the built package (``SOURCE/package/manifest.yml``)."""
    try:
        manifest = read_manifest(source / "package")
    except PackageError as err:
        raise UsageError(f"{err}; run `fleetpkg build`") from None
    if not manifest.version:
        raise UsageError(f"{source / 'package' / 'manifest.yml'}: no version")
    return manifest.name, manifest.version


def built_name(source: Path) -> str:
    return built_version(source)[0]


def default_zip(source: Path) -> Path:
    name, version = built_version(source)
    return source / "build" / f"{name}-{version}.zip"


def read_zip(path: Path) -> BuiltZip:
    """The zip, checked for the layout Kibana expects: ``<name>-<version>/manifest.yml``."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UsageError(f"{path}: {err.strerror}; build it with `fleetpkg build`") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            folder = path.name.removesuffix(".zip")
            outside = [n for n in names if not n.startswith(folder + "/")]
            if outside or f"{folder}/manifest.yml" not in names:
                raise LiveError(f"{path}: not a package zip (every entry must be under {folder}/)")
            text = archive.read(f"{folder}/manifest.yml").decode("utf-8")
        inner = f"{path}!{folder}/manifest.yml"
        manifest = parse_manifest(parse_file(text, inner), inner)
    except (zipfile.BadZipFile, UnicodeDecodeError, PackageError) as err:
        raise LiveError(f"{path}: not a package zip: {err}") from None
    name, version = manifest.name, manifest.version
    if f"{name}-{version}" != folder:
        raise LiveError(f"{path}: manifest says {name} {version}, the zip is named {folder}")
    return BuiltZip(path, name, version, data)


def install(fleet: Fleet, package: BuiltZip, *, force: bool = False) -> list[Asset]:
    """Upload; with ``force`` an installed copy (409) is uninstalled first and uploaded again."""
    try:
        return fleet.upload(package.data, package.name, package.version)
    except LiveError as err:
        if err.status != 409 or not force:
            raise
    installed = fleet.installed(package.name) or package.version
    fleet.delete(package.name, installed, force=True)
    return fleet.upload(package.data, package.name, package.version)


def format_assets(verb: str, package: str, version: str, assets: list[Asset]) -> str:
    lines = [f"{verb} {package} {version}: {len(assets)} asset(s)"]
    width = max((len(a.type) for a in assets), default=0)
    lines.extend(f"  {a.type.ljust(width)}  {a.id}" for a in assets)
    return "\n".join(lines)
