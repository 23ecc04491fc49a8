#!/usr/bin/env python3
"""Regenerate fleetpkg/ecs_data/ from the npm package @elastic/ecs (needs npm and node).

Usage: python scripts/update_ecs.py [VERSION]

The build never runs this: it reads the pinned, trimmed copy that this script writes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

DEFAULT_VERSION = "9.4.0"
DATA_DIR = Path(__file__).resolve().parent.parent / "fleetpkg" / "ecs_data"
# Attributes kept per field; everything else (dashed_name, short, level…) is dropped.
KEEP = (
    "type",
    "description",
    "example",
    "pattern",
    "ignore_above",
    "object_type",
    "scaling_factor",
    "normalize",
    "multi_fields",
    "allowed_values",
    "expected_values",
    "index",
    "doc_values",
)
DUMP_JS = "process.stdout.write(JSON.stringify(require(process.argv[1]).EcsFlat))"


def fetch(version: str, workdir: Path) -> Path:
    """Download and unpack the npm tarball; return the unpacked package folder."""
    subprocess.run(
        ["npm", "pack", "--silent", f"@elastic/ecs@{version}"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = next(workdir.glob("elastic-ecs-*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def trim_field(field: dict[str, object]) -> dict[str, object]:
    out = {key: field[key] for key in KEEP if key in field and field[key] not in ([], None)}
    if "multi_fields" in out:
        out["multi_fields"] = [
            {"name": mf["name"], "type": mf["type"]}
            for mf in field["multi_fields"]  # type: ignore[attr-defined]
        ]
    if "allowed_values" in out:
        out["allowed_values"] = [av["name"] for av in field["allowed_values"]]  # type: ignore[attr-defined]
    return out


def main(argv: list[str]) -> int:
    version = argv[0] if argv else DEFAULT_VERSION
    with tempfile.TemporaryDirectory() as tmp:
        pkg = fetch(version, Path(tmp))
        raw = subprocess.run(
            ["node", "-e", DUMP_JS, str(pkg / "generated" / "ecs_flat.js")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        flat = json.loads(raw)
        fields = {name: trim_field(flat[name]) for name in sorted(flat)}
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        doc = {"ecs_version": version, "source": f"npm:@elastic/ecs@{version}", "fields": fields}
        text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        (DATA_DIR / "ecs_flat.json").write_text(text, encoding="utf-8")
        shutil.copyfile(pkg / "LICENSE", DATA_DIR / "LICENSE")
        shutil.copyfile(pkg / "NOTICE.txt", DATA_DIR / "NOTICE.txt")
    print(f"wrote {DATA_DIR} from @elastic/ecs@{version} ({len(fields)} fields)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
