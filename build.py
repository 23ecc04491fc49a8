#!/usr/bin/env python3
"""Build the package from the sources in this directory: `fleetpkg build` with its options."""

import sys

from fleetpkg.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
