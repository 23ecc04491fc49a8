"""Java regex syntax the `regex` module lacks (\\Q…\\E, POSIX \\p{…} classes, \\h, \\z, \\Z)."""

from __future__ import annotations

import re as _re

import regex

_POSIX = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7F",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1F\\x7F",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0B\\f\\r",
}
_JAVA_SYNTAX = _re.compile(r"\\Q(.*?)(?:\\E|$)|\\([pP])\{(\w+)\}|\\h|\\z|\\Z|\\.|\[|\]", _re.S)


def translate_java_regex(pattern: str) -> str:
    """Rewrite Java-only regex syntax into what the `regex` module understands."""
    depth = 0

    def sub(m: _re.Match[str]) -> str:
        nonlocal depth
        text = m.group(0)
        if text == "[":
            depth += 1
            return text
        if text == "]":
            depth = max(0, depth - 1)
            return text
        if m.group(1) is not None:
            return str(regex.escape(m.group(1)))
        if m.group(2):
            name = m.group(3)
            cls = _POSIX.get(name)
            if cls is None:
                return "\\" + m.group(2) + "{" + name.removeprefix("Is") + "}"
            neg = m.group(2) == "P"
            if depth:
                return cls if not neg else "\\P{posix_" + name.lower() + "}"
            return ("[^" if neg else "[") + cls + "]"
        if text == "\\h":
            return "[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]"
        if text == "\\z":
            return "\\Z"
        if text == "\\Z":
            return "(?=\\n?\\Z)"
        return text

    return _JAVA_SYNTAX.sub(sub, pattern)
