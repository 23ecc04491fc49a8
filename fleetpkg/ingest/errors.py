"""Errors of the ingest engine, shaped like the exceptions Elasticsearch renders."""

from __future__ import annotations

from typing import Any

from .values import JLong


class IngestError(Exception):
    """An Elasticsearch-style exception: a ``type``, a ``reason`` and optional headers.

    ``metadata`` holds ES's exception headers (``processor_type``, ``processor_tag``,
    ``property_name``); they appear as top-level keys of the rendered error.
    """

    def __init__(
        self,
        type: str,
        reason: str | None,
        *,
        metadata: dict[str, str] | None = None,
        caused_by: IngestError | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(reason)
        self.type = type
        self.reason = reason
        self.metadata = dict(metadata or {})
        self.caused_by = caused_by
        self.extra = dict(extra or {})

    @property
    def processor_type(self) -> str | None:
        return self.metadata.get("processor_type")

    @property
    def processor_tag(self) -> str | None:
        return self.metadata.get("processor_tag")

    @property
    def property_name(self) -> str | None:
        return self.metadata.get("property_name")

    def root(self) -> IngestError:
        """The innermost cause (what ES lists under ``root_cause``)."""
        err = self
        while err.caused_by is not None and err.extra.get("_wrapper"):
            err = err.caused_by
        return err

    def _body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "reason": self.reason}
        body.update({k: v for k, v in self.extra.items() if not k.startswith("_")})
        body.update(self.metadata)
        if self.caused_by is not None:
            body["caused_by"] = self.caused_by._body()
        return body

    def to_es(self) -> dict[str, Any]:
        """The error object ES puts under ``error`` (with ``root_cause``)."""
        root = self.root()
        body = {"root_cause": [root._root_body()]}
        body.update(self._body())
        return body

    def _root_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "reason": self.reason}
        body.update({k: v for k, v in self.extra.items() if not k.startswith("_")})
        body.update(self.metadata)
        return body

    def __str__(self) -> str:
        return f"{self.type}: {self.reason}"


def illegal_argument(reason: str) -> IngestError:
    return IngestError("illegal_argument_exception", reason)


def illegal_state(reason: str) -> IngestError:
    return IngestError("illegal_state_exception", reason)


def config_error(
    reason: str,
    *,
    processor_type: str | None = None,
    tag: str | None = None,
    property_name: str | None = None,
) -> IngestError:
    """A pipeline-definition problem: ES answers ``parse_exception`` with headers."""
    metadata: dict[str, str] = {}
    if processor_type is not None:
        metadata["processor_type"] = processor_type
    if tag is not None:
        metadata["processor_tag"] = tag
    if property_name is not None:
        metadata["property_name"] = property_name
    prefix = f"[{property_name}] " if property_name else ""
    return IngestError("parse_exception", prefix + reason, metadata=metadata)


def java_type_name(value: object) -> str:
    """The Java class name ES would print for a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        if type(value) is JLong or not -(2**31) <= value < 2**31:
            return "java.lang.Long"
        return "java.lang.Integer"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, list):
        return "java.util.ArrayList"
    if isinstance(value, dict):
        return "java.util.HashMap"
    return f"java.lang.{type(value).__name__}"
