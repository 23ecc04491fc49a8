"""The kv processor: split a string into key/value pairs with Java regex splitters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument
from ..mustache import compile_template
from .base import Config, Factory, Processor, render_field
from .javaregex import compile_java_regex
from .parsing_grok import string_field

_STRIP_BRACKETS = r"(^[\(\[<\"'])|([\]\)>\"']$)"


def _compile(pattern: str) -> Any:
    try:
        return compile_java_regex(pattern)
    except ValueError as err:
        raise IngestError("pattern_syntax_exception", f"{err} near index 0\n{pattern}") from None


def java_split(pattern: Any, value: str, limit: int) -> list[str]:
    """``Pattern.split(value, limit)`` for limit 0 (drop trailing empties) or a positive limit."""
    parts: list[str] = []
    pos = 0
    for m in pattern.finditer(value):
        if limit > 0 and len(parts) == limit - 1:
            break
        if m.end() == 0:
            continue  # a zero-width match at the start never yields a leading empty string
        parts.append(value[pos : m.start()])
        pos = m.end()
    if pos == 0 and not parts:
        return [value]
    parts.append(value[pos:])
    if limit == 0:
        while parts and parts[-1] == "":
            parts.pop()
    return parts


def _splitter(split: str, limit: int) -> Callable[[str], list[str]]:
    def apply(value: str) -> list[str]:
        return java_split(_compile(split), value, limit)

    return apply


def _trimmer(chars: str | None) -> Callable[[str], str]:
    if chars is None:
        return lambda value: value
    source = f"(^([{chars}]+))|([{chars}]+$)"

    def apply(value: str) -> str:
        return str(_compile(source).sub("", value))

    return apply


class KeyValue(Processor):
    type = "kv"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        target = cfg.string("target_field", None)
        self.target = compile_template(target) if target else None
        self.field_split: str = cfg.string("field_split")
        self.value_split: str = cfg.string("value_split")
        self.trim_key = _trimmer(cfg.string("trim_key", None))
        self.trim_value = _trimmer(cfg.string("trim_value", None))
        self.prefix: str = cfg.string("prefix", None) or ""
        self.strip_brackets = cfg.boolean("strip_brackets", False)
        include = cfg.string_list("include_keys", None)
        exclude = cfg.string_list("exclude_keys", None)
        self.include = None if include is None else frozenset(include)
        self.exclude = frozenset(exclude or ())
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self.split_fields = _splitter(self.field_split, 0)
        self.split_value = _splitter(self.value_split, 2)

    def _keep(self, key: str) -> bool:
        return (self.include is None or key in self.include) and key not in self.exclude

    def _path_prefix(self, doc: IngestDocument) -> str:
        target = render_field(self.target, doc) if self.target is not None else ""
        return f"{target}.{self.prefix}" if target else self.prefix

    def run(self, doc: IngestDocument) -> None:
        prefix = self._path_prefix(doc)
        path = render_field(self.field, doc)
        if not path or not doc.has(path, fail_out_of_range=True):
            if self.ignore_missing:
                return
            if not path:
                raise illegal_argument("field path cannot be null nor empty")
            raise illegal_argument(f"field [{path}] doesn't exist")
        value = string_field(doc, path, self.ignore_missing)
        if value is None:
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{path}] is null, cannot extract key-value pairs. ")
        for part in self.split_fields(value):
            kv = self.split_value(part)
            if len(kv) != 2:
                raise illegal_argument(
                    f"field [{path}] does not contain value_split [{self.value_split}]"
                )
            key = self.trim_key(kv[0])
            if self._keep(key):
                raw = _compile(_STRIP_BRACKETS).sub("", kv[1]) if self.strip_brackets else kv[1]
                _append(doc, prefix + key, self.trim_value(raw))


def _append(doc: IngestDocument, path: str, value: str) -> None:
    if doc.has(path):
        doc.append(path, value)
    else:
        doc.set(path, value)


FACTORIES: dict[str, Factory] = {"kv": KeyValue}
