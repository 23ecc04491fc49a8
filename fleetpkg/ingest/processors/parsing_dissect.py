"""The dissect processor: ES's delimiter-walking dissect parser with all key modifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument
from ..fieldpath import FieldPath
from .base import Config, Factory, Processor, write_field
from .parsing_grok import string_field

_LEADING = re.compile(r"^(.*?)%")
_KEY_DELIMITER = re.compile(r"%\{([^}]*?)}([^%]*)", re.S)
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
            name, order, padding = m.group(1), int(m.group(3)), m.group(4) is not None
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
        if len(text) > len(self.leading) and text.startswith(self.leading):
            self._walk(text, found)
        results = found.results()
        if found.matches != len(self.pairs) or len(results) != self.max_results:
            raise IngestError(
                "find_match",
                f"Unable to find match for dissect pattern: {self.pattern} against source: {text}",
            )
        return results

    def _walk(self, text: str, found: _Results) -> None:
        pairs = iter(self.pairs)
        key, delimiter = next(pairs)
        i = start = len(self.leading)
        n = len(text)
        while i < n:
            i = text.find(delimiter, i) if delimiter else -1  # ES steps one char at a time
            if i < 0:
                break
            found.add(key, text[start:i])
            i += len(delimiter)
            while i < n and text.startswith(delimiter, i):  # consecutive delimiters
                i += len(delimiter)
                if not key.right_padding:
                    nxt = next(pairs, None)
                    if nxt is None:
                        break
                    key = nxt[0]
                    found.add(key, "")
            nxt = next(pairs, None)
            if nxt is None:
                break
            key, delimiter = nxt
            start = i
            i += 1  # ES's loop steps past the first character of the next value
        if found.matches != len(self.pairs) and not delimiter:
            found.add(key, text[start:])


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


def _creation_error(cfg: Config, err: DissectError) -> IngestError:
    """ES wraps the parser's plain exception in an ElasticsearchException with headers."""
    java_class = "PatternParse" if err.type == "pattern_parse" else "KeyParse"
    metadata = {"processor_type": cfg.type}
    if cfg.tag is not None:
        metadata["processor_tag"] = cfg.tag
    return IngestError(
        "exception",
        f"org.elasticsearch.dissect.DissectException${java_class}: {err}",
        metadata=metadata,
        caused_by=IngestError(err.type, str(err)),
    )


FACTORIES: dict[str, Factory] = {"dissect": Dissect}
