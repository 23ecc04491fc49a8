"""An embedded Elasticsearch ingest node: ``simulate`` runs pipelines like ES does."""

from __future__ import annotations

from .errors import IngestError
from .simulate import simulate

__all__ = ["IngestError", "simulate"]
