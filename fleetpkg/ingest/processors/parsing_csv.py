"""The csv processor: ES's single-line CSV state machine (quotes, trim, empty_value)."""

from __future__ import annotations

from typing import Any

from ..document import IngestDocument
from ..errors import illegal_argument
from .base import Config, Factory, Processor
from .parsing_grok import string_field

_START, _UNQUOTED, _QUOTED, _QUOTED_END = range(4)
_UNSET: Any = object()


class _Line:
    """One parse of one line; fields are written to the document as they complete."""

    def __init__(self, proc: Csv, doc: IngestDocument, line: str) -> None:
        self.p = proc
        self.doc = doc
        self.line = line
        self.builder = ""
        self.state = _START
        self.header = 0
        self.start = 0
        self.i = 0

    def run(self) -> None:
        n = len(self.line)
        handlers = {
            _START: self._start,
            _UNQUOTED: self._unquoted,
            _QUOTED: self._quoted,
            _QUOTED_END: self._quoted_end,
        }
        while self.i < n:
            if handlers[self.state]():
                return
            self.i += 1
        if self.state == _UNQUOTED:
            self._set(n)
        elif self.state == _QUOTED_END:
            self._set(n - 1)
        elif self.state == _QUOTED:
            raise illegal_argument("Unmatched quote")

    def _start(self) -> bool:
        while self.i < len(self.line):
            c = self.line[self.i]
            if c == self.p.quote:
                self.state, self.builder, self.start = _QUOTED, "", self.i + 1
                return False
            if c == self.p.separator:
                self.start += 1
                self.builder = ""
                if self._set(self.start):
                    return True
            elif c in " \t":
                if self.p.trim:
                    self.start += 1
            else:
                self.state, self.builder = _UNQUOTED, ""
                return False
            self.i += 1
        return True

    def _unquoted(self) -> bool:
        spaces = 0
        while self.i < len(self.line):
            c = self.line[self.i]
            if c in "\n\r" or c == self.p.quote:
                raise illegal_argument(f"Illegal character inside unquoted field at {self.i}")
            if self.p.trim and c in " \t":
                spaces += 1
            elif c == self.p.separator:
                self.state = _START
                if self._set(self.i - spaces):
                    return True
                self.start = self.i + 1
                return False
            else:
                spaces = 0
            self.i += 1
        return False

    def _quoted(self) -> bool:
        end = self.line.find(self.p.quote, self.i)
        if end == -1:
            self.i = len(self.line)
        else:
            self.i = end
            self.state = _QUOTED_END
        return False

    def _quoted_end(self) -> bool:
        if self.line[self.i] == self.p.quote:  # doubled quote: a literal quote character
            self.builder += self.line[self.start : self.i - 1] + self.p.quote
            self.start, self.state = self.i + 1, _QUOTED
            return False
        pending = True
        while self.i < len(self.line):
            c = self.line[self.i]
            if c in " \t":
                if pending:
                    if self._set(self.i - 1):
                        return True
                    pending = False
            elif c == self.p.separator:
                if pending and self._set(self.i - 1):
                    return True
                self.start, self.state = self.i + 1, _START
                return False
            else:
                raise illegal_argument(f"character '{c}' after quoted field at {self.i}")
            self.i += 1
        return True

    def _set(self, end: int) -> bool:
        value = self.builder + self.line[self.start : end]
        target = self.p.targets[self.header]
        if value:
            self.doc.set(target, value)
        elif self.p.empty_value is not _UNSET:
            self.doc.set(target, self.p.empty_value)
        self.header += 1
        return self.header == len(self.p.targets)


class Csv(Processor):
    type = "csv"

    def __init__(self, cfg: Config) -> None:
        self.field: str = cfg.string("field")
        self.quote: str = cfg.string("quote", '"')
        if len(self.quote) != 1:
            raise cfg.error("quote", "quote has to be single character like \" or '")
        self.separator: str = cfg.string("separator", ",")
        if len(self.separator) != 1:
            raise cfg.error("separator", "separator has to be single character like , or ;")
        self.trim = cfg.boolean("trim", False)
        self.empty_value: Any = _UNSET
        if cfg.has("empty_value"):
            self.empty_value = cfg.take("empty_value")
            if self.empty_value is None:
                raise cfg.error("empty_value", "required property is missing")
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self.targets: list[str] = cfg.string_list("target_fields")
        if not self.targets:
            raise cfg.error("target_fields", "target fields list can't be empty")

    def run(self, doc: IngestDocument) -> None:
        line = string_field(doc, self.field, self.ignore_missing)
        if line is None:
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{self.field}] is null, cannot process it.")
        _Line(self, doc, line).run()


FACTORIES: dict[str, Factory] = {"csv": Csv}
