"""Processors of the fields family."""

from __future__ import annotations

from .base import Factory

FACTORIES: dict[str, Factory] = {}
