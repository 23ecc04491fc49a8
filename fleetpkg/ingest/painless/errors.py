"""Painless errors: compile/runtime errors shaped like Elasticsearch's answer, Java exceptions."""

from __future__ import annotations

import re
from typing import Any

# Java exception hierarchy (simple names) used for `catch` matching and error reporting.
_PARENT: dict[str, str] = {
    "Exception": "Throwable",
    "Error": "Throwable",
    "RuntimeException": "Exception",
    "IllegalArgumentException": "RuntimeException",
    "NumberFormatException": "IllegalArgumentException",
    "PatternSyntaxException": "IllegalArgumentException",
    "IllegalFormatException": "IllegalArgumentException",
    "IllegalFormatConversionException": "IllegalFormatException",
    "MissingFormatArgumentException": "IllegalFormatException",
    "IllegalStateException": "RuntimeException",
    "NullPointerException": "RuntimeException",
    "ClassCastException": "RuntimeException",
    "ArithmeticException": "RuntimeException",
    "IndexOutOfBoundsException": "RuntimeException",
    "ArrayIndexOutOfBoundsException": "IndexOutOfBoundsException",
    "StringIndexOutOfBoundsException": "IndexOutOfBoundsException",
    "UnsupportedOperationException": "RuntimeException",
    "ConcurrentModificationException": "RuntimeException",
    "NoSuchElementException": "RuntimeException",
    "DateTimeException": "RuntimeException",
    "DateTimeParseException": "DateTimeException",
    "UnsupportedTemporalTypeException": "DateTimeException",
    "CircuitBreakingException": "RuntimeException",
    "PainlessError": "Error",
    "PainlessExplainError": "Error",
    "StackOverflowError": "Error",
}

EXCEPTION_TYPES = frozenset(_PARENT) | {"Throwable"}


def is_subclass(name: str, parent: str) -> bool:
    cur: str | None = name
    while cur is not None:
        if cur == parent:
            return True
        cur = _PARENT.get(cur)
    return False


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class JavaThrowable(Exception):
    """A Java exception raised inside a script (catchable by `catch` when not an Error)."""

    def __init__(self, jtype: str, message: str | None = None, pos: int | None = None) -> None:
        super().__init__(message)
        self.jtype = jtype
        self.message = message
        self.pos = pos
        self.metadata: dict[str, Any] = {}  # extra top-level fields (Debug.explain)

    def to_java_string(self) -> str:
        full = _qualified(self.jtype)
        return full if self.message is None else f"{full}: {self.message}"


def _qualified(name: str) -> str:
    pkg = "java.lang."
    if name in ("ConcurrentModificationException", "NoSuchElementException") or "Format" in name:
        pkg = "java.util."
    elif name.startswith("DateTime") or name == "UnsupportedTemporalTypeException":
        pkg = "java.time."
    elif name == "PatternSyntaxException":
        pkg = "java.util.regex."
    return pkg + name


def npe(msg: str | None = None) -> JavaThrowable:
    return JavaThrowable("NullPointerException", msg)


def cce(msg: str) -> JavaThrowable:
    return JavaThrowable("ClassCastException", msg)


def iae(msg: str) -> JavaThrowable:
    return JavaThrowable("IllegalArgumentException", msg)


def from_python(exc: BaseException, pos: int | None = None) -> JavaThrowable:
    """Convert an exception raised by the runtime into a Java exception."""
    if isinstance(exc, JavaThrowable):
        if exc.pos is None:
            exc.pos = pos
        return exc
    name = "RuntimeException"
    # Python's own messages ("int() argument must be …") are never shown: Java's are unknown here.
    msg: str | None = None if type(exc).__module__ == "builtins" else str(exc)
    if isinstance(exc, ZeroDivisionError):
        name, msg = "ArithmeticException", "/ by zero"
    elif isinstance(exc, IndexError):
        name = "IndexOutOfBoundsException"
    elif isinstance(exc, (TypeError, AttributeError)):
        name = "ClassCastException"
    elif isinstance(exc, RecursionError):
        name, msg = "StackOverflowError", None
    elif isinstance(exc, RuntimeError) and "changed size during iteration" in str(exc):
        name, msg = "ConcurrentModificationException", None
    elif isinstance(exc, (ValueError, KeyError)):
        name = "IllegalArgumentException"
    return JavaThrowable(name, msg, pos)


class PainlessError(Exception):
    """Base of compile and runtime errors; `to_es()` gives Elasticsearch's error body."""

    reason = "error"

    def __init__(
        self,
        message: str,
        source: str,
        offset: int,
        *,
        cause_type: str = "illegal_argument_exception",
        statements: tuple[int, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.offset = max(0, min(offset, len(source)))
        self.cause_type = cause_type
        self.statements = statements
        self.metadata: dict[str, Any] = {}
        self.cause_reason: str | None = message

    @property
    def type(self) -> str:
        return "script_exception"

    def _window(self) -> tuple[int, int, str, int]:
        off, src = self.offset, self.source
        start, end = max(0, off - 25), min(len(src), off + 25)
        prefix = "... " if start > 0 else ""
        suffix = " ..." if end < len(src) else ""
        return start, end, prefix + src[start:end] + suffix, len(prefix) + off - start

    def script_stack(self) -> list[str]:
        _, _, snippet, caret = self._window()
        return [snippet, " " * caret + "^---- HERE"]

    def position(self) -> dict[str, int]:
        start, end, _, _ = self._window()
        return {"offset": self.offset, "start": start, "end": end}

    def to_es(self) -> dict[str, Any]:
        return {
            "type": "script_exception",
            "reason": self.reason,
            "script_stack": self.script_stack(),
            "script": self.source,
            "lang": "painless",
            "position": self.position(),
            "caused_by": {"type": self.cause_type, "reason": self.cause_reason},
            **self.metadata,
        }

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


class PainlessCompileError(PainlessError):
    reason = "compile error"


class PainlessRuntimeError(PainlessError):
    reason = "runtime error"

    def __init__(self, exc: JavaThrowable, source: str, statements: tuple[int, ...]) -> None:
        super().__init__(
            exc.message if exc.message is not None else "",
            source,
            exc.pos if exc.pos is not None else 0,
            cause_type=snake_case(exc.jtype),
            statements=statements,
        )
        self.java_type = exc.jtype
        self.metadata = dict(exc.metadata)
        self.cause_reason = exc.message
        self.__cause__ = exc

    def _window(self) -> tuple[int, int, str, int]:
        starts = [s for s in self.statements if s <= self.offset]
        if not starts:
            return super()._window()
        start = starts[-1]
        later = [s for s in self.statements if s > self.offset]
        end = later[0] if later else len(self.source)
        snippet = self.source[start:end]
        return start, end, snippet, self.offset - start


class CompileFailure(Exception):
    """Raised inside the compiler; converted to PainlessCompileError with the source."""

    def __init__(self, message: str, pos: int, jtype: str = "IllegalArgumentException") -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.jtype = jtype
