"""Compile expression nodes into closures `ev(frame) -> value`, tracking static types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import nodes as n
from . import ops
from .compile_cast import converter, promote
from .errors import CompileFailure, JavaThrowable, from_python, npe
from .jtypes import PRIMITIVES, JLong, f32, instance_of, to_plain
from .runtime.access import get_field, get_index
from .runtime.regex import compile_java_regex, regex_find, regex_matches
from .runtime.registry import CTORS, QUALIFIED, STATIC_FIELDS, find_method, find_static
from .runtime.registry import missing_method as _missing
from .scope import CE, Ev, FnCtx, Frame, FuncInfo

_CCE = "ClassCastException"
_BOOL_OPS = {"==", "!=", "===", "!==", "<", "<=", ">", ">=", "=~", "==~"}


def located(e: Exception, pos: int) -> JavaThrowable:
    """The Java exception for `e`, positioned at `pos` unless an inner node already was."""
    if isinstance(e, JavaThrowable):
        if e.pos is None:
            e.pos = pos
        return e
    return from_python(e, pos)


def guard(ev: Ev, pos: int) -> Ev:
    """Attach a source position to exceptions raised by `ev`."""

    def run(f: Frame) -> Any:
        try:
            return ev(f)
        except Exception as e:
            raise located(e, pos) from e

    return run


def _const(value: Any, typ: str) -> CE:
    return CE(lambda f: value, typ, True, value, value is None and typ == "null")


class ExprCompiler:
    fn: FnCtx
    functions: dict[tuple[str, int], FuncInfo]

    def compile_block_lambda(self, body: n.Block, fc: FnCtx) -> Callable[[Frame], Any]:
        raise NotImplementedError

    # ---- dispatch ----
    def expr(self, node: n.Node, expected: str | None = None) -> CE:
        meth = getattr(self, "e_" + type(node).__name__, None)
        if meth is None:
            raise CompileFailure(f"unexpected expression [{type(node).__name__}].", node.pos)
        ce: CE = meth(node, expected)
        return ce

    def ev(self, node: n.Node, expected: str | None = None) -> Ev:
        return self.expr(node, expected).ev

    # ---- leaves ----
    def e_Literal(self, node: n.Literal, expected: str | None) -> CE:
        v, t = node.value, node.type
        if t == "int" and not -(2**31) <= v < 2**31:
            hint = ""
            if -(2**63) <= v < 2**63:
                hint = f" If you want a long constant then change it to [{node.text}L]."
            raise CompileFailure(f"Invalid int constant [{node.text}].{hint}", node.pos)
        if t == "long":
            if not -(2**63) <= v < 2**63:
                raise CompileFailure(f"Invalid long constant [{node.text}].", node.pos)
            v = JLong(v) if -(2**31) <= v < 2**31 else v
        elif t == "float":
            v = f32(v)
        return _const(v, t)

    def e_Regex(self, node: n.Regex, expected: str | None) -> CE:
        try:
            pat = compile_java_regex(node.pattern, node.flags)
        except JavaThrowable as e:
            offset = node.pos + 1 + (e.pos or 0)  # ES points inside the pattern
            raise CompileFailure(f"Error compiling regex: {e.message}", offset) from None
        return CE(lambda f: pat, "Pattern")

    def e_Var(self, node: n.Var, expected: str | None) -> CE:
        name = node.name
        found = self.fn.resolve(name)
        if found is not None:
            slot, typ = found
            return CE(lambda f: f[slot], typ)
        if name == "ctx":
            return CE(lambda f: f[0].ctx, "Map")
        if name == "params":
            return CE(lambda f: f[0].params, "Map")
        raise CompileFailure(f"cannot resolve symbol [{name}]", node.pos)

    def e_StaticField(self, node: n.StaticField, expected: str | None) -> CE:
        table = STATIC_FIELDS.get(node.type, {})
        if node.name not in table:
            raise CompileFailure(f"Unknown field [{node.name}] for type [{node.type}].", node.pos)
        value = table[node.name]
        typ = {int: "int", float: "double", bool: "boolean", str: "String"}.get(type(value), "def")
        return CE(lambda f: value, "long" if type(value) is JLong else typ)

    # ---- access ----
    def e_Field(self, node: n.Field, expected: str | None) -> CE:
        obj, name, pos = self.ev(node.obj), node.name, node.pos

        if node.nullsafe:

            def run(f: Frame) -> Any:
                x = obj(f)
                if type(x) is dict:
                    return x.get(name)
                try:
                    return None if x is None else get_field(x, name)
                except Exception as e:
                    raise located(e, pos) from e

        else:

            def run(f: Frame) -> Any:
                x = obj(f)
                if type(x) is dict:
                    return x.get(name)
                try:
                    return get_field(x, name)
                except Exception as e:
                    raise located(e, pos) from e

        return CE(run)

    def e_Index(self, node: n.Index, expected: str | None) -> CE:
        obj, idx, pos = self.ev(node.obj), self.ev(node.index), node.pos

        def run(f: Frame) -> Any:
            x, i = obj(f), idx(f)
            try:
                return get_index(x, i)
            except Exception as e:
                raise located(e, pos) from e

        return CE(run)

    # ---- calls ----
    def args(self, nodes: list[n.Node], types: list[str] | None = None) -> list[Ev]:
        out = []
        for i, a in enumerate(nodes):
            exp = types[i] if types else None
            ce = self.expr(a, exp)
            out.append(converter(ce, exp, a.pos) if exp else ce.ev)
        return out

    def e_Call(self, node: n.Call, expected: str | None) -> CE:
        obj, name, nullsafe = self.ev(node.obj), node.name, node.nullsafe
        argv = self.args(node.args)
        nargs = len(argv)

        pos = node.pos

        def run(f: Frame) -> Any:
            x = obj(f)
            if x is None:
                if nullsafe:
                    return None
                raise located(npe(f'Cannot invoke "{name}" on a null value'), pos)
            fn = find_method(x, name, nargs)
            if fn is None:
                raise located(_missing(x, name, nargs), pos)
            args = [a(f) for a in argv]
            try:
                return fn(x, *args)
            except Exception as e:
                raise located(e, pos) from e

        return CE(run)

    def e_LocalCall(self, node: n.LocalCall, expected: str | None) -> CE:
        info = self.functions.get((node.name, len(node.args)))
        if info is None:
            builtin = find_static("<script>", node.name, len(node.args))
            if builtin is None:
                raise CompileFailure(
                    f"Unknown call [{node.name}] with [{len(node.args)}] arguments.", node.pos
                )
            bargs = self.args(node.args)
            return CE(guard(lambda f: builtin(f[0], *[a(f) for a in bargs]), node.pos))
        argv = self.args(node.args, [t for t, _ in info.params])
        impl = info.impl

        pos = node.pos

        def run(f: Frame) -> Any:
            args = [a(f) for a in argv]
            try:
                return impl[0](f[0], args)
            except Exception as e:
                raise located(e, pos) from e

        return CE(run, info.rtype)

    def e_StaticCall(self, node: n.StaticCall, expected: str | None) -> CE:
        fn = find_static(node.type, node.name, len(node.args))
        if fn is None:
            qual = QUALIFIED.get(node.type, node.type)
            raise CompileFailure(
                f"static method [{qual}, {node.name}/{len(node.args)}] not found", node.pos
            )
        argv = self.args(node.args)
        if len(argv) == 1:
            a0 = argv[0]
            return CE(guard(lambda f: fn(a0(f)), node.pos))
        return CE(guard(lambda f: fn(*[a(f) for a in argv]), node.pos))

    def e_New(self, node: n.New, expected: str | None) -> CE:
        table = CTORS.get(node.type, {})
        fn = table.get(len(node.args)) or table.get(-1)
        if fn is None:
            raise CompileFailure(
                f"constructor [{node.type}, <init>/{len(node.args)}] not found", node.pos
            )
        argv = self.args(node.args)
        return CE(guard(lambda f: fn(*[a(f) for a in argv]), node.pos), node.type)

    def e_NewArray(self, node: n.NewArray, expected: str | None) -> CE:
        elem = node.type
        if node.init is not None:
            items = [converter(self.expr(i, elem), elem, i.pos) for i in node.init]
            return CE(lambda f: [to_plain(i(f)) for i in items], elem + "[]")
        sizes = [self.ev(d, "int") for d in node.dims]
        default = {"boolean": False, "char": "\0", "float": 0.0, "double": 0.0}.get(elem)
        if elem in ("byte", "short", "int", "long"):
            default = 0

        def build(dims: list[int]) -> list[Any]:
            if dims[0] < 0:
                raise JavaThrowable("NegativeArraySizeException", str(dims[0]))
            if len(dims) == 1:
                return [default] * dims[0]
            return [build(dims[1:]) for _ in range(dims[0])]

        def run(f: Frame) -> list[Any]:
            return build([s(f) for s in sizes])

        return CE(guard(run, node.pos), elem + "[]" * len(sizes))

    def e_ListInit(self, node: n.ListInit, expected: str | None) -> CE:
        items = [self.ev(i) for i in node.items]
        return CE(lambda f: [to_plain(i(f)) for i in items], "ArrayList")

    def e_MapInit(self, node: n.MapInit, expected: str | None) -> CE:
        items = [(self.ev(k), self.ev(v)) for k, v in node.items]
        return CE(lambda f: {to_plain(k(f)): to_plain(v(f)) for k, v in items}, "HashMap")

    # ---- operators ----
    def e_Unary(self, node: n.Unary, expected: str | None) -> CE:
        operand = self.expr(node.operand)
        op = ops.UNARY[node.op]
        ev = operand.ev
        if node.op == "!":

            def run(f: Frame) -> Any:
                v = ev(f)
                if v is True:
                    return False
                if v is False:
                    return True
                return ops.lnot(v)

            return CE(guard(run, node.pos), "boolean")
        typ = promote(operand.type, "int") if operand.type in PRIMITIVES else "def"
        return CE(guard(lambda f: op(ev(f)), node.pos), typ)

    def e_Binary(self, node: n.Binary, expected: str | None) -> CE:
        left, right = self.expr(node.left), self.expr(node.right)
        lev, rev = left.ev, right.ev
        if node.op in ("=~", "==~"):
            if left.type in PRIMITIVES:
                raise CompileFailure(
                    f"Cannot cast from [{left.type}] to [java.lang.String].", node.pos, _CCE
                )
            rx = regex_find if node.op == "=~" else regex_matches
            return CE(guard(lambda f: rx(lev(f), rev(f)), node.pos), "boolean")
        op = ops.BINARY[node.op]
        if node.op in ("===", "!==") and left.type in PRIMITIVES and right.type in PRIMITIVES:
            op = ops.eq if node.op == "===" else ops.ne  # primitives compare by value
        if node.op in _BOOL_OPS:
            typ = "boolean"
        elif node.op == "+" and "String" in (left.type, right.type):
            typ = "String"
        else:
            typ = promote(left.type, right.type)
        pos = node.pos

        def run(f: Frame) -> Any:
            a, b = lev(f), rev(f)
            try:
                return op(a, b)
            except Exception as e:
                raise located(e, pos) from e

        return CE(run, typ)

    def e_Logical(self, node: n.Logical, expected: str | None) -> CE:
        lev, rev = self.ev(node.left), self.ev(node.right)
        short = node.op == "||"  # the left value that decides without the right
        other = not short
        pos = node.pos

        def run(f: Frame) -> Any:
            try:  # guard() inlined: one frame less on a hot path
                a = lev(f)
                if a is short:
                    return short
                if a is not other:
                    ops.as_bool(a)  # not a boolean: raises Java's cast error
                b = rev(f)
                return b if b is True or b is False else ops.as_bool(b)
            except Exception as e:
                raise located(e, pos) from e

        return CE(run, "boolean")

    def e_Elvis(self, node: n.Elvis, expected: str | None) -> CE:
        if expected is not None and expected in PRIMITIVES:
            raise CompileFailure("Elvis operator cannot return primitives", node.pos)
        left = self.expr(node.left)
        if left.null:
            raise CompileFailure("Extraneous elvis operator. LHS is null.", node.pos)
        if left.const:
            raise CompileFailure("Extraneous elvis operator. LHS is a constant.", node.pos)
        if left.type in PRIMITIVES:
            raise CompileFailure("Extraneous elvis operator. LHS is a primitive.", node.pos)
        right = self.expr(node.right, expected)
        if right.null:
            raise CompileFailure("Extraneous elvis operator. RHS is null.", node.pos)
        lev, rev = left.ev, right.ev

        def run(f: Frame) -> Any:
            v = lev(f)
            return rev(f) if v is None else v

        return CE(run, left.type if left.type == right.type else "def")

    def e_Ternary(self, node: n.Ternary, expected: str | None) -> CE:
        cond = self.ev(node.cond)
        then, other = self.expr(node.then, expected), self.expr(node.other, expected)
        tev, oev = then.ev, other.ev
        as_bool = ops.as_bool

        def run(f: Frame) -> Any:
            c = cond(f)
            if c is True:
                return tev(f)
            if c is False:
                return oev(f)
            return tev(f) if as_bool(c) else oev(f)

        typ = then.type if then.type == other.type else promote(then.type, other.type)
        return CE(guard(run, node.pos), typ)

    def e_Cast(self, node: n.Cast, expected: str | None) -> CE:
        operand = self.expr(node.operand, node.type)
        return CE(guard(converter(operand, node.type, node.pos, True), node.pos), node.type)

    def e_InstanceOf(self, node: n.InstanceOf, expected: str | None) -> CE:
        ev, typ = self.ev(node.operand), node.type
        return CE(lambda f: instance_of(ev(f), typ), "boolean")

    def e_Assign(self, node: n.Assign, expected: str | None) -> CE:
        from .compile_assign import compile_assign

        return compile_assign(self, node)

    def e_IncDec(self, node: n.IncDec, expected: str | None) -> CE:
        from .compile_assign import compile_incdec

        return compile_incdec(self, node)

    def e_Lambda(self, node: n.Lambda, expected: str | None) -> CE:
        from .compile_lambda import compile_lambda

        return compile_lambda(self, node)

    def e_FuncRef(self, node: n.FuncRef, expected: str | None) -> CE:
        from .compile_lambda import compile_funcref

        return compile_funcref(self, node)
