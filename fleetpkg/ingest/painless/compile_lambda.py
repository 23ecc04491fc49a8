"""Compile lambdas (`x -> ...`, `(a, b) -> {...}`) and method references (`Type::name`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import nodes as n
from .errors import CompileFailure, JavaThrowable
from .jtypes import PRIMITIVES, convert
from .runtime.registry import CTORS, STATICS, call_method, find_static
from .scope import CE, FnCtx, Frame

if TYPE_CHECKING:
    from .compile_expr import ExprCompiler


def compile_lambda(c: ExprCompiler, node: n.Lambda) -> CE:
    fc = FnCtx("def", parent=c.fn)
    for _typ, name in node.params:
        if c.fn.resolve(name) is not None:
            raise CompileFailure(f"lambda parameter [{name}] is already defined", node.pos)
    pslots = [(fc.declare(name, typ, node.pos), typ) for typ, name in node.params]
    saved, c.fn = c.fn, fc
    try:
        if isinstance(node.body, n.Block):
            body = c.compile_block_lambda(node.body, fc)
        else:
            body = c.ev(node.body)
    finally:
        c.fn = saved
    caps = list(fc.captures)
    nslots = fc.nslots
    nparams = len(pslots)

    def make(f: Frame) -> Callable[..., Any]:
        state = f[0]
        captured = [(i, f[o]) for o, i in caps]

        def fn(*args: Any) -> Any:
            if len(args) != nparams:
                raise JavaThrowable(
                    "IllegalArgumentException",
                    f"Incorrect number of parameters for [lambda]: expected [{nparams}] "
                    f"but found [{len(args)}]",
                )
            fr: Frame = [None] * nslots
            fr[0] = state
            for i, v in captured:
                fr[i] = v
            for (slot, typ), a in zip(pslots, args, strict=False):
                fr[slot] = a if typ == "def" else convert(a, typ, typ in PRIMITIVES)
            return body(fr)

        fn.arity = nparams  # type: ignore[attr-defined]
        return fn

    return CE(make, "Function")


def compile_funcref(c: ExprCompiler, node: n.FuncRef) -> CE:
    owner, name = node.owner, node.name
    if node.capturing:
        target = c.ev(n.Var(node.pos, owner))

        def bind(f: Frame) -> Callable[..., Any]:
            recv = target(f)
            return lambda *a: call_method(recv, name, a)

        return CE(bind, "Function")
    if owner == "this":
        infos = [i for (fname, _), i in c.functions.items() if fname == name]
        if not infos:
            raise CompileFailure(f"Unknown function [{name}].", node.pos)
        impl = infos[0].impl
        return CE(lambda f: lambda *a: impl[0](f[0], list(a)), "Function")
    if name == "new":
        table = CTORS.get(owner)
        if not table:
            raise CompileFailure(f"constructor [{owner}, <init>] not found", node.pos)
        return CE(lambda f: lambda *a: table[len(a)](*a), "Function")
    if any(k[0] == name for k in STATICS.get(owner, {})):

        def static_ref(*a: Any) -> Any:
            fn = find_static(owner, name, len(a))
            if fn is None:
                raise JavaThrowable("IllegalArgumentException", f"Unknown method [{name}]")
            return fn(*a)

        return CE(lambda f: static_ref, "Function")

    def instance_ref(recv: Any, *a: Any) -> Any:
        return call_method(recv, name, a)

    return CE(lambda f: instance_ref, "Function")
