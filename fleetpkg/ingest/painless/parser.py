"""Parse Painless source into the AST of nodes.py (lark LALR parser + custom lexer)."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, UnexpectedToken

from . import nodes as n
from .errors import CompileFailure
from .lexer import PainlessLexer, tokenize, unescape_string

_BINARY_OPS = {"=~", "==~"}


def _pos(x: Any) -> int:
    if isinstance(x, Token):
        return x.start_pos or 0
    if isinstance(x, n.Node):
        return x.pos
    return 0


def _number(tok: Token) -> n.Literal:
    text, pos = str(tok), _pos(tok)
    low = text.lower()
    if low.startswith("0x"):
        is_long = low.endswith("l")
        value = int(low[2:].rstrip("l"), 16)
        return _int_literal(value, "long" if is_long else "int", text, pos, hexa=True)
    if low[-1] in "fd":
        return n.Literal(pos, float(low[:-1]), "float" if low[-1] == "f" else "double")
    if "." in low or "e" in low:
        return n.Literal(pos, float(low), "double")
    if low.endswith("l"):
        return _int_literal(
            int(low[:-1], 8 if len(low) > 2 and low[0] == "0" else 10), "long", text, pos
        )
    base = 8 if len(low) > 1 and low[0] == "0" else 10
    return _int_literal(int(low, base), "int", text, pos)


def _int_literal(value: int, typ: str, text: str, pos: int, hexa: bool = False) -> n.Literal:
    bits = 32 if typ == "int" else 64
    if hexa and value < (1 << bits) and value >= 1 << (bits - 1):
        value -= 1 << bits  # hex literals spell the two's complement bits
    return n.Literal(pos, value, typ, text)  # the compiler checks the range


@v_args(inline=True)
class _ToAst(Transformer[Token, Any]):
    # ---- top level / statements ----
    def start(self, *items: Any) -> n.Script:
        funcs = [f for f in items[:-1]]
        return n.Script(0, funcs, items[-1])

    def function(self, rtype: str, name: Token, *rest: Any) -> n.Function:
        params = [p for p in rest[:-1] if p is not None]
        return n.Function(_pos(name), rtype, str(name), params, rest[-1])

    def param(self, typ: str, name: Token) -> tuple[str, str]:
        return (typ, str(name))

    def block(self, stmts: list[n.Node]) -> n.Block:
        return n.Block(stmts[0].pos if stmts else 0, stmts)

    def stmts(self, *items: Any) -> list[n.Node]:
        return [s for s in items if s is not None]

    def empty(self) -> n.Empty:
        return n.Empty(0)

    def if_(self, kw: Token, cond: n.Node, then: n.Node, _e: Any, other: Any) -> n.If:
        return n.If(_pos(kw), cond, then, other)

    def while_(self, kw: Token, cond: n.Node, body: n.Node) -> n.While:
        return n.While(_pos(kw), cond, body)

    def for_(self, kw: Token, init: Any, cond: Any, after: Any, body: n.Node) -> n.For:
        if init is not None and not isinstance(init, n.Decl):
            init = n.ExprStmt(init.pos, init)
        return n.For(_pos(kw), init, cond, after, body)

    def each(self, kw: Token, typ: str, name: Token, it: n.Node, body: n.Node) -> n.ForEach:
        return n.ForEach(_pos(kw), typ, str(name), it, body)

    def ineach(self, kw: Token, name: Token, _in: Token, it: n.Node, body: n.Node) -> n.ForEach:
        return n.ForEach(_pos(kw), "def", str(name), it, body)

    def try_(self, kw: Token, body: n.Block, *catches: n.Catch) -> n.Try:
        return n.Try(_pos(kw), body, list(catches))

    def catch(self, kw: Token, typ: Token, name: Token, body: n.Block) -> n.Catch:
        return n.Catch(_pos(kw), str(typ), str(name), body)

    def dowhile(self, kw: Token, body: n.Block, _w: Token, cond: n.Node) -> n.DoWhile:
        return n.DoWhile(_pos(kw), body, cond)

    def continue_(self, kw: Token) -> n.Continue:
        return n.Continue(_pos(kw))

    def break_(self, kw: Token) -> n.Break:
        return n.Break(_pos(kw))

    def return_(self, kw: Token, value: Any) -> n.Return:
        return n.Return(_pos(kw), value)

    def throw(self, kw: Token, value: n.Node) -> n.Throw:
        return n.Throw(_pos(kw), value)

    def exprstmt(self, e: n.Node) -> n.ExprStmt:
        return n.ExprStmt(e.pos, e)

    def declaration(self, typ: str, *decls: tuple[str, Any, int]) -> n.Decl:
        return n.Decl(decls[0][2], typ, list(decls))

    def declvar(self, name: Token, _a: Any, init: Any) -> tuple[str, Any, int]:
        return (str(name), init, _pos(name))

    def decltype(self, typ: Token, *dims: Token) -> str:
        return str(typ) + "[]" * len(dims)

    # ---- expressions ----
    def assign(self, target: n.Node, op: Token, value: n.Node) -> n.Assign:
        return n.Assign(_pos(op), target, str(op), value)

    def ternary(self, cond: n.Node, q: Token, then: n.Node, other: n.Node) -> n.Ternary:
        return n.Ternary(_pos(q), cond, then, other)

    def elvis(self, left: n.Node, op: Token, right: n.Node) -> n.Elvis:
        return n.Elvis(_pos(op), left, right)

    def logical(self, left: n.Node, op: Token, right: n.Node) -> n.Logical:
        return n.Logical(_pos(op), str(op), left, right)

    def binary(self, left: n.Node, op: Token, right: n.Node) -> n.Binary:
        return n.Binary(_pos(op), str(op), left, right)

    def instanceof(self, operand: n.Node, kw: Token, typ: str) -> n.InstanceOf:
        return n.InstanceOf(_pos(kw), operand, typ)

    def preinc(self, op: Token, target: n.Node) -> n.IncDec:
        return n.IncDec(_pos(op), target, str(op), True)

    def postinc(self, target: n.Node, op: Token) -> n.IncDec:
        return n.IncDec(_pos(op), target, str(op), False)

    def unary(self, op: Token, operand: n.Node) -> n.Node:
        if str(op) == "-" and isinstance(operand, n.Literal) and operand.type in _NUMERIC:
            return n.Literal(_pos(op), -operand.value, operand.type, "-" + operand.text)
        return n.Unary(_pos(op), str(op), operand)

    def cast(self, typ: str, operand: n.Node) -> n.Cast:
        return n.Cast(operand.pos, typ, operand)

    def field(self, obj: n.Node, name: Token) -> n.Field:
        return n.Field(_pos(name) - 1, obj, str(name))  # ES points at the dot

    def nsfield(self, obj: n.Node, name: Token) -> n.Field:
        return n.Field(_pos(name) - 2, obj, str(name), True)

    def call(self, obj: n.Node, name: Token, args: list[n.Node]) -> n.Call:
        return n.Call(_pos(name) - 1, obj, str(name), args)

    def nscall(self, obj: n.Node, name: Token, args: list[n.Node]) -> n.Call:
        return n.Call(_pos(name) - 2, obj, str(name), args, True)

    def index(self, obj: n.Node, br: Token, idx: n.Node) -> n.Index:
        return n.Index(_pos(br), obj, idx)

    def number(self, tok: Token) -> n.Literal:
        return _number(tok)

    def string(self, tok: Token) -> n.Literal:
        return n.Literal(_pos(tok), unescape_string(str(tok), _pos(tok)), "String")

    def regex(self, tok: Token) -> n.Regex:
        text = str(tok)
        end = text.rindex("/")
        return n.Regex(_pos(tok), text[1:end], text[end + 1 :])

    def true(self, tok: Token) -> n.Literal:
        return n.Literal(_pos(tok), True, "boolean")

    def false(self, tok: Token) -> n.Literal:
        return n.Literal(_pos(tok), False, "boolean")

    def null(self, tok: Token) -> n.Literal:
        return n.Literal(_pos(tok), None, "null")

    def var(self, tok: Token) -> n.Var:
        return n.Var(_pos(tok), str(tok))

    def localcall(self, name: Token, args: list[n.Node]) -> n.LocalCall:
        return n.LocalCall(_pos(name), str(name), args)

    def staticfield(self, typ: Token, name: Token) -> n.StaticField:
        return n.StaticField(_pos(name), str(typ), str(name))

    def staticcall(self, typ: Token, name: Token, args: list[n.Node]) -> n.StaticCall:
        return n.StaticCall(_pos(name), str(typ), str(name), args)

    def newobj(self, kw: Token, typ: Token, args: list[n.Node]) -> n.New:
        return n.New(_pos(kw), str(typ), args)

    def newarray(self, kw: Token, typ: Token, *dims: n.Node) -> n.NewArray:
        return n.NewArray(_pos(kw), str(typ), list(dims))

    def dimexpr(self, _b: Token, size: n.Node) -> n.Node:
        return size

    def newarrayinit(self, kw: Token, typ: Token, _b: Token, *items: Any) -> n.NewArray:
        return n.NewArray(_pos(kw), str(typ), [], [i for i in items if i is not None])

    def listinit(self, br: Token, *items: n.Node) -> n.ListInit:
        return n.ListInit(_pos(br), list(items))

    def mapinit(self, br: Token, *items: tuple[n.Node, n.Node]) -> n.MapInit:
        return n.MapInit(_pos(br), list(items))

    def mapentry(self, k: n.Node, v: n.Node) -> tuple[n.Node, n.Node]:
        return (k, v)

    def arguments(self, *args: Any) -> list[n.Node]:
        return [a for a in args if a is not None]

    def lambda_(self, *items: Any) -> n.Lambda:
        raise NotImplementedError  # replaced below (lark rule name `lambda` is a keyword)

    def lparam(self, typ: Any, name: Token) -> tuple[str, str]:
        return (typ or "def", str(name))

    def funcref(self, owner: Token, _r: Token, name: Token) -> n.FuncRef:
        return n.FuncRef(_pos(owner), str(owner), str(name), owner.type == "ID")


_NUMERIC = ("int", "long", "float", "double")


def _lambda(self: _ToAst, *items: Any) -> n.Lambda:
    head, body = items[0], items[-1]
    arrow = items[-2]
    if isinstance(head, str) and not isinstance(head, Token):  # `int x -> ...`
        params = [(head, str(items[1]))]
    elif head.type == "LAMBDA_ID":
        params = [("def", str(head))]
    else:
        params = [p for p in items[1:-2] if p is not None]
    return n.Lambda(_pos(arrow), params, body)


setattr(_ToAst, "lambda", v_args(inline=True)(_lambda))


@cache
def _parser() -> Lark:
    grammar = (Path(__file__).parent / "painless.lark").read_text()
    return Lark(grammar, parser="lalr", lexer=PainlessLexer, transformer=_ToAst())


def statement_starts(source: str) -> list[int]:
    """Offsets where statements begin (for ES-style script_stack excerpts)."""
    try:
        toks = tokenize(source)
    except CompileFailure:
        return [0]
    starts = [0]
    for prev, tok in itertools.pairwise(toks):
        if prev.type in ("_SEMI", "_LBRACE", "_RBRACE"):
            starts.append(tok.start_pos or 0)
    return starts


def parse(source: str) -> n.Script:
    try:
        tree = _parser().parse(source)
    except UnexpectedToken as e:
        tok = e.token
        if tok.type == "$END":
            raise CompileFailure("unexpected end of script.", len(source)) from None
        raise CompileFailure(f"invalid sequence of tokens near ['{tok}'].", _pos(tok)) from None
    except UnexpectedInput as e:
        raise CompileFailure("invalid sequence of tokens.", e.pos_in_stream or 0) from None
    assert isinstance(tree, n.Script)
    tree.statement_starts = statement_starts(source)
    return tree
