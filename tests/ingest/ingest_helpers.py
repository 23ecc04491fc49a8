"""Helpers for engine tests: run one pipeline over sources and get results back."""

from __future__ import annotations

from typing import Any

from fleetpkg.ingest import simulate


def run(processors: list[dict[str, Any]], *sources: dict[str, Any], **kw: Any) -> list[Any]:
    """Simulate ``processors`` over ``sources``; each result is the source, an error or None."""
    request = {
        "pipeline": {"processors": processors, **kw.pop("pipeline_options", {})},
        "docs": [{"_index": "idx", "_id": str(i), "_source": s} for i, s in enumerate(sources)],
    }
    response = simulate(request, **kw)
    out: list[Any] = []
    for entry in response["docs"]:
        if entry is None:
            out.append(None)
        elif "error" in entry:
            out.append(entry["error"])
        else:
            out.append(entry["doc"]["_source"])
    return out


def run_one(processors: list[dict[str, Any]], source: dict[str, Any], **kw: Any) -> Any:
    return run(processors, source, **kw)[0]
