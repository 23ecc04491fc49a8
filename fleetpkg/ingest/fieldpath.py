"""Static field paths split once at build time, with fast walks through plain maps.

A ``FieldPath`` handles the common case itself (classic access, every step a ``dict``) and hands
anything else (lists, scalars, missing parents, flexible access) to the ``IngestDocument`` method
of the same name, so results, side effects and error messages are exactly the general path's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .document import METADATA_KEYS, appended_value, new_list_value, split_path
from .errors import IngestError

if TYPE_CHECKING:
    from .document import IngestDocument
    from .mustache import Template

_MISSING: Any = object()


class FieldPath:
    """One static, valid field path (``a.b.c``, ``_ingest.x``, ``_source.y``)."""

    __slots__ = ("in_source", "ingest", "leaf", "meta", "parents", "parts", "path")

    def __init__(self, path: str) -> None:
        kind, parts = split_path(path)
        self.path = path
        self.parts = parts
        self.parents = parts[:-1]
        self.leaf = parts[-1]
        self.ingest = kind == "ingest"
        self.meta = kind == "ctx" and parts[0] in METADATA_KEYS
        self.in_source = not self.ingest and not self.meta  # the usual case, inlined below

    @classmethod
    def of(cls, template: Template | str | None) -> FieldPath | None:
        """The path of a static template or string; None when dynamic or invalid (the general
        path then reports ES's error at run time, as before)."""
        if template is None:
            return None
        if not isinstance(template, str):
            if not template.is_static:
                return None
            template = template.source
        try:
            return cls(template)
        except IngestError:
            return None

    def __repr__(self) -> str:
        return f"FieldPath({self.path!r})"

    def _root(self, doc: IngestDocument) -> Any:
        """The map the walk starts from; None when flexible access must do the walk."""
        if self.in_source and not doc.flexible:
            return doc.source
        if self.ingest:
            return doc.ingest
        if doc.flexible:
            return None
        return doc.meta if self.meta else doc.source

    def parent(self, doc: IngestDocument) -> dict[str, Any] | None:
        """The existing map holding the leaf, when every step is a map (else None)."""
        ctx = doc.source if self.in_source and not doc.flexible else self._root(doc)
        for key in self.parents:
            if type(ctx) is not dict:
                return None
            ctx = ctx.get(key)
        return ctx if type(ctx) is dict else None

    # ------------------------------------------------------------------- read
    def get(self, doc: IngestDocument, *, ignore_missing: bool = False) -> Any:
        ctx = doc.source if self.in_source and not doc.flexible else self._root(doc)
        for key in self.parts:
            if type(ctx) is not dict:
                break
            ctx = ctx.get(key, _MISSING)
            if ctx is _MISSING:
                break
        else:
            return ctx
        return doc.get(self.path, ignore_missing=ignore_missing)

    def has(self, doc: IngestDocument) -> bool:
        ctx = doc.source if self.in_source and not doc.flexible else self._root(doc)
        for key in self.parts:
            if type(ctx) is not dict:
                return doc.has(self.path)
            if key not in ctx:
                return False
            ctx = ctx[key]
        return True

    # ------------------------------------------------------------------ write
    def _parent_for_write(self, doc: IngestDocument) -> dict[str, Any] | None:
        """Like ``IngestDocument._parent``: missing or null maps along the way are created."""
        ctx = doc.source if self.in_source and not doc.flexible else self._root(doc)
        for key in self.parents:
            if type(ctx) is not dict:
                return None
            nxt = ctx.get(key)
            if nxt is None:
                nxt = {}
                ctx[key] = nxt
            ctx = nxt
        return ctx if type(ctx) is dict else None

    def set(self, doc: IngestDocument, value: Any) -> None:
        parent = self._parent_for_write(doc)
        if parent is None:
            doc.set(self.path, value)
        else:
            parent[self.leaf] = value

    def append(self, doc: IngestDocument, value: Any, *, allow_duplicates: bool = True) -> None:
        parent = self._parent_for_write(doc)
        if parent is None:
            doc.append(self.path, value, allow_duplicates=allow_duplicates)
            return
        leaf = self.leaf
        if leaf in parent:
            parent[leaf] = appended_value(parent[leaf], value, allow_duplicates)
        else:
            parent[leaf] = new_list_value(value, allow_duplicates)

    def remove(self, doc: IngestDocument, *, ignore_missing: bool = False) -> None:
        parent = self.parent(doc)
        if parent is not None and self.leaf in parent:
            del parent[self.leaf]
            return
        doc.remove(self.path, ignore_missing=ignore_missing)
