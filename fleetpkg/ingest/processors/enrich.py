"""Processors of the enrich family."""

from __future__ import annotations

from .base import Factory

FACTORIES: dict[str, Factory] = {}
