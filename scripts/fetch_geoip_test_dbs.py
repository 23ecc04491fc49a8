"""Fetch MaxMind's GeoLite2 test databases (shipped in the maxminddb sdist) into a cache dir.

Usage: python scripts/fetch_geoip_test_dbs.py [DEST]   (default: .cache/geoip/ in the repo)
Prints the directory holding GeoLite2-{City,Country,ASN}-Test.mmdb.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SDIST = "maxminddb==3.2.0"
DATABASES = ("GeoLite2-City-Test.mmdb", "GeoLite2-Country-Test.mmdb", "GeoLite2-ASN-Test.mmdb")
DEFAULT_DEST = Path(__file__).resolve().parent.parent / ".cache" / "geoip"


def have_all(dest: Path) -> bool:
    return all((dest / name).is_file() for name in DATABASES)


def download_sdist(workdir: Path) -> Path:
    """``pip download`` the sdist (no build, no dependencies); returns the archive path."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += ["-q", "-d", str(workdir), SDIST]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pip download {SDIST} failed: {done.stderr.strip()[-2000:]}")
    archives = sorted(workdir.glob("maxminddb-*.tar.gz"))
    if not archives:
        raise RuntimeError(f"pip download produced no sdist for {SDIST}")
    return archives[0]


def extract(archive: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if name in DATABASES and "/test-data/" in member.name and member.isfile():
                source = tar.extractfile(member)
                if source is not None:
                    (dest / name).write_bytes(source.read())


def fetch(dest: Path = DEFAULT_DEST) -> Path:
    """Ensure the test databases are in ``dest``; downloads only when some are missing."""
    if have_all(dest):
        return dest
    with tempfile.TemporaryDirectory() as tmp:
        extract(download_sdist(Path(tmp)), dest)
    if not have_all(dest):
        raise RuntimeError(f"the {SDIST} sdist did not contain {', '.join(DATABASES)}")
    return dest


def main(argv: list[str]) -> int:
    dest = Path(argv[1]) if len(argv) > 1 else DEFAULT_DEST
    print(fetch(dest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
