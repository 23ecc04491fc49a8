"""Java regular expressions on top of the ``regex`` module (possessive, atomic, \\p{...})."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

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


def _translate(pattern: str) -> str:
    out: list[str] = []
    i = 0
    in_class = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "pP" and i + 2 < len(pattern) and pattern[i + 2] == "{":
                end = pattern.find("}", i)
                name = pattern[i + 3 : end]
                if name in _POSIX and end != -1:
                    body = _POSIX[name]
                    neg = "^" if nxt == "P" else ""
                    out.append(body if in_class and not neg else f"[{neg}{body}]")
                    i = end + 1
                    continue
                name = name[2:] if name.startswith("Is") else name
                out.append(f"\\{nxt}{{{name}}}")
                i = end + 1
                continue
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                end = len(pattern) if end == -1 else end
                out.append(regex.escape(pattern[i + 2 : end]))
                i = end + 2
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            in_class += 1
        elif c == "]" and in_class:
            in_class -= 1
        out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def compile_java_regex(pattern: str, flags: int = 0) -> Any:
    """Compile a Java regex; raises ValueError with the engine's message when invalid."""
    try:
        return regex.compile(_translate(pattern), flags | regex.V0)
    except regex.error as e:
        raise ValueError(str(e)) from None


def java_replacement(replacement: str) -> Any:
    """Translate a Java replacement string (``$1``, ``${name}``, ``\\$``) for ``regex.sub``."""
    out: list[str] = []
    i = 0
    while i < len(replacement):
        c = replacement[i]
        if c == "\\" and i + 1 < len(replacement):
            out.append(replacement[i + 1].replace("\\", "\\\\"))
            i += 2
        elif c == "$" and i + 1 < len(replacement):
            if replacement[i + 1] == "{":
                end = replacement.index("}", i)
                out.append(f"\\g<{replacement[i + 2 : end]}>")
                i = end + 1
            else:
                j = i + 1
                while j < len(replacement) and replacement[j].isdigit():
                    j += 1
                out.append(f"\\g<{replacement[i + 1 : j]}>")
                i = j
        else:
            out.append("\\\\" if c == "\\" else c)
            i += 1
    return "".join(out)
