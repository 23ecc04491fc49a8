"""Java regular expressions (Pattern/Matcher) on top of the `regex` module."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import regex

from ...javaregex import translate_java_regex
from ..errors import JavaThrowable, cce, npe
from ..jtypes import JSet, class_name, to_string
from .registry import method

_FLAG_BITS = {"c": 128, "i": 2, "l": 16, "m": 8, "s": 32, "U": 320, "u": 64, "x": 4}
LIMIT_FACTOR = 6


class JPattern:
    java_class = "java.util.regex.Pattern"
    __slots__ = ("compiled", "flag_bits", "source")

    def __init__(self, source: str, flag_bits: int, compiled: Any) -> None:
        self.source = source
        self.flag_bits = flag_bits
        self.compiled = compiled

    def to_java_string(self) -> str:
        return self.source


def compile_java_regex(pattern: str, flags: str) -> JPattern:
    bits = 0
    for ch in flags:
        bits |= _FLAG_BITS[ch]
    return _compile(pattern, bits)


@lru_cache(maxsize=512)
def _compile(pattern: str, bits: int) -> JPattern:
    pyflags = regex.V0
    if bits & 2:
        pyflags |= regex.IGNORECASE
    if bits & 8:
        pyflags |= regex.MULTILINE
    if bits & 32:
        pyflags |= regex.DOTALL
    if bits & 4:
        pyflags |= regex.VERBOSE
    if not bits & (64 | 256):
        pyflags |= regex.ASCII
    text = regex.escape(pattern) if bits & 16 else translate_java_regex(pattern)
    try:
        compiled = regex.compile(text, pyflags)
    except regex.error as e:
        msg = str(e)
        if "\\u" in msg or "escape \\u" in msg:
            msg = "Illegal Unicode escape sequence"
        exc = JavaThrowable("PatternSyntaxException", msg)
        exc.pos = getattr(e, "pos", None)  # offset inside the pattern
        raise exc from None
    return JPattern(pattern, bits, compiled)


def runtime_regex(pattern: Any) -> JPattern:
    if pattern is None:
        raise npe("regex pattern is null")
    if isinstance(pattern, JPattern):
        return pattern
    return _compile(to_string(pattern), 0)


def _timeout(text: str) -> float:
    return 0.5 + len(text) * 1e-5


def _guarded(pat: JPattern, text: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except TimeoutError:
        limit = len(text) * LIMIT_FACTOR
        raise JavaThrowable(
            "CircuitBreakingException",
            f"[scripting] Regular expression considered too many characters, pattern: "
            f"[{pat.source}], limit factor: [{LIMIT_FACTOR}], char limit: [{limit}], "
            "count: [unknown], wrap the pattern in `/.../` or set "
            "[script.painless.regex.limit-factor] to a larger value",
        ) from None


class JMatcher:
    java_class = "java.util.regex.Matcher"
    __slots__ = ("last", "pattern", "pos", "text")

    def __init__(self, pattern: JPattern, text: str) -> None:
        self.pattern = pattern
        self.text = text
        self.pos = 0
        self.last: Any = None

    def find(self, start: int | None = None) -> bool:
        if start is not None:
            self.pos = start
        if self.pos > len(self.text):
            self.last = None
            return False
        c, t, p = self.pattern.compiled, self.text, self.pos
        m = _guarded(self.pattern, t, lambda: c.search(t, p, timeout=_timeout(t)))
        self.last = m
        if m is not None:
            self.pos = m.end() + (1 if m.end() == m.start() else 0)
        return m is not None

    def matches(self) -> bool:
        c, t = self.pattern.compiled, self.text
        self.last = _guarded(self.pattern, t, lambda: c.fullmatch(t, timeout=_timeout(t)))
        return self.last is not None

    def looking_at(self) -> bool:
        c, t = self.pattern.compiled, self.text
        self.last = _guarded(self.pattern, t, lambda: c.match(t, timeout=_timeout(t)))
        return self.last is not None

    def match(self) -> Any:
        if self.last is None:
            raise JavaThrowable("IllegalStateException", "No match found")
        return self.last

    def group(self, g: Any = 0) -> Any:
        m = self.match()
        try:
            return m.group(g if isinstance(g, str) else int(g))
        except (IndexError, regex.error):
            if isinstance(g, str):
                raise JavaThrowable(
                    "IllegalArgumentException", f"No group with name <{g}>"
                ) from None
            raise JavaThrowable("IndexOutOfBoundsException", f"No group {g}") from None


def _subject(text: Any) -> str:
    if isinstance(text, str):
        return text
    if text is None:
        raise npe("Cannot match a regex against null")
    raise cce(f"Cannot cast {class_name(text)} to java.lang.String")


def regex_find(text: Any, pattern: Any) -> bool:
    return JMatcher(runtime_regex(pattern), _subject(text)).find()


def regex_matches(text: Any, pattern: Any) -> bool:
    return JMatcher(runtime_regex(pattern), _subject(text)).matches()


def java_split(pat: JPattern, text: str, limit: int = 0) -> list[str]:
    if text == "":
        return [""]
    out: list[str] = []
    idx = 0
    c = pat.compiled
    matches = _guarded(pat, text, lambda: list(c.finditer(text, timeout=_timeout(text))))
    for m in matches:
        if 0 < limit <= len(out) + 1:
            break
        if m.end() == 0:
            continue  # a zero-width match at the beginning never yields a leading ""
        out.append(text[idx : m.start()])
        idx = m.end()
    if not out and idx == 0:
        return [text]
    out.append(text[idx:])
    if limit == 0:
        while out and out[-1] == "":
            out.pop()
    return out


def java_replacement(repl: str) -> Callable[[Any], str]:
    """A Java Matcher replacement string ($1, ${name}, \\x) as a function of the match."""

    def expand(m: Any) -> str:
        out: list[str] = []
        i = 0
        while i < len(repl):
            ch = repl[i]
            if ch == "\\" and i + 1 < len(repl):
                out.append(repl[i + 1])
                i += 2
            elif ch == "$" and i + 1 < len(repl):
                if repl[i + 1] == "{":
                    end = repl.index("}", i)
                    out.append(m.group(repl[i + 2 : end]) or "")
                    i = end + 1
                else:
                    j = i + 1
                    while j < len(repl) and repl[j].isdigit():
                        j += 1
                    if j == i + 1:
                        raise JavaThrowable("IllegalArgumentException", "Illegal group reference")
                    out.append(m.group(int(repl[i + 1 : j])) or "")
                    i = j
            else:
                out.append(ch)
                i += 1
        return "".join(out)

    return expand


def replace(text: str, pattern: Any, repl: Any, count: int) -> str:
    pat = runtime_regex(pattern)
    fn: Callable[[Any], str]
    if callable(repl):

        def call_repl(m: Any) -> str:
            jm = JMatcher(pat, text)
            jm.last = m
            return to_string(repl(jm))

        fn = call_repl
    else:
        fn = java_replacement(to_string(repl))
    c = pat.compiled
    return str(_guarded(pat, text, lambda: c.sub(fn, text, count=count, timeout=_timeout(text))))


# ---- Pattern / Matcher methods -------------------------------------------------------------
method(JPattern, "matcher", 1)(lambda p, s: JMatcher(p, to_string(s)))
method(JPattern, "flags", 0)(lambda p: p.flag_bits)
method(JPattern, "pattern", 0)(lambda p: p.source)
method(JPattern, "toString", 0)(lambda p: p.source)
method(JPattern, "split", 1, 2)(lambda p, s, limit=0: java_split(p, to_string(s), limit))
method(JPattern, "asPredicate", 0)(lambda p: lambda s: JMatcher(p, to_string(s)).find())
method(JMatcher, "find", 0, 1)(lambda m, start=None: m.find(start))
method(JMatcher, "matches", 0)(lambda m: m.matches())
method(JMatcher, "lookingAt", 0)(lambda m: m.looking_at())
method(JMatcher, "group", 0, 1)(lambda m, g=0: m.group(g))
method(JMatcher, "namedGroup", 1)(lambda m, g: m.group(to_string(g)))
method(JMatcher, "groupCount", 0)(lambda m: m.pattern.compiled.groups)
method(JMatcher, "start", 0, 1)(lambda m, g=0: m.match().start(g))
method(JMatcher, "end", 0, 1)(lambda m, g=0: m.match().end(g))
method(JMatcher, "hitEnd", 0)(lambda m: m.last is None or m.last.end() == len(m.text))
method(JMatcher, "replaceAll", 1)(lambda m, r: replace(m.text, m.pattern, r, 0))
method(JMatcher, "replaceFirst", 1)(lambda m, r: replace(m.text, m.pattern, r, 1))
method(JMatcher, "pattern", 0)(lambda m: m.pattern)


@method(JMatcher, "reset", 0, 1)
def _reset(m: JMatcher, text: Any = None) -> JMatcher:
    if text is not None:
        m.text = to_string(text)
    m.pos, m.last = 0, None
    return m


# ---- String methods that take regexes ------------------------------------------------------
method(str, "replaceAll", 2)(lambda s, p, r: replace(s, p, r, 0))
method(str, "replaceFirst", 2)(lambda s, p, r: replace(s, p, r, 1))
method(str, "matches", 1)(lambda s, p: JMatcher(runtime_regex(p), s).matches())
method(str, "split", 1, 2)(lambda s, p, limit=0: java_split(runtime_regex(p), s, limit))

__all__ = ["JPattern", "JSet", "compile_java_regex", "regex_find", "regex_matches"]
