"""GeoIP test databases (GeoLite2-ASN/City/Country.mmdb) and their JSON sources; see NOTICE.

They answer like the databases elastic-package's stack installs. The build (sample events)
and ``fleetpkg test pipeline`` use them; ``scripts/build_geoip_test_dbs.py`` writes them.
"""

import argparse
from pathlib import Path

GEOIP_TEST_DIR: Path = Path(__file__).resolve().parent


def geoip_dir_arg(text: str) -> Path:
    """The argparse ``type`` of ``--geoip-dir``: an existing directory, else a usage error."""
    path = Path(text)
    if not path.is_dir():
        reason = "is not a directory" if path.exists() else "does not exist"
        raise argparse.ArgumentTypeError(f"GeoIP database directory {text!r} {reason}")
    return path
