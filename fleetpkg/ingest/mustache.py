"""Mustache templates as ES ingest uses them (field names and values of processors)."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import IngestError
from .values import java_str

_TAG = re.compile(r"\{\{(\{)?\s*([#^/&!]?)\s*(.*?)\s*(\})?\}\}", re.S)

Model = dict[str, Any]
Node = Callable[[list[Any], list[str]], None]


def _lookup(stack: list[Any], name: str) -> Any:
    if name == ".":
        return stack[-1]
    return _lookup_parts(stack, name.split("."))


def _lookup_parts(stack: list[Any], parts: list[str]) -> Any:
    for ctx in reversed(stack):
        value = _get(ctx, parts[0])
        if value is not _NONE:
            for part in parts[1:]:
                value = _get(value, part)
                if value is _NONE:
                    return None
            return value
    return None


_NONE: Any = object()


def _get(ctx: Any, key: str) -> Any:
    if isinstance(ctx, dict):
        return ctx.get(key, _NONE)
    if isinstance(ctx, list) and key.isdigit():
        i = int(key)
        return ctx[i] if i < len(ctx) else _NONE
    return _NONE


def _json_escape(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _truthy(value: Any) -> bool:
    return (value not in (None, False, "", [], {}) and value != 0) or value is True


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template; ``render(model)`` returns the string ES would produce."""

    source: str
    nodes: tuple[Node, ...]
    is_static: bool

    def render(self, model: Model) -> str:
        if self.is_static:
            return self.source
        out: list[str] = []
        stack: list[Any] = [model]
        for node in self.nodes:
            node(stack, out)
        return "".join(out)


def compile_template(source: str) -> Template:
    if "{{" not in source:
        return Template(source, (), True)
    nodes, _ = _parse(source, 0, None)
    return Template(source, tuple(nodes), False)


def _parse(src: str, pos: int, closing: str | None) -> tuple[list[Node], int]:
    nodes: list[Node] = []
    while True:
        m = _TAG.search(src, pos)
        if m is None:
            if closing is not None:
                raise IngestError(
                    "general_script_exception", f"Failed to compile inline script [{src}]"
                )
            if pos < len(src):
                nodes.append(_text(src[pos:]))
            return nodes, len(src)
        if m.start() > pos:
            nodes.append(_text(src[pos : m.start()]))
        triple, sigil, name = m.group(1), m.group(2), m.group(3)
        pos = m.end()
        if sigil == "!":
            continue
        if sigil == "/":
            if name != closing:
                raise IngestError(
                    "general_script_exception", f"Failed to compile inline script [{src}]"
                )
            return nodes, pos
        if sigil in "#^" and sigil:
            inner, pos = _parse(src, pos, name)
            nodes.append(_section(name, tuple(inner), inverted=sigil == "^"))
            continue
        nodes.append(_variable(name, escape=not triple and sigil != "&"))


def _text(text: str) -> Node:
    def node(stack: list[Any], out: list[str]) -> None:
        out.append(text)

    return node


def _variable(name: str, *, escape: bool) -> Node:
    parts = name.split(".")  # split once; "." (the current item) keeps the general lookup

    def node(stack: list[Any], out: list[str]) -> None:
        value = _lookup(stack, name) if name == "." else _lookup_parts(stack, parts)
        if value is None:
            return
        text = java_str(value)
        out.append(_json_escape(text) if escape else text)

    return node


def _section(name: str, inner: tuple[Node, ...], *, inverted: bool) -> Node:
    special = _SPECIAL.get(name)
    if special is not None and not inverted:
        return special(inner)

    def node(stack: list[Any], out: list[str]) -> None:
        value = _lookup(stack, name)
        if inverted:
            if not _truthy(value):
                _run(inner, stack, out)
            return
        if isinstance(value, list):
            for item in value:
                stack.append(item)
                _run(inner, stack, out)
                stack.pop()
        elif _truthy(value):
            stack.append(value)
            _run(inner, stack, out)
            stack.pop()

    return node


def _run(nodes: tuple[Node, ...], stack: list[Any], out: list[str]) -> None:
    for n in nodes:
        n(stack, out)


def _inner_name(inner: tuple[Node, ...], stack: list[Any]) -> str:
    out: list[str] = []
    _run(inner, stack, out)
    return "".join(out).strip()


def _to_json(inner: tuple[Node, ...]) -> Node:
    def node(stack: list[Any], out: list[str]) -> None:
        value = _lookup(stack, _inner_name(inner, stack))
        out.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    return node


def _join(inner: tuple[Node, ...]) -> Node:
    def node(stack: list[Any], out: list[str]) -> None:
        value = _lookup(stack, _inner_name(inner, stack))
        items = value if isinstance(value, list) else [] if value is None else [value]
        out.append(",".join(java_str(v) for v in items))

    return node


def _url(inner: tuple[Node, ...]) -> Node:
    def node(stack: list[Any], out: list[str]) -> None:
        text: list[str] = []
        _run(inner, stack, text)
        out.append(urllib.parse.quote_plus("".join(text), safe="*"))

    return node


_SPECIAL: dict[str, Callable[[tuple[Node, ...]], Node]] = {
    "toJson": _to_json,
    "join": _join,
    "url": _url,
}
