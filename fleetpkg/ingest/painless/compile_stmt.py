"""Compile statements into closures `st(frame) -> signal` (None, BREAK, CONTINUE, RETURN)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import nodes as n
from .compile_cast import converter
from .compile_expr import ExprCompiler, guard, located
from .describe import STATEMENT_NODES, describe
from .errors import CompileFailure, JavaThrowable, from_python, is_subclass, npe
from .jtypes import PRIMITIVES, convert
from .ops import as_bool, iterate
from .scope import BREAK, CE, CONTINUE, LOOP_LIMIT, LOOP_MESSAGE, RETURN, Ev, FnCtx, Frame, St

_DEFAULTS = {"boolean": False, "char": "\0", "float": 0.0, "double": 0.0}


def _loop_error() -> JavaThrowable:
    return JavaThrowable("PainlessError", LOOP_MESSAGE)


def _cond(ev: Ev, pos: int) -> Callable[[Frame], bool]:
    def run(f: Frame) -> bool:
        v = ev(f)
        if v is True or v is False:
            return v
        try:
            return as_bool(v)
        except JavaThrowable as e:
            raise located(e, pos) from None

    return run


def _guard_conv(ce: CE, typ: str, pos: int) -> Ev:
    """`ce` converted to `typ`; only the conversion itself needs a position guard."""
    conv = converter(ce, typ, pos)
    return conv if conv is ce.ev else guard(conv, pos)


def _seq(sts: list[St]) -> St:
    if not sts:
        return lambda f: None
    if len(sts) == 1:
        return sts[0]

    def run(f: Frame) -> int | None:
        for s in sts:
            r = s(f)
            if r is not None:
                return r
        return None

    return run


class Compiler(ExprCompiler):
    def __init__(self, fn: FnCtx) -> None:
        self.fn = fn
        self.functions = {}
        self.loops = 0
        self.last_ok = False  # the statement being compiled ends a block

    # ---- bodies ----
    def body(self, stmts: list[n.Node], implicit_return: bool, rtype: str = "def") -> St:
        """Compile statements; a trailing expression statement returns its value if asked."""
        sts: list[St] = []
        for i, s in enumerate(stmts):
            if implicit_return and i == len(stmts) - 1 and isinstance(s, n.ExprStmt):
                ce = self.expr(s.expr, None if rtype == "void" else rtype)
                ev = ce.ev if rtype in ("def", "void") else _guard_conv(ce, rtype, s.pos)
                if rtype == "void":
                    sts.append(self._expr_stmt(ev))
                else:

                    def ret(f: Frame, ev: Ev = ev) -> int:
                        f[1] = ev(f)
                        return RETURN

                    sts.append(ret)
            else:
                sts.append(self.stmt(s, i == len(stmts) - 1))
        return _seq(sts)

    def compile_block_lambda(self, body: n.Block, fc: FnCtx) -> Callable[[Frame], Any]:
        st = self.body(body.stmts, True)
        return lambda fr: fr[1] if st(fr) == RETURN else None

    def block(self, node: n.Node | None) -> St:
        if node is None:
            return lambda f: None
        self.fn.push()
        try:
            if isinstance(node, n.Block):
                return _seq(
                    [self.stmt(s, i == len(node.stmts) - 1) for i, s in enumerate(node.stmts)]
                )
            return self.stmt(node, True)
        finally:
            self.fn.pop()

    def stmt(self, node: n.Node, last: bool = False) -> St:
        meth = getattr(self, "s_" + type(node).__name__, None)
        if meth is None:
            raise CompileFailure("Not a statement.", node.pos)
        saved, self.last_ok = self.last_ok, last
        try:
            st: St = meth(node)
        finally:
            self.last_ok = saved
        return st

    @staticmethod
    def _expr_stmt(ev: Ev) -> St:
        def run(f: Frame) -> None:
            ev(f)

        return run

    # ---- statements ----
    def s_ExprStmt(self, node: n.ExprStmt) -> St:
        if not isinstance(node.expr, STATEMENT_NODES) and not self.last_ok:
            raise CompileFailure("not a statement: " + describe(node.expr), node.expr.pos)
        return self._expr_stmt(self.ev(node.expr))

    def s_Empty(self, node: n.Empty) -> St:
        return lambda f: None

    def s_Block(self, node: n.Block) -> St:
        return self.block(node)

    def s_Decl(self, node: n.Decl) -> St:
        sts: list[St] = []
        typ = node.type
        for name, init, pos in node.vars:
            if init is None:
                slot = self.fn.declare(name, typ, pos)
                default: Any = None
                if typ in PRIMITIVES:
                    default = _DEFAULTS.get(typ, 0)

                def init_default(f: Frame, s: int = slot, d: Any = default) -> None:
                    f[s] = d

                sts.append(init_default)
                continue
            conv = _guard_conv(self.expr(init, typ), typ, init.pos)
            slot = self.fn.declare(name, typ, pos)

            def run(f: Frame, s: int = slot, c: Ev = conv) -> None:
                f[s] = c(f)

            sts.append(run)
        return _seq(sts)

    def s_If(self, node: n.If) -> St:
        cond = _cond(self.ev(node.cond), node.pos)
        then = self.block(node.then)
        if node.other is None:
            return lambda f: then(f) if cond(f) else None
        other = self.block(node.other)
        return lambda f: then(f) if cond(f) else other(f)

    def _loop_body(self, node: n.Node | None) -> St:
        self.loops += 1
        try:
            return self.block(node)
        finally:
            self.loops -= 1

    def s_While(self, node: n.While) -> St:
        cond = _cond(self.ev(node.cond), node.pos)
        body = self._loop_body(node.body)

        def run(f: Frame) -> int | None:
            st = f[0]
            while cond(f):
                st.loops += 1
                if st.loops >= LOOP_LIMIT:
                    raise _loop_error()
                r = body(f)
                if r is not None and r != CONTINUE:
                    if r == BREAK:
                        break
                    return r
            return None

        return run

    def s_DoWhile(self, node: n.DoWhile) -> St:
        body = self._loop_body(node.body)
        cond = _cond(self.ev(node.cond), node.pos)

        def run(f: Frame) -> int | None:
            st = f[0]
            while True:
                st.loops += 1
                if st.loops >= LOOP_LIMIT:
                    raise _loop_error()
                r = body(f)
                if r is not None and r != CONTINUE:
                    if r == BREAK:
                        break
                    return r
                if not cond(f):
                    break
            return None

        return run

    def s_For(self, node: n.For) -> St:
        self.fn.push()
        try:
            init = self.stmt(node.init) if node.init is not None else None
            cond = _cond(self.ev(node.cond), node.pos) if node.cond else None
            after = self.ev(node.after) if node.after else None
            body = self._loop_body(node.body)
        finally:
            self.fn.pop()

        def run(f: Frame) -> int | None:
            st = f[0]
            if init is not None:
                init(f)
            while cond is None or cond(f):
                st.loops += 1
                if st.loops >= LOOP_LIMIT:
                    raise _loop_error()
                r = body(f)
                if r is not None and r != CONTINUE:
                    if r == BREAK:
                        break
                    return r
                if after is not None:
                    after(f)
            return None

        return run

    def s_ForEach(self, node: n.ForEach) -> St:
        it = guard(self.ev(node.iterable), node.pos)
        self.fn.push()
        try:
            slot = self.fn.declare(node.name, node.type, node.pos)
            body = self._loop_body(node.body)
        finally:
            self.fn.pop()
        typ = node.type
        conv = typ not in ("def", "Object")

        def run(f: Frame) -> int | None:
            st = f[0]
            try:
                items = iterate(it(f))
                for x in items:
                    st.loops += 1
                    if st.loops >= LOOP_LIMIT:
                        raise _loop_error()
                    f[slot] = convert(x, typ, False) if conv else x
                    r = body(f)
                    if r is not None and r != CONTINUE:
                        if r == BREAK:
                            break
                        return r
            except RuntimeError as e:
                if isinstance(e, RecursionError):
                    raise
                raise JavaThrowable("ConcurrentModificationException", None, node.pos) from e
            return None

        return run

    def s_Break(self, node: n.Break) -> St:
        if not self.loops:
            raise CompileFailure("Break statement outside of a loop.", node.pos)
        return lambda f: BREAK

    def s_Continue(self, node: n.Continue) -> St:
        if not self.loops:
            raise CompileFailure("Continue statement outside of a loop.", node.pos)
        return lambda f: CONTINUE

    def s_Return(self, node: n.Return) -> St:
        if node.value is None:
            return lambda f: RETURN
        rtype = self.fn.rtype
        ce = self.expr(node.value, None if rtype in ("def", "void") else rtype)
        ev = ce.ev if rtype in ("def", "void") else _guard_conv(ce, rtype, node.pos)

        def run(f: Frame) -> int:
            f[1] = ev(f)
            return RETURN

        return run

    def s_Throw(self, node: n.Throw) -> St:
        ev = self.ev(node.value)
        pos = node.pos

        def run(f: Frame) -> None:
            exc = ev(f)
            if exc is None:
                raise npe("Cannot throw null")
            if not isinstance(exc, JavaThrowable):
                raise JavaThrowable("ClassCastException", "Cannot throw a non-exception", pos)
            if exc.pos is None:
                exc.pos = pos
            raise exc

        return run

    def s_Try(self, node: n.Try) -> St:
        body = self.block(node.body)
        catches: list[tuple[str, int, St]] = []
        for c in node.catches:
            self.fn.push()
            try:
                slot = self.fn.declare(c.name, c.type, c.pos)
                catches.append((c.type, slot, self.block(c.body)))
            finally:
                self.fn.pop()

        def run(f: Frame) -> int | None:
            try:
                return body(f)
            except Exception as e:
                exc = from_python(e)
                for typ, slot, handler in catches:
                    if is_subclass(exc.jtype, typ) and not is_subclass(exc.jtype, "Error"):
                        f[slot] = exc
                        return handler(f)
                if exc is e:
                    raise
                raise exc from e

        return run
