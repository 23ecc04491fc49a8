"""Handlebars as Fleet runs it on agent/stream/*.yml.hbs (Kibana's epm/agent/agent.ts).

pybars3 renders the templates; Fleet's helpers are registered here, `{{#each xs as |x|}}` block
parameters (which pybars3 lacks) are rewritten to `this`, and `yaml` vars go through Fleet's
placeholder dance: the template sees `"##name##"`, a placeholder alone at the start of a line is
replaced by the YAML text of the value, any other placeholder by the parsed value.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

import pybars
import yaml

from fleetpkg.errors import FleetpkgError, Location, Problem

MUSTACHE = re.compile(r"\{\{(\{?)(~?)([#/^]?)(.*?)(~?)(\}?)\}\}", re.S)
EACH_AS = re.compile(r"^each\s+(.+?)\s+as\s+\|(\w+)\|\s*$", re.S)
STRING = re.compile(r"\"[^\"]*\"|'[^']*'|\S+")

Options = dict[str, Callable[..., Any]]
END = "#fleetpkg-end-of-template"


def escape_string(_this: Any, value: Any = None, *_: Any) -> Any:
    """Single-quoted YAML string (`'` doubled); double-quoted with escapes when multi-line."""
    if value is None or value == "":
        return None
    text = str(value)
    if "\n" in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return "'" + text.replace("'", "''") + "'"


def escape_multiline_string(_this: Any, value: Any = None, *_: Any) -> Any:
    if value is None or value == "":
        return None
    return str(value).replace("'", "''").replace("\n ", "\n").replace("\n", "\\n")


def to_json(_this: Any, value: Any = None, *_: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(_plain(value), separators=(",", ":"))


def url_encode(_this: Any, value: Any = None, *_: Any) -> str:
    """encodeURIComponent, with ! ' ( ) * encoded too."""
    return urllib.parse.quote(str(value if value is not None else ""), safe="-_.~")


def contains(this: Any, options: Options, item: Any = None, check: Any = None) -> Any:
    """Block helper: the block when `check` (a list or a string) contains `item`; no else."""
    found = isinstance(check, (str, list)) and item in check
    if not found:
        return ""
    return options["fn"](this)


def semver_satisfies(this: Any, options: Options, version: Any = None, *_: Any) -> Any:
    """Offline there is no agent version, so the block never renders (as in Fleet)."""
    if not version:
        return options["inverse"](this)
    return options["fn"](this)


HELPERS: dict[str, Callable[..., Any]] = {
    "escape_string": escape_string,
    "escape_multiline_string": escape_multiline_string,
    "to_json": to_json,
    "url_encode": url_encode,
    "contains": contains,
    "semverSatisfies": semver_satisfies,
}


def _plain(value: Any) -> Any:
    """pybars wraps lists and strings; turn them back into plain values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def block_params(template: str) -> str:
    """Rewrite `{{#each xs as |x|}}…{{x}}…{{/each}}` to `{{#each xs}}…{{this}}…{{/each}}`.

    Plain `{{x}}` becomes `{{{x}}}`: Fleet compiles with noEscape, pybars3 has no such option.
    """
    out: list[str] = []
    stack: list[str | None] = []  # per open block: its block parameter, or None
    pos = 0
    for m in MUSTACHE.finditer(template):
        out.append(template[pos : m.start()])
        pos = m.end()
        brace, ltilde, kind, body, rtilde, close = m.groups()
        if body.lstrip().startswith("!"):
            out.append(m.group(0))
            continue
        if kind == "/":
            if stack:
                stack.pop()
            out.append(m.group(0))
            continue
        if kind in ("#", "^"):
            each = EACH_AS.match(body.strip())
            if each:
                body = "each " + _rename(each.group(1), stack)
                stack.append(each.group(2))
            else:
                body = _rename(body, stack)
                stack.append(None)
        else:
            body = _rename(body, stack)
            if not brace and body.strip() != "else":  # Fleet compiles with noEscape: true
                brace, close = "{", "}"
        out.append("{{" + brace + ltilde + kind + body + rtilde + close + "}}")
    out.append(template[pos:])
    return "".join(out)


def _rename(body: str, stack: list[str | None]) -> str:
    """Replace references to enclosing block parameters by `this` (with ../ per level)."""
    params: dict[str, str] = {}
    depth = 0
    for param in reversed(stack):
        if param is None:
            continue
        params.setdefault(param, "../" * depth + "this")
        depth += 1
    if not params:
        return body

    def swap(token: str) -> str:
        if token[:1] in "\"'":
            return token
        head, dot, rest = token.partition(".")
        if head in params:
            return params[head] + (dot + rest if dot else "")
        return token

    return re.sub(r"\"[^\"]*\"|'[^']*'|[^\s()]+", lambda t: swap(t.group(0)), body)


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    """Fleet turns a var named `a.b` into {a: {b: …}} for the template."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, last = key.split(".")
        node = out
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[last] = value
    return out


def compile_template(
    template: str,
    variables: dict[str, Any],
    yaml_vars: set[str],
    meta: dict[str, Any] | None = None,
) -> Any:
    """Render `template` with `variables` as Fleet's compileTemplate does.

    `meta` is Fleet's `_meta` (package, stream and input ids). Returns (parsed YAML, text).
    """
    context: dict[str, Any] = {}
    yaml_values: dict[str, Any] = {}
    for name, value in variables.items():
        if name in yaml_vars:
            placeholder = f"##{name}##"
            context[name] = f'"{placeholder}"' if value else None
            yaml_values[placeholder] = _load_yaml(name, value) if value else None
        else:
            context[name] = value
    try:
        # pybars3 drops the line break inside a block closed on the last line; Handlebars.js
        # does not: render with a sentinel last line and cut it off again.
        source = template + ("" if template.endswith("\n") else "\n") + END
        compiled = pybars.Compiler().compile(block_params(source))
        scope = _nest(context)
        if meta is not None:
            scope["_meta"] = meta
        text = str(compiled(scope, helpers=HELPERS)).removesuffix(END)
        text = text if template.endswith("\n") else text.removesuffix("\n")
    except Exception as err:  # pybars raises plain exceptions for template errors
        raise FleetpkgError([Problem(Location("template"), f"Handlebars: {err}")]) from None
    for placeholder, value in yaml_values.items():
        dumped = yaml.safe_dump(value, sort_keys=False, default_flow_style=False) if value else ""
        text = re.compile(f'^"{re.escape(placeholder)}"', re.M).sub(_const(dumped), text)
    try:
        parsed = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as err:
        message = f"rendered template is not valid YAML: {err}"
        raise FleetpkgError([Problem(Location("template"), message)]) from None
    if isinstance(parsed, dict):
        for key, value in list(parsed.items()):
            if value is None and isinstance(context.get(key), str) and not context[key].strip():
                parsed[key] = ""
    return _replace_placeholders(parsed, yaml_values), text


def _const(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: text


def _load_yaml(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError as err:
        raise FleetpkgError([Problem(Location(name), f"invalid YAML: {err}")]) from None


def _replace_placeholders(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        return {k: _replace_placeholders(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_placeholders(v, values) for v in node]
    if isinstance(node, str) and node in values:
        return values[node]
    return node


class _UniqueKeyLoader(yaml.SafeLoader):
    """Fleet rejects duplicated keys in a rendered template."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                message = f"Duplicated key {key!r} found in agent policy yaml (line {line})"
                raise yaml.YAMLError(message)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
