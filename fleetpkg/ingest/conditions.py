"""Specialised closures for the common shapes of processor ``if`` conditions.

ES compiles each condition once; so do we, and for the shapes pipelines use most we also build a
closure that reads the document directly instead of running the general Painless machinery:

* field chains on ``ctx`` (``ctx.a?.b.c``) through plain maps,
* ``chain == null`` / ``!= null``, ``chain == 'lit'`` / ``!=``, ``chain < 400`` (and ``<=``, ``>``,
  ``>=``) with numeric constants, ``chain instanceof T``,
* pure boolean methods with string literal arguments (``ctx.tags.contains('x')``),
* ``&&``, ``||`` and ``!`` of those.

A specialised closure returns ``FALLBACK`` whenever a value is not one of the plain shapes it
handles (a null in a non-null-safe step, a list, a boxed number, ...). Everything it evaluates is
side-effect free, so the general script then runs from scratch and produces ES's exact result or
error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .document import INGEST_PREFIX, METADATA_KEYS

if TYPE_CHECKING:
    from .document import IngestDocument
    from .painless import nodes as n

FALLBACK: Any = object()
Test = Callable[["IngestDocument"], Any]  # True, False or FALLBACK
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_MIRROR = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_PURE_METHODS = frozenset(
    {"contains", "containsKey", "startsWith", "endsWith", "equals", "equalsIgnoreCase", "isEmpty"}
)


def specialise(source: str) -> Test | None:
    """A direct closure for ``source`` (already compiled by the general path), if its shape
    is one of the common ones; None otherwise."""
    from .painless import nodes as n
    from .painless.parser import parse

    try:
        tree = parse(source)
    except Exception:
        return None
    if tree.functions or len(tree.stmts) != 1 or not isinstance(tree.stmts[0], n.ExprStmt):
        return None
    return _boolean(tree.stmts[0].expr)


def _boolean(node: n.Node) -> Test | None:
    from .painless import nodes as n

    if isinstance(node, n.Logical):
        return _logical(node)
    if isinstance(node, n.Unary) and node.op == "!":
        return _negation(node)
    if isinstance(node, n.Binary):
        return _binary(node)
    if isinstance(node, n.InstanceOf):
        return _instance_of(node)
    if isinstance(node, n.Call):
        return _pure_call(node)
    value = _chain(node)
    if value is None:
        return None

    def boolean_field(doc: IngestDocument) -> Any:
        v = value(doc)
        return v if v is True or v is False else FALLBACK

    return boolean_field


def _logical(node: n.Logical) -> Test | None:
    left, right = _boolean(node.left), _boolean(node.right)
    if left is None or right is None:
        return None
    short = node.op == "||"  # the left value that decides without evaluating the right

    def logical(doc: IngestDocument) -> Any:
        a = left(doc)
        if a is short or a is FALLBACK:
            return a
        return right(doc)

    return logical


def _negation(node: n.Unary) -> Test | None:
    operand = _boolean(node.operand)
    if operand is None:
        return None

    def negation(doc: IngestDocument) -> Any:
        v = operand(doc)
        return v if v is FALLBACK else not v

    return negation


def _literal(node: n.Node) -> n.Literal | None:
    from .painless import nodes as n

    return node if isinstance(node, n.Literal) else None


def _binary(node: n.Binary) -> Test | None:
    op, left, right = node.op, node.left, node.right
    if _literal(left) is not None and _literal(right) is None:
        left, right = right, left
        op = _MIRROR.get(op, op)
    literal, value = _literal(right), _chain(left)
    if literal is None or value is None:
        return None
    if op in ("==", "!=") and literal.type == "null":
        return _null_check(value, op == "==")
    if op in ("==", "!=") and literal.type == "String" and type(literal.value) is str:
        return _string_equals(value, literal.value, op == "==")
    numeric = literal.type in ("int", "double") and type(literal.value) in (int, float)
    if op in _COMPARE and numeric:
        return _compare(value, _COMPARE[op], literal.value)
    return None


def _null_check(value: Test, want_null: bool) -> Test:
    def null_check(doc: IngestDocument) -> Any:
        v = value(doc)
        if v is FALLBACK:
            return v
        return (v is None) is want_null

    return null_check


def _string_equals(value: Test, text: str, equal: bool) -> Test:
    def string_equals(doc: IngestDocument) -> Any:
        v = value(doc)
        if v is None:
            return not equal
        if type(v) is str:
            return (v == text) is equal
        return FALLBACK

    return string_equals


def _compare(value: Test, compare: Callable[[Any, Any], bool], constant: Any) -> Test:
    def comparison(doc: IngestDocument) -> Any:
        v = value(doc)
        t = type(v)
        if t is int or t is float:
            return compare(v, constant)
        return FALLBACK

    return comparison


def _instance_of(node: n.InstanceOf) -> Test | None:
    from .painless.jtypes import instance_of

    value, typ = _chain(node.operand), node.type
    if value is None:
        return None

    def instance_check(doc: IngestDocument) -> Any:
        v = value(doc)
        return v if v is FALLBACK else instance_of(v, typ)

    return instance_check


def _pure_call(node: n.Call) -> Test | None:
    from .painless.runtime.registry import find_method

    args = [_literal(a) for a in node.args]
    if node.nullsafe or node.name not in _PURE_METHODS:
        return None
    if not all(a is not None and a.type == "String" for a in args):
        return None
    value, name, argv = _chain(node.obj), node.name, tuple(a.value for a in args if a)
    if value is None:
        return None

    def pure_call(doc: IngestDocument) -> Any:
        v = value(doc)
        if v is None or v is FALLBACK:
            return FALLBACK
        fn = find_method(v, name, len(argv))
        if fn is None:
            return FALLBACK
        try:
            result = fn(v, *argv)
        except Exception:
            return FALLBACK
        return result if result is True or result is False else FALLBACK

    return pure_call


def _chain(node: n.Node) -> Test | None:
    """``ctx.a?.b.c`` read straight from the source; FALLBACK off the plain-map path."""
    from .painless import nodes as n

    steps: list[tuple[str, bool]] = []
    while isinstance(node, n.Field):
        steps.append((node.name, node.nullsafe))
        node = node.obj
    if not (isinstance(node, n.Var) and node.name == "ctx") or not steps:
        return None
    steps.reverse()
    (first, _), rest = steps[0], tuple(steps[1:])
    if first in METADATA_KEYS or first == INGEST_PREFIX:
        return None  # ctx's view of metadata and _ingest: left to the general path

    def chain(doc: IngestDocument) -> Any:
        x = doc.source.get(first)
        for name, nullsafe in rest:
            if type(x) is dict:
                x = x.get(name)
            elif x is not None or not nullsafe:
                return FALLBACK
        return x

    return chain
