"""YAML read the way Go's gopkg.in/yaml.v3 reads it into ``interface{}``, with marks.

This is how elastic-package and Fleet's Go side read a package's files, so every reader of a
built package (``fleetpkg.packagedir``) uses it.

Only ``true``/``false`` (any case form yaml.v3 accepts) are booleans; ``yes``/``no``/``on``/``off``
stay strings; timestamps stay strings; integers follow Go's base-0 ``ParseInt`` rules.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_PLAIN = "tag:fleetpkg:plain"
_MERGE = "tag:yaml.org,2002:merge"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INF = frozenset({".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
_NEG_INF = frozenset({"-.inf", "-.Inf", "-.INF"})
_NAN = frozenset({".nan", ".NaN", ".NAN"})
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"([Tt ]+[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?[ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)?$"
)


class YamlError(Exception):
    """A YAML file that cannot be read; ``line`` and ``col`` are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class _Resolver(yaml.resolver.BaseResolver):
    """Tags plain scalars for our own resolution; everything else keeps its explicit tag."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            return _MERGE if value == "<<" else _PLAIN
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Resolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)


def _go_int(text: str) -> int | None:
    if not _INT.match(text):
        return None
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    prefix = digits[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        return sign * int(digits[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
    if len(digits) > 1 and digits.startswith("0"):
        return sign * int(digits[1:], 8)
    return sign * int(digits)


def resolve_plain(text: str) -> Any:
    """The value yaml.v3 gives an untagged plain scalar decoded into ``interface{}``."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _INF:
        return math.inf
    if text in _NEG_INF:
        return -math.inf
    if text in _NAN:
        return math.nan
    if _TIMESTAMP.match(text):
        return text
    plain = text.replace("_", "")
    number = _go_int(plain)
    if number is not None:
        return number
    if _FLOAT.match(plain):
        return float(plain)
    return text


def _explicit(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _PLAIN:
        return resolve_plain(value)
    if tag.endswith(":int") or tag.endswith(":float") or tag.endswith(":null"):
        return resolve_plain(value)
    if tag.endswith(":bool"):
        return resolve_plain(value) if value in _TRUE | _FALSE else value
    return value


@dataclass(frozen=True, slots=True)
class Loaded:
    """A parsed file: its value and the 1-based line where each node (by JSON pointer) starts."""

    value: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, *parts: str | int) -> int:
        """Line of the node at parts, or of its nearest known ancestor (0 when unknown)."""
        for end in range(len(parts), -1, -1):
            found = self.lines.get(pointer(parts[:end]))
            if found is not None:
                return found
        return 0


def pointer(parts: tuple[str | int, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class _Builder:
    def __init__(self) -> None:
        self.lines: dict[str, int] = {}
        self.constructor = SafeConstructor()

    def build(self, node: Node, parts: tuple[str | int, ...]) -> Any:
        self.lines[pointer(parts)] = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            return self._mapping(node, parts)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*parts, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return _explicit(node)

    def _mapping(self, node: MappingNode, parts: tuple[str | int, ...]) -> dict[str, Any]:
        self.constructor.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _explicit(key_node) if isinstance(key_node, ScalarNode) else key_node.value
            name = _key_string(key)
            if name in out:
                mark = key_node.start_mark
                message = f'mapping key "{name}" already defined'
                raise YamlError(message, mark.line + 1, mark.column + 1)
            out[name] = self.build(value_node, (*parts, name))
        return out


def _key_string(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return ""
    return str(key)


def parse_yaml(text: str) -> Loaded:
    """Parse YAML text like yaml.v3; raise YamlError with a line on invalid input."""
    try:
        node = _Loader(text).get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlError(f"invalid YAML: {err.problem or err.context}", line, col) from None
    except yaml.YAMLError as err:
        raise YamlError(f"invalid YAML: {err}") from None
    if node is None:
        return Loaded(None, {"": 1})
    builder = _Builder()
    try:
        value = builder.build(node, ())
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlError(f"invalid YAML: {err.problem}", line, col) from None
    return Loaded(value, builder.lines)


def as_sent(value: Any) -> Any:
    """The value as Elasticsearch receives it after Go's ``encoding/json`` marshals it.

    Go prints an integral float64 without a fraction (``1.0`` → ``1``), so ES reads a long.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {k: as_sent(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_sent(v) for v in value]
    return value
