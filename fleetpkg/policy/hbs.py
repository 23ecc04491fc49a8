"""Handlebars as Fleet runs it on agent/stream/*.yml.hbs (Kibana's epm/agent/agent.ts).

Handlebars.js is the reference (tools/hbs/render.js runs it; tests/policy/test_hbs_judge.py
requires identical output). The template is parsed by fleetpkg.hbscheck exactly as
Handlebars.js parses it (whitespace control, standalone lines, `else if` chains, `\\{{`
escapes), then handed to pybars3 as a plain template: every content as a literal, every
mustache unescaped (Fleet compiles with noEscape), block parameters rewritten to `this`, values
printed as JavaScript prints them, and Handlebars.js's built-in helpers and Fleet's (contains,
escape_string, escape_multiline_string, to_json, url_encode) with their JavaScript semantics.
`yaml` vars go through Fleet's placeholder dance: the template sees `"##name##"`, a placeholder
alone at the start of a line is replaced by the YAML text of the value, any other placeholder by
the parsed value.
"""

from __future__ import annotations

import json
import math
import re
import urllib.parse
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pybars
import yaml
from pybars._compiler import Scope, strlist

from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.hbscheck import (
    Block,
    Comment,
    Content,
    Expr,
    HbsError,
    Mustache,
    Partial,
    Program,
    parse,
)

MUSTACHE = re.compile(r"\{\{(\{?)(~?)([#/^]?)(.*?)(~?)(\}?)\}\}", re.S)
EACH_AS = re.compile(r"^each\s+(.+?)\s+as\s+\|(\w+)\|\s*$", re.S)
BLOCK_PARAMS = re.compile(r"\s+as\s+\|[^|]*\|\s*$")
STRING = re.compile(r"\"[^\"]*\"|'[^']*'|\S+")

Options = dict[str, Callable[..., Any]]


MISSING: Any = object()  # a helper called without this argument (JavaScript: options comes first)


class HelperError(Exception):
    """A helper failed as its JavaScript would (Fleet: "Error while compiling agent template")."""


# --- JavaScript values ------------------------------------------------------------------------


def js_number(value: float) -> str:
    """Number.prototype.toString: shortest round-trip digits, JavaScript's exponent rules."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    n = len("".join(map(str, digit_tuple))) + exponent  # the decimal point's position
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"


def js_string(value: Any) -> str:
    """String(value) as Handlebars.js prints a value; None (null or undefined) prints nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ",".join(js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def js_json(value: Any) -> str:
    """JSON.stringify(value) (no spaces; numbers as JavaScript writes them, text kept as is)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return js_number(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(js_json(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (
            json.dumps(str(k), ensure_ascii=False) + ":" + js_json(v) for k, v in value.items()
        )
        return "{" + ",".join(items) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _key(key: Any) -> str:
    return json.dumps(str(key), ensure_ascii=False)


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness: {} and "0" are true; None, false, 0, NaN and "" are not."""
    if value is None or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    return True


def _is_empty(value: Any) -> bool:
    """Handlebars.Utils.isEmpty: falsy but not 0, or an empty array."""
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
        return False
    return not js_truthy(value)


def _same_value_zero(a: Any, b: Any) -> bool:
    """Array.prototype.includes' comparison: by type and value, objects by identity."""
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, numbers) and isinstance(b, numbers):
        return a == b or (a != a and b != b)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is b
    return a is b


class _JsArray(list[Any]):
    """A list that answers lookups as a JavaScript array: `xs.0`, `xs.length`, else undefined."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, (int, slice)):
            return list.__getitem__(self, key)
        if key == "length":
            return len(self)
        if isinstance(key, str) and key.isdigit() and int(key) < len(self):
            return list.__getitem__(self, int(key))
        return None


class _JsObject(dict[str, Any]):
    """A dict whose missing keys are undefined (never a Python attribute such as `keys`)."""

    def __missing__(self, _key: Any) -> Any:
        return None


def js_values(value: Any) -> Any:
    """The scope as Handlebars.js sees it: arrays and objects with JavaScript lookups."""
    if isinstance(value, dict):
        return _JsObject({str(k): js_values(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return _JsArray(js_values(v) for v in value)
    return value


# --- Fleet's helpers --------------------------------------------------------------------------


def escape_string(_this: Any, value: Any = MISSING, *_: Any, **__: Any) -> Any:
    """Single-quoted YAML string (`'` doubled); double-quoted with escapes when multi-line."""
    if value is MISSING:
        raise HelperError("escape_string: str.includes is not a function")
    if not js_truthy(value):
        return None
    if not isinstance(value, str):
        raise HelperError(
            f"escape_string: str.{_missing_method(value, 'includes')} is not a function"
        )
    text = str(value)
    if "\n" in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return "'" + text.replace("'", "''") + "'"


def _missing_method(value: Any, method: str) -> str:
    """The first string method JavaScript would find missing on a non-string (arrays have some)."""
    return "replace" if isinstance(value, (list, tuple)) and method == "includes" else method


def escape_multiline_string(_this: Any, value: Any = MISSING, *_: Any, **__: Any) -> Any:
    if value is MISSING:
        raise HelperError("escape_multiline_string: str.replace is not a function")
    if not js_truthy(value):
        return None
    if not isinstance(value, str):
        raise HelperError("escape_multiline_string: str.replace is not a function")
    return str(value).replace("\n ", "\n").replace("'", "''").replace("\n", "\\n")


def to_json(_this: Any, value: Any = None, *_: Any, **__: Any) -> Any:
    """A string is taken as JSON already; anything else is JSON.stringify'd (None: undefined)."""
    if isinstance(value, str):
        return str(value)
    if value is None:
        return None  # JSON.stringify(undefined) is undefined: prints nothing
    return js_json(_plain(value))


def url_encode(_this: Any, value: Any = MISSING, *_: Any, **__: Any) -> str:
    """encodeURIComponent, with ! ' ( ) * encoded too; undefined is "undefined"."""
    if value is MISSING:
        value = {}  # the helper's options object: "[object Object]"
    text = "undefined" if value is None else js_string(_plain(value))
    return urllib.parse.quote(text, safe="-_.~")


def _contains(item: Any, check: Any) -> bool:
    if isinstance(check, str):
        return ("undefined" if item is None else js_string(item)) in check
    if isinstance(check, (list, tuple)):
        return any(_same_value_zero(item, x) for x in check)
    return False


def contains(this: Any, options: Options, item: Any = None, check: Any = None, **_: Any) -> Any:
    """Block helper: the block when `check` (a list or a string) contains `item`; no else."""
    if not _contains(item, check):
        return ""
    return options["fn"](this)


def contains_inline(_this: Any, item: Any = MISSING, check: Any = None, *_: Any, **__: Any) -> Any:
    """`{{contains item list}}` outside a block: true or ''."""
    return True if _contains(item, check) else ""


# --- Handlebars.js's built-in helpers, with JavaScript truthiness ------------------------------


def _if(this: Any, options: Options, value: Any = MISSING, **hash_: Any) -> Any:
    if value is MISSING:
        raise HelperError("#if requires exactly one argument")
    value = _defined(value)
    falsy = not js_truthy(value) and not (hash_.get("includeZero") and value == 0)
    if falsy or _is_empty(value):
        return options["inverse"](this)
    return options["fn"](this)


def _unless(this: Any, options: Options, value: Any = MISSING, **hash_: Any) -> Any:
    if value is MISSING:
        raise HelperError("#unless requires exactly one argument")
    swapped = {**options, "fn": options["inverse"], "inverse": options["fn"]}
    return _if(this, swapped, value, **hash_)


def _with(this: Any, options: Options, value: Any = MISSING, **_: Any) -> Any:
    if value is MISSING:
        raise HelperError("#with requires exactly one argument")
    value = _defined(value)
    if _is_empty(value):
        return options["inverse"](this)
    return options["fn"](Scope(value, this, options["root"]))  # pybars3 loses the parent


def _each_helper(this: Any, options: Options, value: Any = MISSING, **_: Any) -> Any:
    """Arrays and objects are iterated (`@key` is the index of an array item, as in
    Handlebars.js); anything else (a string, a number) renders the inverse."""
    if value is MISSING:
        raise HelperError("Must pass iterator to #each")
    value = _defined(value)
    items: list[tuple[Any, Any]] = []
    if isinstance(value, (list, tuple)):
        items = list(enumerate(value))
    elif isinstance(value, dict):
        items = list(value.items())
    if not items:
        return options["inverse"](this)
    result = strlist()
    last = len(items) - 1
    for index, (key, item) in enumerate(items):
        scope = Scope(item, this, options["root"], index=index, key=key)
        scope.first, scope.last = index == 0, index == last
        result.grow(options["fn"](scope))
    return result


def _block_helper_missing(this: Any, options: Options, value: Any = None, **_: Any) -> Any:
    """`{{#name}}` for a value that is not a helper: Handlebars.js's blockHelperMissing."""
    value = _defined(value)
    if value is True:
        return options["fn"](this)
    if value is False or value is None:
        return options["inverse"](this)
    if isinstance(value, (list, tuple)):
        return _each_helper(this, options, value) if value else options["inverse"](this)
    return options["fn"](Scope(value, this, options["root"]))


def _lookup(_this: Any, value: Any = MISSING, field: Any = None, *_: Any, **__: Any) -> Any:
    """`{{lookup obj field}}`: a falsy obj is returned as it is."""
    if value is MISSING:
        raise HelperError("Cannot read properties of undefined (reading 'lookupProperty')")
    if not js_truthy(value):
        return value
    key = js_string(field) if not isinstance(field, str) else field
    if isinstance(value, (dict, list)):
        container: Any = js_values(value)  # JavaScript lookups: a missing key is undefined
        return container[key]
    return None


def _print(_this: Any, value: Any = None, *_: Any, **__: Any) -> str:
    return js_string(_defined(value))


def _defined(value: Any) -> Any:
    """The scope holds no functions: a callable is a Python attribute pybars3 found
    (`{{s.upper}}`), undefined in Handlebars.js."""
    return None if callable(value) else value


HELPERS: dict[str, Callable[..., Any]] = {
    "escape_string": escape_string,
    "escape_multiline_string": escape_multiline_string,
    "to_json": to_json,
    "url_encode": url_encode,
    "contains": contains,
    "if": _if,
    "unless": _unless,
    "with": _with,
    "each": _each_helper,
    "blockHelperMissing": _block_helper_missing,
    "lookup": _lookup,
}
PRINT = "_fleetpkg_print"  # prints a value as String(value)
TEXT = "_fleetpkg_text"  # the template's literal text number N
MISSING_HELPER = "_fleetpkg_missing_helper"  # raises Missing helper: "name" (text number N)
INLINE = {"contains": "_fleetpkg_contains_inline"}
KNOWN = {*HELPERS, "lookup", "log", "helperMissing"}
SCOPING = {"each", "with"}  # blocks that give their body a new `this`


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


def template_context(
    variables: dict[str, Any], yaml_vars: set[str], meta: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fleet's buildTemplateVariables: the template's scope and the yaml placeholders' values."""
    context: dict[str, Any] = {}
    yaml_values: dict[str, Any] = {}
    for name, value in variables.items():
        if name in yaml_vars:
            placeholder = f"##{name}##"
            context[name] = f'"{placeholder}"' if value else None
            yaml_values[placeholder] = _load_yaml(name, value) if value else None
        else:
            context[name] = value
    scope = _nest(context)
    if meta is not None:
        scope["_meta"] = meta
    return scope, yaml_values


def render_text(template: str, scope: dict[str, Any]) -> str:
    """The text Handlebars.js renders from `template` with Fleet's helpers and noEscape."""
    try:
        program = parse(template)
    except HbsError as err:
        loc = Location("template", err.line, err.col)
        raise FleetpkgError([Problem(loc, f"Handlebars: {err.message}")]) from None
    emitter = _Emitter()
    source = emitter.program(program)
    helpers: dict[str, Callable[..., Any]] = {
        **HELPERS,
        PRINT: _print,
        INLINE["contains"]: contains_inline,
        TEXT: lambda _this, n: emitter.texts[n],
        MISSING_HELPER: lambda _this, n: _missing_helper(emitter.texts[n]),
    }
    try:
        compiled = _Compiler().compile(source)
        return str(compiled(js_values(scope), helpers=helpers))
    except Exception as err:  # pybars and the helpers raise plain exceptions
        raise FleetpkgError([Problem(Location("template"), f"Handlebars: {err}")]) from None


def _missing_helper(name: str) -> str:
    raise HelperError(f'Missing helper: "{name}"')


class _Compiler(pybars.Compiler):  # type: ignore[misc]
    """pybars3 without its own whitespace rules: the parser has applied Handlebars.js's."""

    def whitespace_control(self, source: str) -> str:
        return source


class _Emitter:
    """Writes the parsed template back as a template pybars3 renders the same way."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        # per enclosing block: its block parameters (item, key) and whether it gives a new this
        self.blocks: list[tuple[list[str], bool]] = []

    def program(self, program: Program | None) -> str:
        return "".join(self.node(n) for n in program.body) if program else ""

    def node(self, node: Any) -> str:
        if isinstance(node, Content):
            if not node.value:
                return ""
            self.texts.append(node.value)
            return f"{{{{{{{TEXT} {len(self.texts) - 1}}}}}}}"
        if isinstance(node, Comment):
            return ""
        if isinstance(node, Mustache):
            return "" if node.decorator else "{{{" + self.mustache(node) + "}}}"
        if isinstance(node, Partial):
            raise FleetpkgError(
                [Problem(Location("template"), "Handlebars: Fleet registers no partials")]
            )
        assert isinstance(node, Block)
        if node.kind == "decorator_block":
            return ""
        if node.kind == "partial_block":  # the partial is missing: its block renders
            return self.program(node.program)
        open_ = self.rename(BLOCK_PARAMS.sub("", node.source))
        head = open_.split()[0]
        if head not in KNOWN and (node.params or node.hash):  # Handlebars.js: helperMissing
            self.texts.append(head)
            return f"{{{{{{{MISSING_HELPER} {len(self.texts) - 1}}}}}}}"
        params = node.program.block_params if node.program else []
        self.blocks.append((params, head in SCOPING or head not in KNOWN))
        body = self.program(node.program)
        self.blocks.pop()
        inverse = "{{else}}" + self.program(node.inverse) if node.inverse else ""
        return "{{#" + open_ + "}}" + body + inverse + "{{/" + head + "}}"

    def mustache(self, node: Mustache) -> str:
        source = self.rename(node.source)
        head, *rest = re.split(r"\s+", source, maxsplit=1)
        if node.params or node.hash or head in INLINE:
            return " ".join([INLINE.get(head, head), *rest])
        if node.path.kind in ("path", "data") and head not in KNOWN:
            return f"{PRINT} {self.rename(_path_text(node.path))}"
        return source

    def rename(self, body: str) -> str:
        """References to enclosing block parameters become `this` (`../` per scope between)."""
        names: dict[str, str] = {}
        depth = 0
        for params, scoping in reversed(self.blocks):
            if params:
                names.setdefault(params[0], "../" * depth + "this")
            if len(params) > 1 and depth == 0:
                names.setdefault(params[1], "@key")  # each's second parameter: index or key
            if scoping:
                depth += 1

        def swap(token: str) -> str:
            if token[:1] in "\"'":
                return token
            lead = token[: len(token) - len(token.lstrip("("))]
            path = token[len(lead) :]
            if path.startswith("../") and len(re.match(r"(\.\./)*", path)[0]) // 3 > depth:  # type: ignore[index]
                return lead + "undefined"  # above the root: undefined in Handlebars.js
            head, dot, rest = path.partition(".")
            if head in names:
                return lead + names[head] + (dot + rest if dot else "")
            return token

        renamed = re.sub(r"\"[^\"]*\"|'[^']*'|[^\s)=]+", lambda t: swap(t.group(0)), body)
        return re.sub(r"\(\s*contains(?=\s)", "(" + INLINE["contains"], renamed)  # (contains …)


def _path_text(path: Expr) -> str:
    """A path as pybars3 reads it: a segment Handlebars.js allows and pybars3 does not (`k:`,
    `a$`) in brackets."""
    parts = [p if re.fullmatch(r"[\w-]+", p) else f"[{p}]" for p in path.parts]
    text = "../" * path.depth + (".".join(parts) if parts else "this")
    return ("@" if path.kind == "data" else "") + text


FLOW_UNDER_KEY = re.compile(r"^(\S[^\n]*:)\s*\n(\[.*\]|\{.*\})\s*$", re.M)
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def fold_quoted_newlines(text: str) -> str:
    """Fleet's step before the yaml vars: in a double-quoted string spanning lines, each run of
    n line breaks becomes n-1 `\\n` escapes (what YAML folding would keep).

    The pattern pairs quotes across lines, as Fleet's does: a lone `"` in a block scalar can
    pair with one on a later line, and the lines between are joined.
    """

    def fold(match: re.Match[str]) -> str:
        quoted = match.group(0)
        if "\n" not in quoted:
            return quoted
        return re.sub(r"\n+", lambda run: "\\n" * (len(run.group(0)) - 1), quoted)

    return QUOTED.sub(fold, text)


def compile_template(
    template: str,
    variables: dict[str, Any],
    yaml_vars: set[str],
    meta: dict[str, Any] | None = None,
) -> Any:
    """Render `template` with `variables` as Fleet's compileTemplate does.

    `meta` is Fleet's `_meta` (package, stream and input ids). Returns (parsed YAML, text).
    """
    scope, yaml_values = template_context(variables, yaml_vars, meta)
    text = fold_quoted_newlines(render_text(template, scope))
    for placeholder, value in yaml_values.items():
        # JavaScript truthiness: an empty list or map is written ("[]", "{}"), as Fleet does
        dumped = ""
        if js_truthy(value):
            dumped = yaml.safe_dump(value, sort_keys=False, default_flow_style=False)
            dumped = dumped.removesuffix("...\n")  # a scalar: no document end, as `yaml` writes
        text = re.compile(f'^"{re.escape(placeholder)}"', re.M).sub(_const(dumped), text)
    if yaml_values:  # Fleet: a flow value at column 1 under a key goes on the key's line
        text = FLOW_UNDER_KEY.sub(r"\1 \2", text)
    try:
        parsed = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as err:
        message = f"rendered template is not valid YAML: {err}"
        raise FleetpkgError([Problem(Location("template"), message)]) from None
    if isinstance(parsed, dict):
        for key, value in list(parsed.items()):
            if value is None and isinstance(scope.get(key), str) and not scope[key].strip():
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
