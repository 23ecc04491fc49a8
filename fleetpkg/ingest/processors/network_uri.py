"""The uri_parts processor: split a URI into ECS ``url.*`` fields."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument
from .base import Config, Processor
from .network_javauri import UriParts, URISyntaxError, parse_uri, parse_url
from .network_util import get_string


def uri_parts(url: str) -> dict[str, Any]:
    """ES's ``UriPartsProcessor.apply``: the parts of ``url`` (a fresh dict per call)."""
    return dict(_cached_parts(url))


@lru_cache(maxsize=4096)
def _cached_parts(url: str) -> tuple[tuple[str, Any], ...]:
    try:
        parts = parse_uri(url)
    except URISyntaxError:
        try:
            parts = parse_url(url)
        except URISyntaxError:
            raise illegal_argument(f"unable to parse URI [{url}]") from None
    return tuple(_to_fields(parts).items())


def _to_fields(parts: UriParts) -> dict[str, Any]:
    fields: dict[str, Any] = {"domain": parts.host}
    if parts.fragment is not None:
        fields["fragment"] = parts.fragment
    if parts.path is not None:
        fields["path"] = parts.path
        extension = _extension(parts.path)
        if extension is not None:
            fields["extension"] = extension
    if parts.port != -1:
        fields["port"] = parts.port
    if parts.query is not None:
        fields["query"] = parts.query
    fields["scheme"] = parts.scheme
    if parts.user_info is not None:
        fields["user_info"] = parts.user_info
        if ":" in parts.user_info:
            username, _, password = parts.user_info.partition(":")
            fields["username"] = username
            fields["password"] = password
    return fields


def _extension(path: str) -> str | None:
    """The extension of the last path segment (only when the path has a ``/``)."""
    slash = path.rfind("/")
    if slash < 0:
        return None
    segment = path[slash:]
    dot = segment.rfind(".")
    return segment[dot + 1 :] if dot >= 0 else None


class UriPartsProcessor(Processor):
    type = "uri_parts"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.string("field")
        self.target = cfg.string("target_field", "url")
        self.remove_if_successful = cfg.boolean("remove_if_successful", False)
        self.keep_original = cfg.boolean("keep_original", True)
        self.ignore_missing = cfg.boolean("ignore_missing", False)

    def run(self, doc: IngestDocument) -> None:
        value = get_string(doc, self.field, self.ignore_missing)
        if value is None:
            if self.ignore_missing:
                return
            # ES hands null to ``new URI(...)``, which throws a NullPointerException.
            raise IngestError(
                "null_pointer_exception",
                'Cannot invoke "String.length()" because "this.input" is null',
            )
        parts = uri_parts(value)
        if self.keep_original:
            parts["original"] = value
        if self.remove_if_successful and self.target != self.field:
            doc.remove(self.field)
        doc.set(self.target, parts)
