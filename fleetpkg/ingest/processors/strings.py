"""Processors of the strings family: case, trim, gsub, split, join, sort, html_strip, ..."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument, java_type_name
from ..fieldpath import FieldPath
from ..values import JLong, java_str
from .base import Config, Factory, Processor, read_field, render_field, write_field
from .html_strip import strip_html
from .javaregex import compile_java_regex, java_replacement


class StringProcessor(Processor):
    """ES's AbstractStringProcessor: a string (or list of strings) field mapped in place."""

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.target = cfg.template("target_field", None)
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self._path = FieldPath.of(self.field)
        self._target_path = FieldPath.of(self.target) if self.target is not None else self._path

    def process(self, value: str) -> Any:
        raise NotImplementedError

    def run(self, doc: IngestDocument) -> None:
        value = read_field(doc, self.field, self._path, self.ignore_missing)
        if value is None:
            if self.ignore_missing:
                return
            field = render_field(self.field, doc)
            raise illegal_argument(f"field [{field}] is null, cannot process it.")
        result = self.process(value) if isinstance(value, str) else self._list(doc, value)
        target = self.target if self.target is not None else self.field
        write_field(doc, target, self._target_path, result)

    def _list(self, doc: IngestDocument, value: Any) -> Any:
        field = render_field(self.field, doc)
        if isinstance(value, list):
            result: Any = []
            for item in value:
                if not isinstance(item, str):
                    raise illegal_argument(
                        f"value [{java_str(item)}] of type [{java_type_name(item)}] in list field "
                        f"[{field}] cannot be cast to [java.lang.String]"
                    )
                result.append(self.process(item))
            return result
        raise illegal_argument(
            f"field [{field}] of type [{java_type_name(value)}] cannot be cast to "
            "[java.lang.String]"
        )


def _simple(name: str, fn: Callable[[str], Any]) -> type[StringProcessor]:
    def process(self: StringProcessor, value: str) -> Any:
        return fn(value)

    return type(
        name.title().replace("_", ""), (StringProcessor,), {"type": name, "process": process}
    )


def _java_trim(value: str) -> str:
    """``String.trim``: strips every char <= U+0020 at both ends."""
    start, end = 0, len(value)
    while start < end and value[start] <= " ":
        start += 1
    while end > start and value[end - 1] <= " ":
        end -= 1
    return value[start:end]


_URL_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")


def url_decode(value: str) -> str:
    """``URLDecoder.decode(value, UTF-8)``: '+' is a space, bad escapes fail."""
    bad = _URL_ESCAPE.search(value)
    if bad is not None:
        tail = value[bad.start() : bad.start() + 3]
        if len(tail) < 3:
            raise illegal_argument("URLDecoder: Incomplete trailing escape (%) pattern")
        raise illegal_argument(
            f"URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: "
            f'"{tail[1:]}"'
        )
    return urllib.parse.unquote_plus(value, errors="replace")


_BYTES = re.compile(r"(?i)\s*(-?[0-9.]+)\s*(b|k|kb|m|mb|g|gb|t|tb|p|pb)?\s*")
_UNITS = {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def parse_bytes(value: str) -> int:
    """``ByteSizeValue.parseBytesSizeValue`` for the ``bytes`` processor."""
    m = _BYTES.fullmatch(value)
    if m is None or (m.group(2) is None and m.group(1) not in ("0", "-1")):
        raise IngestError(
            "illegal_argument_exception",
            f"failed to parse setting [Ingest Field] with value [{value}] as a size in bytes: "
            "unit is missing or unrecognized",
        )
    unit = _UNITS[(m.group(2) or "b")[0].lower()]
    number = m.group(1)
    try:
        if "." in number:
            return JLong(int(float(number) * unit))
        return JLong(int(number) * unit)
    except ValueError:
        raise illegal_argument(f"failed to parse [{value}]") from None


Lowercase = _simple("lowercase", str.lower)
Uppercase = _simple("uppercase", str.upper)
Trim = _simple("trim", _java_trim)
HtmlStrip = _simple("html_strip", strip_html)
UrlDecode = _simple("urldecode", url_decode)
Bytes = _simple("bytes", parse_bytes)


class Gsub(StringProcessor):
    type = "gsub"

    def __init__(self, cfg: Config) -> None:
        super().__init__(cfg)
        pattern = cfg.string("pattern")
        try:
            self.regex = compile_java_regex(pattern)
        except ValueError as e:
            raise cfg.error("pattern", f"Invalid regex pattern. {e}") from None
        self.replacement = java_replacement(cfg.string("replacement"))

    def process(self, value: str) -> Any:
        return self.regex.sub(self.replacement, value)


class Split(Processor):
    type = "split"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.target = cfg.template("target_field", None)
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self.separator = compile_java_regex(cfg.string("separator"))
        self.preserve_trailing = cfg.boolean("preserve_trailing", False)

    def run(self, doc: IngestDocument) -> None:
        field = render_field(self.field, doc)
        value = doc.get(field, ignore_missing=self.ignore_missing)
        if value is None:
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{field}] is null, cannot split.")
        if not isinstance(value, str):
            raise illegal_argument(
                f"field [{field}] of type [{java_type_name(value)}] cannot be cast to "
                "[java.lang.String]"
            )
        parts = java_split(self.separator, value, keep_trailing=self.preserve_trailing)
        target = render_field(self.target, doc) if self.target is not None else field
        doc.set(target, parts)


def java_split(regex: re.Pattern[str], value: str, *, keep_trailing: bool = False) -> list[str]:
    """``String.split(regex)`` (limit 0, or -1 when trailing empties are kept)."""
    if value == "":
        return [""]
    parts: list[str] = []
    pos = 0
    for m in regex.finditer(value):
        if m.end() == 0:
            continue  # a zero-width match at the start never yields a leading empty string
        if m.start() == m.end() and m.start() >= len(value):
            break
        parts.append(value[pos : m.start()])
        pos = m.end()
    parts.append(value[pos:])
    if not keep_trailing:
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        if parts == [""] and value:
            return []
    return parts


def _list_field(doc: IngestDocument, field: str, verb: str) -> list[Any]:
    """The list at ``field``, or ES's error for a missing/null/non-list value."""
    value = doc.get(field)
    if value is None:
        raise illegal_argument(f"field [{field}] is null, cannot {verb}.")
    if not isinstance(value, list):
        raise illegal_argument(
            f"field [{field}] of type [{java_type_name(value)}] cannot be cast to [java.util.List]"
        )
    return value


class Join(Processor):
    type = "join"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.separator = cfg.string("separator")
        self.target = cfg.template("target_field", None)

    def run(self, doc: IngestDocument) -> None:
        field = render_field(self.field, doc)
        value = _list_field(doc, field, "join")
        joined = self.separator.join(java_str(v) for v in value)
        target = render_field(self.target, doc) if self.target is not None else field
        doc.set(target, joined)


class Sort(Processor):
    type = "sort"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.target = cfg.template("target_field", None)
        order = cfg.string("order", "asc")
        if order.lower() not in ("asc", "desc"):
            raise cfg.error(
                "order", f"Sort direction [{order}] not recognized. Valid values are: [asc, desc]"
            )
        self.descending = order.lower() == "desc"

    def run(self, doc: IngestDocument) -> None:
        field = render_field(self.field, doc)
        value = _list_field(doc, field, "sort")
        try:
            result = sorted(value, key=_sort_key, reverse=self.descending)
        except TypeError:
            raise IngestError(
                "class_cast_exception", "list elements of different types cannot be compared"
            ) from None
        target = render_field(self.target, doc) if self.target is not None else field
        doc.set(target, result)


def _sort_key(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16-be")  # Java compares UTF-16 code units
    if isinstance(value, dict | list) or value is None:
        raise TypeError
    return value


FACTORIES: dict[str, Factory] = {
    "lowercase": Lowercase,
    "uppercase": Uppercase,
    "trim": Trim,
    "html_strip": HtmlStrip,
    "urldecode": UrlDecode,
    "bytes": Bytes,
    "gsub": Gsub,
    "split": Split,
    "join": Join,
    "sort": Sort,
}
