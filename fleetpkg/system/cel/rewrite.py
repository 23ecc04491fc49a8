"""Source rewriting before compiling: ``x.?f`` → ``x._opt_field("f")``, no trailing commas."""

from __future__ import annotations

import re

from fleetpkg.celparse import map_code, without_trailing_commas

from .errors import CelProgramError

_OPT_FIELD = re.compile(r"\.\?\s*([A-Za-z_][A-Za-z0-9_]*)")


def rewrite(source: str) -> str:
    """``source`` in the syntax cel-python parses (it has no optional syntax); strings and
    ``//`` comments are left as they are."""
    return map_code(source, _rewrite_code)


def _rewrite_code(code: str) -> str:
    if "[?" in code.replace(" ", ""):
        raise CelProgramError("optional index syntax ([?key]) is not supported by this runtime")
    code = without_trailing_commas(code)  # cel-go accepts `[1, 2,]` and `{"a": 1,}`
    return _OPT_FIELD.sub(lambda m: f'._opt_field("{m.group(1)}")', code)
