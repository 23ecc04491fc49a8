"""Live Elastic stack: Fleet uploads and policies, pipeline tests and benchmarks on a cluster.

Nothing else in fleetpkg needs a cluster; this package is only imported by its own commands.
"""
