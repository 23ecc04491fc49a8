"""Processor building blocks: config reading with ES's wording, the Processor base class."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import IngestError, config_error, java_type_name
from ..mustache import Template, compile_template

if TYPE_CHECKING:
    from ..document import IngestDocument
    from ..fieldpath import FieldPath
    from ..pipeline import Compiler
    from ..scripting import Condition

_UNSET: Any = object()


class DropDocument(Exception):
    """Raised by ``drop``: the document leaves the pipeline and is not indexed."""


class Config:
    """One processor's configuration map, read the way ES's ConfigurationUtils reads it.

    Every ``read_*`` consumes its key; ``finish()`` rejects the keys nobody read.
    """

    __slots__ = ("compiler", "data", "tag", "type")

    def __init__(
        self, type: str, data: dict[str, Any], tag: str | None, compiler: Compiler
    ) -> None:
        self.type = type
        self.data = data
        self.tag = tag
        self.compiler = compiler

    # --------------------------------------------------------------- errors
    def error(self, prop: str | None, reason: str) -> IngestError:
        return config_error(reason, processor_type=self.type, tag=self.tag, property_name=prop)

    def _missing(self, key: str) -> IngestError:
        return self.error(key, "required property is missing")

    def _wrong(self, key: str, value: Any, what: str) -> IngestError:
        return self.error(key, f"property isn't {what}, but of type [{java_type_name(value)}]")

    # ---------------------------------------------------------------- reads
    def has(self, key: str) -> bool:
        return key in self.data

    def take(self, key: str, default: Any = _UNSET) -> Any:
        """Any value; required when no default is given."""
        if key not in self.data:
            if default is _UNSET:
                raise self._missing(key)
            return default
        return self.data.pop(key)

    def string(self, key: str, default: Any = _UNSET) -> Any:
        value = self.take(key, default)
        if value is default and default is not _UNSET:
            return value
        if value is None and default is not _UNSET:
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float):
            return _scalar_str(value)
        raise self._wrong(key, value, "a string")

    def boolean(self, key: str, default: bool) -> bool:
        value = self.take(key, default)
        if isinstance(value, bool):
            return value
        if value is None:
            return default
        if isinstance(value, str):
            if value == "true":
                return True
            if value == "false":
                return False
            raise self.error(
                key, f"Failed to parse value [{value}] as only [true] or [false] are allowed."
            )
        raise self._wrong(key, value, "a boolean")

    def integer(self, key: str, default: Any = _UNSET) -> Any:
        value = self.take(key, default)
        if value is None or (value is default and default is not _UNSET):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value))
        except ValueError:
            raise self.error(
                key, f"Failed to parse content to int: [{value}] is not an int"
            ) from None

    def string_list(self, key: str, default: Any = _UNSET) -> Any:
        value = self.take(key, default)
        if value is None or (value is default and default is not _UNSET):
            return value
        if isinstance(value, list):
            return [v if isinstance(v, str) else _scalar_str(v) for v in value]
        raise self._wrong(key, value, "a list")

    def string_or_list(self, key: str, default: Any = _UNSET) -> Any:
        value = self.take(key, default)
        if value is None or (value is default and default is not _UNSET):
            return value
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [v if isinstance(v, str) else _scalar_str(v) for v in value]
        raise self.error(
            key, f"property isn't a list or string, but of type [{java_type_name(value)}]"
        )

    def mapping(self, key: str, default: Any = _UNSET) -> Any:
        value = self.take(key, default)
        if value is None or (value is default and default is not _UNSET):
            return value
        if isinstance(value, dict):
            return value
        raise self._wrong(key, value, "a map")

    def template(self, key: str, default: Any = _UNSET) -> Any:
        """A string property compiled as a mustache template (field names, values)."""
        value = self.string(key, default)
        if value is None or (value is default and default is not _UNSET):
            return value
        return compile_template(value)

    def choice(self, key: str, allowed: tuple[str, ...], default: Any = _UNSET) -> Any:
        value = self.string(key, default)
        if value is None or value in allowed or (value is default and default is not _UNSET):
            return value
        raise self.error(key, f"property does not contain a supported value [{value}]")

    def finish(self) -> None:
        if self.data:
            keys = ", ".join(self.data)
            raise config_error(
                f"processor [{self.type}] doesn't support one or more provided configuration "
                f"parameters [{keys}]",
                processor_type=self.type,
                tag=self.tag,
            )


def _scalar_str(value: Any) -> str:
    from ..values import java_str

    return java_str(value)


class Processor:
    """A compiled processor. Subclasses implement ``run``; the pipeline handles the rest."""

    type: ClassVar[str] = ""
    tag: str | None = None
    description: str | None = None
    condition: Condition | None = None
    ignore_failure: bool = False
    on_failure: tuple[Processor, ...] = ()

    def run(self, doc: IngestDocument) -> None:
        raise NotImplementedError

    def children(self) -> tuple[Processor, ...]:
        """Processors nested inside this one (foreach), for coverage reports."""
        return ()


Factory = Callable[[Config], Processor]


def render_field(template: Template, doc: IngestDocument) -> str:
    """A field name, rendered when it is a template."""
    if template.is_static:
        return template.source
    return template.render(doc.render_context())


def read_field(
    doc: IngestDocument,
    field: Template | str,
    path: FieldPath | None,
    ignore_missing: bool = False,
) -> Any:
    """``doc.get`` of a field (template or name), through its pre-split path when static."""
    if path is not None:
        return path.get(doc, ignore_missing=ignore_missing)
    name = field if isinstance(field, str) else render_field(field, doc)
    return doc.get(name, ignore_missing=ignore_missing)


def write_field(
    doc: IngestDocument, field: Template | str, path: FieldPath | None, value: Any
) -> None:
    """``doc.set`` of a field (template or name), through its pre-split path when static."""
    if path is not None:
        path.set(doc, value)
    else:
        doc.set(field if isinstance(field, str) else render_field(field, doc), value)
