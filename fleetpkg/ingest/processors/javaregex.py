"""Java regular expressions on top of the ``regex`` module (possessive, atomic, \\p{...})."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

from ..javaregex import translate_java_regex


@lru_cache(maxsize=1024)
def compile_java_regex(pattern: str, flags: int = 0) -> Any:
    """Compile a Java regex; raises ValueError with the engine's message when invalid."""
    try:
        return regex.compile(translate_java_regex(pattern), flags | regex.V0)
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
