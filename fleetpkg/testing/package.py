"""Deprecated: the names fleetpkg.system.stack imports, re-exported from fleetpkg.packagedir.

Import from ``fleetpkg.packagedir`` instead; this module goes once nothing imports it.
"""

from __future__ import annotations

from fleetpkg.packagedir import DataStream, Package, PackageError, load_package, version_tuple

__all__ = ["DataStream", "Package", "PackageError", "load_package", "version_tuple"]
