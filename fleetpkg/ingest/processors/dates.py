"""Processors of the dates family."""

from __future__ import annotations

from .base import Factory

FACTORIES: dict[str, Factory] = {}
