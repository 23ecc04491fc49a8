"""GeoIP test databases (GeoLite2-ASN/City/Country.mmdb) and their JSON sources; see NOTICE.

They answer like the databases elastic-package's stack installs. The build (sample events)
and ``fleetpkg test pipeline`` use them; ``scripts/build_geoip_test_dbs.py`` writes them.
"""

from pathlib import Path

GEOIP_TEST_DIR: Path = Path(__file__).resolve().parent
