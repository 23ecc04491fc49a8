"""Painless' wording for expressions in 'not a statement' / 'invalid assignment' errors."""

from __future__ import annotations

from . import nodes as n

_OPS = {
    "+": "addition", "-": "subtraction", "*": "multiplication", "/": "division",
    "%": "remainder", "<<": "left shift", ">>": "right shift", ">>>": "unsigned right shift",
    "&": "bitwise and", "^": "bitwise xor", "|": "bitwise or", "==": "equals",
    "!=": "not equals", "===": "reference equals", "!==": "reference not equals",
    "<": "less than", "<=": "less than or equals", ">": "greater than",
    ">=": "greater than or equals", "=~": "find", "==~": "match", "&&": "boolean and",
    "||": "boolean or", "!": "boolean not", "~": "bitwise not",
}  # fmt: skip

STATEMENT_NODES = (n.Assign, n.IncDec, n.Call, n.LocalCall, n.StaticCall, n.New)


def _literal(node: n.Literal) -> str:
    if node.type == "null":
        return "null constant"
    if node.type == "boolean":
        return f"boolean constant [{'true' if node.value else 'false'}]"
    if node.type == "String":
        return f"string constant [{node.value}]"
    kind = "numeric" if node.type in ("int", "long") else "decimal"
    return f"{kind} constant [{node.value}]"


def describe(node: n.Node) -> str:
    """'result not used from X' style description (without the prefix)."""
    if isinstance(node, (n.Binary, n.Logical, n.Unary)):
        return f"result not used from {_OPS.get(node.op, node.op)} operation [{node.op}]"
    simple = {
        n.Ternary: "result not used from conditional operation [?:]",
        n.Elvis: "result not used from elvis operation [?:]",
        n.ListInit: "result not used from list initializer",
        n.MapInit: "result not used from map initializer",
        n.NewArray: "result not used from new array",
        n.Index: "result of brace operator not used",
        n.Field: "result of dot operator [.] not used",
        n.StaticField: "result of dot operator [.] not used",
    }
    if type(node) in simple:
        return simple[type(node)]
    if isinstance(node, (n.Cast, n.InstanceOf)):
        kind = "explicit cast" if isinstance(node, n.Cast) else "instanceof"
        return f"result not used from {kind} with target type [{node.type}]"
    if isinstance(node, n.Literal):
        return _literal(node) + " not used"
    if isinstance(node, n.Regex):
        return f"regex constant [{node.pattern}] with flags [{node.flags}] not used"
    if isinstance(node, n.Var):
        return f"variable [{node.name}] not used"
    return "result not used"


def target_name(node: n.Node) -> str:
    """How 'invalid assignment: cannot assign a value to X' names a non-assignable node."""
    if isinstance(node, (n.Binary, n.Logical, n.Unary)):
        return f"{_OPS.get(node.op, node.op)} operation [{node.op}]"
    if isinstance(node, n.Literal):
        return _literal(node)
    if isinstance(node, n.Regex):
        return f"regex constant [{node.pattern}] with flags [{node.flags}]"
    if isinstance(node, n.LocalCall):
        return f"function call [{node.name}/{len(node.args)}]"
    if isinstance(node, (n.Call, n.StaticCall)):
        return f"method call [{node.name}/{len(node.args)}]"
    if isinstance(node, n.New):
        return f"new object with constructor [{node.type}/{len(node.args)}]"
    text = describe(node)
    return text.removeprefix("result not used from ").removeprefix("result of ")
