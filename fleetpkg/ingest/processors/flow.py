"""Processors of the flow family."""

from __future__ import annotations

from .base import Factory

FACTORIES: dict[str, Factory] = {}
