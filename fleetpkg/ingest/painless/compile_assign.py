"""Compile assignments, compound assignments and ++/-- on locals, fields and indexes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import nodes as n
from . import ops
from .compile_cast import converter
from .compile_expr import guard, located
from .describe import target_name
from .errors import CompileFailure
from .jtypes import convert, to_plain
from .runtime.access import get_field, get_index, set_field, set_index
from .scope import CE, Ev, Frame

if TYPE_CHECKING:
    from .compile_expr import ExprCompiler

Update = Callable[[Any, Frame], tuple[Any, Any]]  # (current, frame) -> (stored, result)


def _store(typ: str) -> Callable[[Any], Any]:
    if typ in ("def", "Object"):
        return lambda v: v
    return lambda v: convert(v, typ, True)


def _apply(c: ExprCompiler, target: n.Node, update: Update, pos: int) -> CE:
    """Read-modify-write `target` with `update`."""
    if isinstance(target, n.Var):
        found = c.fn.writable(target.name, target.pos)
        if found is None:
            raise CompileFailure(f"cannot resolve symbol [{target.name}]", target.pos)
        slot, typ = found
        store = _store(typ)

        def run_var(f: Frame) -> Any:
            new, result = update(f[slot], f)
            f[slot] = store(new)
            return result

        return CE(guard(run_var, pos), typ)
    if isinstance(target, n.Field):
        obj, name = c.ev(target.obj), target.name

        def run_field(f: Frame) -> Any:
            x = obj(f)
            new, result = update(get_field(x, name), f)
            set_field(x, name, new)
            return result

        return CE(guard(run_field, pos))
    if isinstance(target, n.Index):
        obj, idx = c.ev(target.obj), c.ev(target.index)

        def run_index(f: Frame) -> Any:
            x, i = obj(f), idx(f)
            new, result = update(get_index(x, i), f)
            set_index(x, i, new)
            return result

        return CE(guard(run_index, pos))
    raise CompileFailure("invalid assignment: cannot assign a value to " + target_name(target), pos)


def compile_assign(c: ExprCompiler, node: n.Assign) -> CE:
    target = node.target
    if node.op != "=":
        binop = ops.BINARY[node.op[:-1]]
        val = c.ev(node.value)

        def update(cur: Any, f: Frame) -> tuple[Any, Any]:
            v = binop(cur, val(f))
            return v, v

        return _apply(c, target, update, node.pos)
    if isinstance(target, n.Var):
        found = c.fn.writable(target.name, target.pos)
        if found is None:
            if target.name in ("ctx", "params"):
                raise CompileFailure(f"Cannot assign a value to [{target.name}].", node.pos)
            raise CompileFailure(f"cannot resolve symbol [{target.name}]", target.pos)
        slot, typ = found
        conv = converter(c.expr(node.value, typ), typ, node.value.pos)

        pos = node.pos

        def run_var(f: Frame) -> Any:
            try:  # guard() inlined: one frame less on a hot path
                v = f[slot] = conv(f)
            except Exception as e:
                raise located(e, pos) from e
            return v

        return CE(run_var, typ)
    val = c.ev(node.value)
    if isinstance(target, n.Field):
        obj, name = c.ev(target.obj), target.name

        pos = node.pos

        def run_field(f: Frame) -> Any:
            try:  # guard() inlined: one frame less on a hot path
                x = obj(f)
                v = val(f)
                if type(x) is dict:
                    x[name] = to_plain(v)
                else:
                    set_field(x, name, v)
            except Exception as e:
                raise located(e, pos) from e
            return v

        return CE(run_field)
    if isinstance(target, n.Index):
        obj, idx = c.ev(target.obj), c.ev(target.index)

        def run_index(f: Frame) -> Any:
            x, i = obj(f), idx(f)
            v = val(f)
            set_index(x, i, v)
            return v

        return CE(guard(run_index, node.pos))
    raise CompileFailure(
        "invalid assignment: cannot assign a value to " + target_name(target), node.pos
    )


def compile_incdec(c: ExprCompiler, node: n.IncDec) -> CE:
    binop = ops.add if node.op == "++" else ops.sub
    if node.prefix:

        def update(cur: Any, f: Frame) -> tuple[Any, Any]:
            v = binop(cur, 1)
            return v, v

    else:

        def update(cur: Any, f: Frame) -> tuple[Any, Any]:
            return binop(cur, 1), cur

    if isinstance(node.target, n.Var):
        found = c.fn.writable(node.target.name, node.target.pos)
        if found is not None and found[1] == "int":
            return _fast_int_incdec(found[0], node, update)
    return _apply(c, node.target, update, node.pos)


def _fast_int_incdec(slot: int, node: n.IncDec, update: Update) -> CE:
    delta = 1 if node.op == "++" else -1
    prefix = node.prefix

    def run(f: Frame) -> Any:
        cur = f[slot]
        new = cur + delta
        if -(2**31) <= new < 2**31:
            f[slot] = new
        else:
            f[slot] = new = ops.add(cur, delta)
        return new if prefix else cur

    ev: Ev = run
    return CE(ev, "int")
