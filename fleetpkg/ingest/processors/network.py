"""Processors of the network family."""

from __future__ import annotations

from .base import Factory

FACTORIES: dict[str, Factory] = {}
