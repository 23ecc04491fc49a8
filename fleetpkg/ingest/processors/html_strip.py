"""HTML stripping like Lucene's HTMLStripCharFilter: block tags become newlines."""

from __future__ import annotations

import html
import re

_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "noscript",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
        "body",
        "head",
        "html",
        "center",
        "dir",
        "menu",
        "frameset",
        "frame",
        "isindex",
        "legend",
        "caption",
        "col",
        "colgroup",
    ]
)
_SKIP_CONTENT = frozenset({"script", "style"})
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>|<![^>]*>|<\?.*?\?>", re.S)


def strip_html(value: str) -> str:
    out: list[str] = []
    pos = 0
    skipping: str | None = None
    for m in _TAG.finditer(value):
        if skipping is None:
            out.append(html.unescape(value[pos : m.start()]))
        pos = m.end()
        name = (m.group(2) or "").lower()
        closing = m.group(1) == "/"
        if skipping is not None:
            if closing and name == skipping:
                skipping = None
            continue
        if name in _SKIP_CONTENT and not closing:
            skipping = name
            continue
        if name in _BLOCK:
            out.append("\n")
    if skipping is None:
        out.append(html.unescape(value[pos:]))
    return "".join(out)
