"""Offline system tests: a package's CEL streams, run with the Agent's ``cel`` input semantics
against the package's own mock service (the interface: :mod:`fleetpkg.system.service`), through
the data stream's ingest pipeline, with generic checks. Imports nothing at package import."""
