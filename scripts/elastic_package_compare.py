"""Compare the package `elastic-package build` made with fleetpkg's build of the same source.

Usage: elastic_package_compare.py OURS_DIR OURS_ZIP THEIRS_DIR THEIRS_ZIP

The unpacked trees must hold the same files with the same bytes. The zips must hold the same
files with the same bytes; what may differ is listed (and justified) in
docs/fleetpkg/elastic-package.md:
fleetpkg's zip also has directory entries (elastic-package's has them only below the top
folder), fixed timestamps instead of the build time, and its own entry order. Prints one line per
difference and exits 1 if there is any.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def zip_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}


def differences(what: str, ours: dict[str, bytes], theirs: dict[str, bytes]) -> list[str]:
    out = [f"{what}: only in fleetpkg's build: {name}" for name in sorted(ours.keys() - theirs)]
    out += [
        f"{what}: only in elastic-package's build: {name}" for name in sorted(theirs - ours.keys())
    ]
    out += [
        f"{what}: content differs: {name}"
        for name in sorted(ours.keys() & theirs.keys())
        if ours[name] != theirs[name]
    ]
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    ours_dir, ours_zip, theirs_dir, theirs_zip = map(Path, argv)
    problems = differences("tree", tree(ours_dir), tree(theirs_dir))
    problems += differences("zip", zip_files(ours_zip), zip_files(theirs_zip))
    for line in problems:
        print(line)
    count = len(tree(ours_dir))
    if not problems:
        print(f"same {count} files, byte for byte, in the tree and in the zip")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
