"""The dissect processor: ES's delimiter-walking dissect parser with all key modifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument
from ..fieldpath import FieldPath
from .base import Config, Factory, Processor, write_field
from .parsing_grok import string_field

# Java's ``.`` without DOTALL stops at any of its line terminators, not only ``\n``.
_LEADING = re.compile(r"^([^\n\r\u0085\u2028\u2029]*?)%\{")
# A delimiter runs up to the next ``%{`` (at least one character), else to the end.
_KEY_DELIMITER = re.compile(r"%\{([^}]*?)}(.+?(?=%\{)|.*$)", re.S)
_LEFT_MODIFIER = re.compile(r"([+*&?])(.*?)(->)?$", re.S)
_RIGHT_PADDING = re.compile(r"^(.*?)(->)?$", re.S)
_APPEND_ORDER = re.compile(r"[+](.*?)(/)([0-9]+)(->)?$", re.S)
_MODIFIER = re.compile(r"[/+*&?]")

NONE, APPEND_ORDER, APPEND, FIELD_NAME, FIELD_VALUE, SKIP = ("", "/", "+", "*", "&", "?")


class DissectError(Exception):
    """A pattern ES's DissectParser refuses (``pattern_parse`` / ``key_parse``)."""

    def __init__(self, type: str, message: str) -> None:
        super().__init__(message)
        self.type = type


@dataclass(slots=True)
class Key:
    """One ``%{...}`` of the pattern: its name and modifiers."""

    name: str
    modifier: str
    skip: bool
    right_padding: bool = False
    order: int = 0


def _modifier(key: str) -> str:
    found = NONE
    for count, m in enumerate(_MODIFIER.finditer(key), 1):
        prior, found = found, m.group()
        if count > 1 and not (prior == APPEND and found == APPEND_ORDER):
            raise DissectError(
                "key_parse",
                f"Unable to parse key: {key} Reason: multiple modifiers are not allowed.",
            )
    return found


def parse_key(key: str) -> Key:
    modifier = _modifier(key)
    name: str | None = None
    padding, order, skip = False, 0, not key
    if modifier == NONE:
        m = _RIGHT_PADDING.search(key)
        name, padding = (m.group(1), m.group(2) is not None) if m else ("", False)
        skip = name == ""
    elif modifier == APPEND_ORDER:
        m = _APPEND_ORDER.search(key)
        if m is not None:
            name, order, padding = m.group(1), _java_short(m.group(3)), m.group(4) is not None
    else:
        m = _LEFT_MODIFIER.search(key)
        if m is not None:
            name, padding = m.group(2), m.group(3) is not None
        skip = modifier == SKIP
    if name is None or (name == "" and not skip):
        raise DissectError(
            "key_parse", f"Unable to parse key: {key} Reason: The key name could not be determined"
        )
    return Key(name, modifier, skip, padding, order)


def _java_short(digits: str) -> int:
    """``Short.valueOf``: ES reads the ``/n`` append position as a Java short."""
    value = int(digits)
    if value > 2**31 - 1:
        raise DissectError("number_format_exception", f'For input string: "{digits}"')
    if value > 2**15 - 1:
        raise DissectError(
            "number_format_exception", f'Value out of range. Value:"{digits}" Radix:10'
        )
    return value


@dataclass(slots=True)
class _Results:
    separator: str
    matches: int = 0
    simple: dict[str, str] = field(default_factory=dict)
    references: dict[str, list[str | None]] = field(default_factory=dict)
    appends: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    implicit: int = -1000

    def add(self, key: Key, value: str) -> None:
        self.matches += 1
        if key.skip:
            return
        if key.modifier == NONE:
            self.simple[key.name] = value
        elif key.modifier in (APPEND, APPEND_ORDER):
            order = self.implicit if key.modifier == APPEND else key.order
            if key.modifier == APPEND:
                self.implicit += 1
            values = self.appends.setdefault(key.name, [])
            values.append((order, len(values), value))
        else:
            ref = self.references.setdefault(key.name, [None, None])
            ref[0 if key.modifier == FIELD_NAME else 1] = value

    def results(self) -> dict[str, str | None]:
        out: dict[str, str | None] = dict(self.simple)
        for name_value in self.references.values():
            out[str(name_value[0])] = name_value[1]
        for name, values in self.appends.items():
            out[name] = self.separator.join(v for _, _, v in sorted(values))
        return out


class DissectParser:
    """Compiled dissect pattern."""

    def __init__(self, pattern: str, append_separator: str = "") -> None:
        self.pattern = pattern
        self.separator = append_separator
        m = _LEADING.search(pattern)
        self.leading = m.group(1) if m else ""
        pairs = [
            (parse_key(km.group(1)), km.group(2))
            for km in _KEY_DELIMITER.finditer(pattern, len(self.leading))
        ]
        self.max_results = len({k.name for k, _ in pairs if not k.skip})
        if not pairs or self.max_results == 0:
            self._fail("Unable to find any keys or delimiters.")
        appended = {k.name for k, _ in pairs if k.modifier in (APPEND, APPEND_ORDER)}
        for key, _ in pairs:
            if key.modifier == NONE and key.name in appended:
                key.modifier = APPEND
        groups: dict[str, list[str]] = {}
        for key, _ in pairs:
            if key.modifier in (FIELD_NAME, FIELD_VALUE):
                groups.setdefault(key.name, []).append(key.name)
        for names in groups.values():
            if len(names) != 2:
                self._fail(
                    f"Found invalid key/reference associations: '{','.join(names)}' "
                    "Please ensure each '*<key>' is matched with a matching '&<key>"
                )
        self.pairs = pairs

    def _fail(self, reason: str) -> None:
        raise DissectError(
            "pattern_parse", f"Unable to parse pattern: {self.pattern} Reason: {reason}"
        )

    def parse(self, text: str) -> dict[str, str | None]:
        found = _Results(self.separator)
        leading = self.leading
        if _utf16_len(text) > _utf16_len(leading) and text.startswith(leading):
            self._walk(_utf8(text), found)
        results = found.results()
        if found.matches != len(self.pairs) or len(results) != self.max_results:
            raise IngestError(
                "find_match",
                f"Unable to find match for dissect pattern: {self.pattern} against source: {text}",
            )
        return results

    def _walk(self, data: bytes, found: _Results) -> None:
        """ES's walk over the UTF-8 bytes of the input, delimiter by delimiter.

        Like ES, it starts at the leading text's length in UTF-16 units (a byte offset only
        when that text is ASCII), and the value after a delimiter may be empty.
        """
        pairs = [(key, _utf8(delimiter)) for key, delimiter in self.pairs]
        index = 0
        key, delimiter = pairs[0]
        i = start = _utf16_len(self.leading)
        n = len(data)
        while i < n:
            if not delimiter or not data.startswith(delimiter, i):
                i += 1
                continue
            found.add(key, _decode(data[start:i]))
            i += len(delimiter)
            while i < n and data.startswith(delimiter, i):  # consecutive delimiters
                i += len(delimiter)
                if key.right_padding:
                    continue
                if index + 1 == len(pairs):
                    break
                index += 1
                key = pairs[index][0]  # an empty value; the delimiter stays the same
                found.add(key, "")
            if index + 1 == len(pairs):
                break
            index += 1
            key, delimiter = pairs[index]
            start = i
        if found.matches != len(self.pairs) and not delimiter:
            found.add(key, _decode(data[start:]))


def _utf8(text: str) -> bytes:
    """Java's ``getBytes(UTF_8)``: an unpaired surrogate becomes ``?``."""
    return text.encode("utf-8", errors="replace")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _utf16_len(text: str) -> int:
    """``String.length()`` in Java: UTF-16 code units."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class Dissect(Processor):
    type = "dissect"

    def __init__(self, cfg: Config) -> None:
        self.field: str = cfg.string("field")
        pattern: str = cfg.string("pattern")
        separator: str = cfg.string("append_separator", "")
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        try:
            self.parser = DissectParser(pattern, separator)
        except DissectError as err:
            raise _creation_error(cfg, err) from None
        static = (k.name for k, _ in self.parser.pairs if k.modifier not in (FIELD_NAME, SKIP))
        self._paths = {name: FieldPath.of(name) for name in static}  # not the data-named keys

    def run(self, doc: IngestDocument) -> None:
        value = string_field(doc, self.field, self.ignore_missing)
        if value is None:
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{self.field}] is null, cannot process it.")
        for key, result in self.parser.parse(value).items():
            write_field(doc, key, self._paths.get(key), result)


_JAVA_CLASSES = {
    "pattern_parse": "org.elasticsearch.dissect.DissectException$PatternParse",
    "key_parse": "org.elasticsearch.dissect.DissectException$KeyParse",
    "number_format_exception": "java.lang.NumberFormatException",
}


def _creation_error(cfg: Config, err: DissectError) -> IngestError:
    """ES wraps the parser's plain exception in an ElasticsearchException with headers."""
    java_class = _JAVA_CLASSES[err.type]
    metadata = {"processor_type": cfg.type}
    if cfg.tag is not None:
        metadata["processor_tag"] = cfg.tag
    return IngestError(
        "exception",
        f"{java_class}: {err}",
        metadata=metadata,
        caused_by=IngestError(err.type, str(err)),
    )


FACTORIES: dict[str, Factory] = {"dissect": Dissect}
