"""`python -m fleetpkg` runs the command line."""

from fleetpkg.cli import main

raise SystemExit(main())
