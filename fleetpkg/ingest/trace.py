"""Verbose simulate: the ``processor_results`` entries ES records per processor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import IngestDocument
    from .errors import IngestError
    from .processors.base import Processor


def _doc(doc: IngestDocument) -> dict[str, Any]:
    return doc.to_es()


class Trace:
    """Collects one document's processor results in execution order."""

    __slots__ = ("results",)

    def __init__(self) -> None:
        self.results: list[dict[str, Any]] = []

    def _entry(self, p: Processor, status: str, *, condition: bool | None) -> dict[str, Any]:
        entry: dict[str, Any] = {"processor_type": p.type, "status": status}
        if p.description is not None:
            entry["description"] = p.description
        if p.tag is not None:
            entry["tag"] = p.tag
        if p.condition is not None and condition is not None:
            entry["if"] = {"condition": p.condition.source, "result": condition}
        return entry

    def success(self, p: Processor, doc: IngestDocument) -> None:
        if p.ignore_failure:
            # ES records a processor wrapped for ignore_failure with its tag and doc only.
            entry: dict[str, Any] = {"tag": p.tag} if p.tag is not None else {}
            entry["doc"] = _doc(doc)
            self.results.append(entry)
            return
        entry = self._entry(p, "success", condition=True)
        entry["doc"] = _doc(doc)
        self.results.append(entry)

    def pipeline_entry(self, p: Processor, doc: IngestDocument) -> None:
        self.results.append(self._entry(p, "success", condition=True))

    def skipped(self, p: Processor, doc: IngestDocument) -> None:
        self.results.append(self._entry(p, "skipped", condition=False))

    def dropped(self, p: Processor, doc: IngestDocument) -> None:
        self.results.append(self._entry(p, "dropped", condition=True))

    def error(self, p: Processor, doc: IngestDocument, err: IngestError) -> None:
        entry = self._entry(p, "error", condition=True)
        entry["error"] = err.to_es()
        self.results.append(entry)

    def ignored(self, p: Processor, doc: IngestDocument, err: IngestError) -> None:
        entry = self._entry(p, "error_ignored", condition=True)
        entry["ignored_error"] = {"error": err.to_es()}
        entry["doc"] = _doc(doc)
        self.results.append(entry)
