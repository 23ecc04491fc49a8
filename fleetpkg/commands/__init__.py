"""Command-line glue: each module configures and runs commands named in ``fleetpkg.cli``.

A module here may import any part of fleetpkg; no other part imports this package. Modules
import only ``argparse``-level things at import time and the rest inside ``run_*``, so the
start-up of every command stays proportional to the command.
"""
