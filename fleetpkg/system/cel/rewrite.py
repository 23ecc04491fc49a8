"""Source rewriting before compiling: ``x.?f`` → ``x._opt_field("f")``, no trailing commas."""

from __future__ import annotations

import re

from .errors import CelProgramError

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_OPT_FIELD = re.compile(r"\.\?\s*([A-Za-z_][A-Za-z0-9_]*)")


def rewrite(source: str) -> str:
    """``source`` in the syntax cel-python parses (it has no optional syntax); strings and
    ``//`` comments are left as they are."""
    out: list[str] = []
    code_start = 0
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "/" and source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            out.append(_rewrite_code(source[code_start:i]))
            out.append(source[i:end])
            i = code_start = end
            continue
        if ch in "\"'":
            quote3 = source[i : i + 3]
            delim = quote3 if quote3 in ('"""', "'''") else ch
            j = i + len(delim)
            while j < n and not source.startswith(delim, j):
                j += 2 if source[j] == "\\" else 1
            end = min(n, j + len(delim))
            out.append(_rewrite_code(source[code_start:i]))
            out.append(source[i:end])
            i = code_start = end
            continue
        i += 1
    out.append(_rewrite_code(source[code_start:]))
    return "".join(out)


def _rewrite_code(code: str) -> str:
    if "[?" in code.replace(" ", ""):
        raise CelProgramError("optional index syntax ([?key]) is not supported by this runtime")
    code = _TRAILING_COMMA.sub(r"\1", code)  # cel-go accepts `[1, 2,]` and `{"a": 1,}`
    return _OPT_FIELD.sub(lambda m: f'._opt_field("{m.group(1)}")', code)
