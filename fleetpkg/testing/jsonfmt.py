"""Write stage: JSON the way elastic-package formats generated files (4-space indent, sorted keys).

HTML characters are escaped (``\\u003c``) for packages whose ``format_version`` is below 2.12.0.
Doubles are written the way Elasticsearch (Java) prints them.
"""

from __future__ import annotations

import json
from typing import Any

from fleetpkg.ingest.values import java_double_str
from fleetpkg.packagedir import version_tuple

_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_GO_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def escape_html(format_version: str) -> bool:
    return version_tuple(format_version) < (2, 12, 0)


def _string(text: str, html: bool) -> str:
    out = ['"']
    for ch in text:
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch < " ":
            out.append(f"\\u{ord(ch):04x}")
        elif html and ch in _HTML:
            out.append(_HTML[ch])
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _scalar(value: Any, html: bool) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double_str(value)
    if isinstance(value, str):
        return _string(value, html)
    return _string(str(value), html)


def _encode(value: Any, html: bool, indent: str, out: list[str]) -> None:
    inner = indent + "    "
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{\n")
        for i, key in enumerate(sorted(value)):
            out.append(inner + _string(str(key), html) + ": ")
            _encode(value[key], html, inner, out)
            out.append(",\n" if i < len(value) - 1 else "\n")
        out.append(indent + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        out.append("[\n")
        for i, item in enumerate(value):
            out.append(inner)
            _encode(item, html, inner, out)
            out.append(",\n" if i < len(value) - 1 else "\n")
        out.append(indent + "]")
    else:
        out.append(_scalar(value, html))


def format_json(value: Any, *, html: bool = False) -> str:
    """Indented, key-sorted JSON with one trailing newline."""
    out: list[str] = []
    _encode(value, html, "", out)
    return "".join(out) + "\n"


def canonical(value: Any) -> str:
    """Compact sorted JSON, for stable comparisons and hashing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
