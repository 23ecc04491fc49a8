"""AST of a Painless script (produced by parser.py, consumed by the compiler)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Node:
    pos: int


# ---- expressions -------------------------------------------------------------------------
@dataclass(slots=True)
class Literal(Node):
    value: Any
    type: str  # static type: int, long, float, double, String, boolean, null
    text: str = ""  # source spelling of numbers (for range errors)


@dataclass(slots=True)
class Regex(Node):
    pattern: str
    flags: str


@dataclass(slots=True)
class Var(Node):
    name: str


@dataclass(slots=True)
class Field(Node):
    obj: Node
    name: str
    nullsafe: bool = False


@dataclass(slots=True)
class Index(Node):
    obj: Node
    index: Node


@dataclass(slots=True)
class Call(Node):
    obj: Node
    name: str
    args: list[Node]
    nullsafe: bool = False


@dataclass(slots=True)
class LocalCall(Node):
    name: str
    args: list[Node]


@dataclass(slots=True)
class StaticField(Node):
    type: str
    name: str


@dataclass(slots=True)
class StaticCall(Node):
    type: str
    name: str
    args: list[Node]


@dataclass(slots=True)
class New(Node):
    type: str
    args: list[Node]


@dataclass(slots=True)
class NewArray(Node):
    type: str  # element type
    dims: list[Node]
    init: list[Node] | None = None


@dataclass(slots=True)
class ListInit(Node):
    items: list[Node]


@dataclass(slots=True)
class MapInit(Node):
    items: list[tuple[Node, Node]]


@dataclass(slots=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(slots=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class Logical(Node):
    op: str  # && or ||
    left: Node
    right: Node


@dataclass(slots=True)
class Elvis(Node):
    left: Node
    right: Node


@dataclass(slots=True)
class Ternary(Node):
    cond: Node
    then: Node
    other: Node


@dataclass(slots=True)
class Assign(Node):
    target: Node
    op: str  # "=" or "+=" ...
    value: Node


@dataclass(slots=True)
class IncDec(Node):
    target: Node
    op: str  # ++ or --
    prefix: bool


@dataclass(slots=True)
class Cast(Node):
    type: str
    operand: Node


@dataclass(slots=True)
class InstanceOf(Node):
    operand: Node
    type: str


@dataclass(slots=True)
class Lambda(Node):
    params: list[tuple[str, str]]  # (type, name)
    body: Node  # Block or expression


@dataclass(slots=True)
class FuncRef(Node):
    owner: str  # a type name, "this" or a variable (capturing reference)
    name: str
    capturing: bool = False


# ---- statements --------------------------------------------------------------------------
@dataclass(slots=True)
class Block(Node):
    stmts: list[Node]


@dataclass(slots=True)
class ExprStmt(Node):
    expr: Node


@dataclass(slots=True)
class Decl(Node):
    type: str
    vars: list[tuple[str, Node | None, int]]  # (name, init, pos)


@dataclass(slots=True)
class If(Node):
    cond: Node
    then: Node
    other: Node | None


@dataclass(slots=True)
class While(Node):
    cond: Node
    body: Node | None


@dataclass(slots=True)
class DoWhile(Node):
    body: Node
    cond: Node


@dataclass(slots=True)
class For(Node):
    init: Node | None
    cond: Node | None
    after: Node | None
    body: Node | None


@dataclass(slots=True)
class ForEach(Node):
    type: str
    name: str
    iterable: Node
    body: Node | None


@dataclass(slots=True)
class Return(Node):
    value: Node | None


@dataclass(slots=True)
class Break(Node):
    pass


@dataclass(slots=True)
class Continue(Node):
    pass


@dataclass(slots=True)
class Throw(Node):
    value: Node


@dataclass(slots=True)
class Catch(Node):
    type: str
    name: str
    body: Block


@dataclass(slots=True)
class Try(Node):
    body: Block
    catches: list[Catch]


@dataclass(slots=True)
class Empty(Node):
    pass


@dataclass(slots=True)
class Function(Node):
    rtype: str
    name: str
    params: list[tuple[str, str]]
    body: Block


@dataclass(slots=True)
class Script(Node):
    functions: list[Function]
    stmts: list[Node]
    statement_starts: list[int] = field(default_factory=list)
