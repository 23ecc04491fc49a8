"""fleetpkg: build, test and ship Elastic Agent (Fleet) integration packages."""

__version__ = "0.1.0"
