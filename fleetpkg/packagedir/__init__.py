"""The one reader of a package directory in package-spec layout (a built package).

Everything that reads a built package (pipeline tests, policies, install, system tests) uses it,
with one YAML semantics: yaml.v3's, as elastic-package and Fleet's Go side read packages. It
imports nothing else of fleetpkg, so any layer can use it.
"""

from __future__ import annotations

from .manifests import INPUT, PACKAGE, STREAM, Input, PolicyTemplate, Stream, Var
from .reader import (
    COMMON_CONFIG,
    CONFIG_SUFFIX,
    EXPECTED_SUFFIX,
    DataStream,
    Manifest,
    Package,
    PackageError,
    Skip,
    load_package,
    parse_file,
    parse_manifest,
    read_manifest,
    read_yaml,
    version_tuple,
)

__all__ = [
    "COMMON_CONFIG",
    "CONFIG_SUFFIX",
    "EXPECTED_SUFFIX",
    "INPUT",
    "PACKAGE",
    "STREAM",
    "DataStream",
    "Input",
    "Manifest",
    "Package",
    "PackageError",
    "PolicyTemplate",
    "Skip",
    "Stream",
    "Var",
    "load_package",
    "parse_file",
    "parse_manifest",
    "read_manifest",
    "read_yaml",
    "version_tuple",
]
