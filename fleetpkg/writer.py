"""Write stage: put rendered files on disk, compare them with disk, and zip them."""

from __future__ import annotations

import zipfile
from pathlib import Path

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _existing(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def stale(files: dict[str, bytes], out: Path) -> list[str]:
    """Paths (relative to out) that are missing, different or not generated any more."""
    found = []
    for rel, data in files.items():
        path = out / rel
        if not path.is_file() or path.read_bytes() != data:
            found.append(rel)
    found += _existing(out) - files.keys()
    return sorted(found)


def write(files: dict[str, bytes], out: Path) -> list[str]:
    """Make out hold exactly files; return the paths that changed."""
    changed = stale(files, out)
    for rel in changed:
        path = out / rel
        if rel not in files:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])
    _prune_empty_dirs(out)
    return changed


def _prune_empty_dirs(out: Path) -> None:
    for path in sorted(out.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _dirs(paths: list[str]) -> list[str]:
    found = {"/".join(p.split("/")[:i]) + "/" for p in paths for i in range(1, p.count("/") + 1)}
    return sorted(found)


def zip_package(files: dict[str, bytes], name: str, version: str, zip_dir: Path) -> Path:
    """build/<name>-<version>.zip as Kibana's upload API expects it, byte-reproducible.

    Like elastic-package's built packages, the zip leaves out every _dev/ folder (tests).
    """
    files = {rel: data for rel, data in files.items() if "_dev" not in rel.split("/")}
    folder = f"{name}-{version}"
    target = zip_dir / f"{folder}.zip"
    zip_dir.mkdir(parents=True, exist_ok=True)
    entries = [f"{folder}/"] + [f"{folder}/{d}" for d in _dirs(list(files))]
    with zipfile.ZipFile(target, "w") as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry, ZIP_DATE)
            info.external_attr = (0o40755 << 16) | 0x10
            info.create_system = 3
            archive.writestr(info, b"")
        for rel in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{rel}", ZIP_DATE)
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[rel], compresslevel=9)
    return target
