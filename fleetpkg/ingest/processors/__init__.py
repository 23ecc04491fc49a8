"""The processor registry: ES processor name → factory, one module per family."""

from __future__ import annotations

from . import dates, enrich, fields, flow, network, parsing, script, strings
from .base import Factory

PROCESSORS: dict[str, Factory] = {
    **fields.FACTORIES,
    **strings.FACTORIES,
    **flow.FACTORIES,
    **script.FACTORIES,
    **parsing.FACTORIES,
    **dates.FACTORIES,
    **network.FACTORIES,
    **enrich.FACTORIES,
}

__all__ = ["PROCESSORS"]
