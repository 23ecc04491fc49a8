"""The ingest document: source, metadata and ``_ingest`` data, with ES's field-path rules."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from .errors import IngestError, illegal_argument, java_type_name

# Metadata fields ES keeps beside the source and exposes at the top of ``ctx``.
METADATA_KEYS = frozenset(
    {
        "_index",
        "_id",
        "_routing",
        "_version",
        "_version_type",
        "_if_seq_no",
        "_if_primary_term",
        "_dynamic_templates",
    }
)
INGEST_PREFIX = "_ingest"
SOURCE_PREFIX = "_source"

_MISSING: Any = object()


def deep_copy(value: Any) -> Any:
    """Copy JSON-like data (much faster than ``copy.deepcopy`` for our shapes)."""
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value


@lru_cache(maxsize=4096)
def split_path(path: str) -> tuple[str, tuple[str, ...]]:
    """Split a field path into (root, parts): root is 'ingest', 'source' or 'ctx'."""
    if not path:
        raise illegal_argument("path cannot be null nor empty")
    parts = tuple(path.split("."))
    if parts[0] == INGEST_PREFIX:
        if len(parts) == 1:
            raise illegal_argument(f"path [{path}] is not valid")
        return "ingest", parts[1:]
    if parts[0] == SOURCE_PREFIX and len(parts) > 1:
        return "source", parts[1:]
    if any(p == "" for p in parts):
        raise illegal_argument(f"path [{path}] is not valid")
    return "ctx", parts


def _index(key: str, lst: list[Any], path: str) -> int:
    try:
        i = int(key)
    except ValueError:
        raise illegal_argument(
            f"[{key}] is not an integer, cannot be used as an index as part of path [{path}]"
        ) from None
    if i < 0 or i >= len(lst):
        raise illegal_argument(
            f"[{i}] is out of bounds for array with length [{len(lst)}] as part of path [{path}]"
        )
    return i


class IngestDocument:
    """One document going through pipelines: ``source``, ``meta`` and ``ingest`` maps."""

    __slots__ = (
        "executor",
        "flexible",
        "ingest",
        "meta",
        "pipeline_stack",
        "rerouted",
        "source",
        "terminated",
    )

    def __init__(
        self,
        source: dict[str, Any],
        meta: dict[str, Any] | None = None,
        *,
        timestamp: str | None = None,
    ) -> None:
        self.source = source
        self.meta: dict[str, Any] = meta if meta is not None else {}
        self.ingest: dict[str, Any] = {"timestamp": timestamp or now_iso()}
        self.pipeline_stack: list[str] = []
        self.flexible = False
        self.terminated = False
        self.rerouted = False
        self.executor: Any = None

    # ------------------------------------------------------------------ roots
    def _root(self, kind: str, parts: tuple[str, ...]) -> dict[str, Any]:
        if kind == "ingest":
            return self.ingest
        if kind == "source":
            return self.source
        return self.meta if parts[0] in METADATA_KEYS else self.source

    # ------------------------------------------------------------------- read
    def get(self, path: str, *, ignore_missing: bool = False) -> Any:
        """Value at ``path``; a missing path raises ES's error unless ignore_missing."""
        kind, parts = split_path(path)
        root = self._root(kind, parts)
        if self.flexible and kind != "ingest":
            return self._flex_get(root, parts, path, ignore_missing)
        ctx: Any = root
        for key in parts:
            if isinstance(ctx, dict):
                if key not in ctx:
                    if ignore_missing:
                        return None
                    raise illegal_argument(f"field [{key}] not present as part of path [{path}]")
                ctx = ctx[key]
            elif isinstance(ctx, list):
                try:
                    ctx = ctx[_index(key, ctx, path)]
                except Exception:
                    if ignore_missing:
                        return None
                    raise
            elif ignore_missing:
                return None
            elif ctx is None:
                raise illegal_argument(f"cannot resolve [{key}] from null as part of path [{path}]")
            else:
                raise illegal_argument(
                    f"cannot resolve [{key}] from object of type [{java_type_name(ctx)}] "
                    f"as part of path [{path}]"
                )
        return ctx

    def has(self, path: str, *, fail_out_of_range: bool = False) -> bool:
        kind, parts = split_path(path)
        root = self._root(kind, parts)
        if self.flexible and kind != "ingest":
            return self._flex_find(root, parts) is not None
        ctx: Any = root
        for key in parts:
            if isinstance(ctx, dict):
                if key not in ctx:
                    return False
                ctx = ctx[key]
            elif isinstance(ctx, list):
                try:
                    i = int(key)
                except ValueError:
                    return False
                if i < 0 or i >= len(ctx):
                    if fail_out_of_range:
                        _index(key, ctx, path)
                    return False
                ctx = ctx[i]
            else:
                return False
        return True

    # ------------------------------------------------------------------ write
    def set(self, path: str, value: Any) -> None:
        self._write(path, value, append=False)

    def append(self, path: str, value: Any, *, allow_duplicates: bool = True) -> None:
        self._write(path, value, append=True, allow_duplicates=allow_duplicates)

    def _write(self, path: str, value: Any, *, append: bool, allow_duplicates: bool = True) -> None:
        kind, parts = split_path(path)
        root = self._root(kind, parts)
        if self.flexible and kind != "ingest":
            parent, leaf = self._flex_parent(root, parts)
        else:
            parent, leaf = self._parent(root, parts, path)
        if isinstance(parent, dict):
            if append:
                if leaf in parent:
                    parent[leaf] = appended_value(parent[leaf], value, allow_duplicates)
                else:
                    parent[leaf] = new_list_value(value, allow_duplicates)
            else:
                parent[leaf] = value
        elif isinstance(parent, list):
            i = _index(leaf, parent, path)
            if append:
                parent[i] = appended_value(parent[i], value, allow_duplicates)
            else:
                parent[i] = value
        else:
            raise illegal_argument(
                f"cannot set [{leaf}] with parent object of type [{java_type_name(parent)}] "
                f"as part of path [{path}]"
            )

    def _parent(self, root: dict[str, Any], parts: tuple[str, ...], path: str) -> tuple[Any, str]:
        ctx: Any = root
        for key in parts[:-1]:
            if isinstance(ctx, dict):
                nxt = ctx.get(key)
                if nxt is None:
                    nxt = {}
                    ctx[key] = nxt
                ctx = nxt
            elif isinstance(ctx, list):
                ctx = ctx[_index(key, ctx, path)]
            else:
                raise illegal_argument(
                    f"cannot set [{key}] with parent object of type [{java_type_name(ctx)}] "
                    f"as part of path [{path}]"
                )
        return ctx, parts[-1]

    def remove(self, path: str, *, ignore_missing: bool = False) -> None:
        kind, parts = split_path(path)
        root = self._root(kind, parts)
        if self.flexible and kind != "ingest":
            found = self._flex_find(root, parts)
            if found is None:
                if not ignore_missing:
                    raise illegal_argument(f"field [{path}] not present as part of path [{path}]")
                return
            container, key = found
            del container[key]
            return
        try:
            parent = _walk(root, parts[:-1], path)
        except IngestError:
            if ignore_missing:
                return
            raise
        leaf = parts[-1]
        if isinstance(parent, dict):
            if leaf in parent:
                del parent[leaf]
            elif not ignore_missing:
                raise illegal_argument(f"field [{leaf}] not present as part of path [{path}]")
        elif isinstance(parent, list):
            try:
                del parent[_index(leaf, parent, path)]
            except Exception:
                if not ignore_missing:
                    raise
        elif not ignore_missing:
            if parent is None:
                raise illegal_argument(f"cannot remove [{leaf}] from null as part of path [{path}]")
            raise illegal_argument(
                f"cannot remove [{leaf}] from object of type [{java_type_name(parent)}] "
                f"as part of path [{path}]"
            )

    # ------------------------------------------------------ flexible access
    def _flex_find(self, root: dict[str, Any], parts: tuple[str, ...]) -> tuple[Any, str] | None:
        """Find (container, key) of an existing value for any dotted split of parts."""

        def search(ctx: Any, i: int) -> tuple[Any, str] | None:
            if not isinstance(ctx, dict):
                return None
            for j in range(len(parts), i, -1):
                key = ".".join(parts[i:j])
                if key in ctx:
                    if j == len(parts):
                        return ctx, key
                    hit = search(ctx[key], j)
                    if hit is not None:
                        return hit
            return None

        return search(root, 0)

    def _flex_get(
        self, root: dict[str, Any], parts: tuple[str, ...], path: str, ignore_missing: bool
    ) -> Any:
        found = self._flex_find(root, parts)
        if found is None:
            if ignore_missing:
                return None
            raise illegal_argument(f"field [{path}] not present as part of path [{path}]")
        container, key = found
        return container[key]

    def _flex_parent(self, root: dict[str, Any], parts: tuple[str, ...]) -> tuple[Any, str]:
        found = self._flex_find(root, parts)
        if found is not None:
            return found
        # Deepest existing map along any split; the rest becomes one literal dotted key.
        best: tuple[Any, int] = (root, 0)

        def search(ctx: dict[str, Any], i: int) -> None:
            nonlocal best
            if i > best[1]:
                best = (ctx, i)
            for j in range(len(parts) - 1, i, -1):
                key = ".".join(parts[i:j])
                if isinstance(ctx.get(key), dict):
                    search(ctx[key], j)

        search(root, 0)
        ctx, i = best
        return ctx, ".".join(parts[i:])

    # --------------------------------------------------------------- helpers
    def render_context(self) -> dict[str, Any]:
        """The model mustache templates see: source, metadata and ``_ingest``."""
        model: dict[str, Any] = dict(self.source)
        model.update(self.meta)
        model[INGEST_PREFIX] = self.ingest
        model[SOURCE_PREFIX] = self.source
        return model

    def ctx_map(self) -> CtxMap:
        return CtxMap(self)

    def snapshot(self) -> IngestDocument:
        clone = IngestDocument(deep_copy(self.source), dict(self.meta), timestamp="")
        clone.ingest = deep_copy(self.ingest)
        clone.flexible = self.flexible
        return clone

    def to_es(self) -> dict[str, Any]:
        """The ``doc`` object of a simulate response (``_ingest`` holds all ingest metadata)."""
        out: dict[str, Any] = {}
        for key in ("_index", "_id", "_version", "_routing", "_version_type"):
            if key in self.meta and self.meta[key] is not None:
                out[key] = self.meta[key]
        out["_source"] = deep_copy(self.source)
        out["_ingest"] = deep_copy(self.ingest)
        return out


def _walk(root: Any, parts: tuple[str, ...], path: str) -> Any:
    ctx = root
    for key in parts:
        if isinstance(ctx, dict):
            if key not in ctx:
                raise illegal_argument(f"field [{key}] not present as part of path [{path}]")
            ctx = ctx[key]
        elif isinstance(ctx, list):
            ctx = ctx[_index(key, ctx, path)]
        else:
            raise illegal_argument(
                f"cannot resolve [{key}] from object of type [{java_type_name(ctx)}] "
                f"as part of path [{path}]"
            )
    return ctx


def new_list_value(value: Any, allow_duplicates: bool) -> list[Any]:
    values = list(value) if isinstance(value, list) else [value]
    if allow_duplicates:
        return values
    out: list[Any] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def appended_value(existing: Any, value: Any, allow_duplicates: bool) -> Any:
    values = value if isinstance(value, list) else [value]
    if allow_duplicates:
        base = existing if isinstance(existing, list) else [existing]
        base.extend(values)
        return base
    base_view = existing if isinstance(existing, list) else [existing]
    new = [v for i, v in enumerate(values) if v not in base_view and v not in values[:i]]
    if not new:
        return existing  # nothing added: a scalar stays a scalar
    base = existing if isinstance(existing, list) else [existing]
    base.extend(new)
    return base


def now_iso() -> str:
    """Current time as ES renders ``_ingest.timestamp``."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond:06d}Z"


class MetadataError(ValueError):
    """A write ES's ``IngestDocMetadata`` refuses (an ``IllegalArgumentException`` in scripts)."""


_STRING = "java.lang.String"
_NUMBER = "java.lang.Number"
# ES's IngestDocMetadata.PROPERTIES: key -> (Java type, nullable, writable)
_META_PROPERTIES: dict[str, tuple[str, bool, bool]] = {
    "_index": (_STRING, True, True),
    "_id": (_STRING, True, True),
    "_routing": (_STRING, True, True),
    "_version_type": (_STRING, True, True),
    "_version": (_NUMBER, False, True),
    "_type": (_STRING, True, False),
    "_if_seq_no": (_NUMBER, True, True),
    "_if_primary_term": (_NUMBER, True, True),
    "_dynamic_templates": ("java.util.Map", True, True),
}
VERSION_TYPES = ("internal", "external", "external_gte")
_VERSION_TYPE_NAMES = (*VERSION_TYPES, "external_gt")  # VersionType.fromString's spellings


def check_metadata_update(key: str, value: Any) -> None:
    """``Metadata.FieldProperty.check(UPDATE, …)``: ES's messages for a bad metadata write."""
    java_type, nullable, writable = _META_PROPERTIES[key]
    if not writable:
        raise MetadataError(f"{key} cannot be updated")
    if value is None:
        if not nullable:
            raise MetadataError(f"{key} cannot be null")
        return
    if not _assignable(value, java_type):
        raise MetadataError(
            f"{key} [{_java_str(value)}] is wrong type, expected assignable to [{java_type}], "
            f"not [{java_type_name(value)}]"
        )
    if java_type == _NUMBER and isinstance(value, float) and value != int(value):
        raise MetadataError(
            f"{key} may only be set to an int or a long but was [{_java_str(value)}] with type "
            f"[{java_type_name(value)}]"
        )
    if key == "_version_type" and value not in _VERSION_TYPE_NAMES:
        raise MetadataError(
            f"{key} must be a null or one of [{', '.join(VERSION_TYPES)}] but was [{value}] "
            f"with type [{java_type_name(value)}]"
        )


def check_metadata_remove(key: str) -> None:
    _, nullable, writable = _META_PROPERTIES[key]
    if not (nullable and writable):
        raise MetadataError(f"{key} cannot be removed")


def _assignable(value: Any, java_type: str) -> bool:
    if java_type == _STRING:
        return isinstance(value, str)
    if java_type == _NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, dict)


def _java_str(value: Any) -> str:
    from .values import java_str

    return java_str(value)


def _version_value(value: Any) -> Any:
    """Simulate keeps ES's rendering of ``_version`` ("-3"); scripts see the long."""
    if isinstance(value, str) and value.lstrip("-").isdigit():
        from .values import JLong

        return JLong(int(value))
    return value


class CtxMap(MutableMapping[str, Any]):
    """``ctx`` for scripts: the source with the metadata fields on top."""

    __slots__ = ("_doc",)

    def __init__(self, doc: IngestDocument) -> None:
        self._doc = doc

    def _target(self, key: str) -> dict[str, Any]:
        return self._doc.meta if key in METADATA_KEYS else self._doc.source

    @property
    def document(self) -> IngestDocument:
        return self._doc

    def __getitem__(self, key: str) -> Any:
        if key == INGEST_PREFIX and key not in self._doc.source:
            return self._doc.ingest
        value = self._target(key)[key]
        return _version_value(value) if key == "_version" else value

    def get(self, key: str, default: Any = None) -> Any:
        """``Mapping.get`` without raising and catching ``KeyError`` for missing keys."""
        doc = self._doc
        if key in METADATA_KEYS:
            value = doc.meta.get(key, default)
            return _version_value(value) if key == "_version" else value
        if key == INGEST_PREFIX and key not in doc.source:
            return doc.ingest
        return doc.source.get(key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        if key in _META_PROPERTIES:
            check_metadata_update(key, value)
        self._target(key)[key] = value

    def __delitem__(self, key: str) -> None:
        if key in _META_PROPERTIES:
            check_metadata_remove(key)
        del self._target(key)[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key in METADATA_KEYS:
            return key in self._doc.meta
        return key in self._doc.source

    def __iter__(self) -> Iterator[str]:
        yield from self._doc.source
        yield from (k for k in self._doc.meta if k not in self._doc.source)

    def __len__(self) -> int:
        return len(self._doc.source) + len(self._doc.meta)
