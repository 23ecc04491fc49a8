"""compile_script(): parse and compile once; CompiledScript.execute() runs many times."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from . import nodes as n
from .compile_stmt import Compiler
from .errors import (
    CompileFailure,
    JavaThrowable,
    PainlessCompileError,
    PainlessRuntimeError,
    from_python,
    snake_case,
)
from .jtypes import convert, to_plain
from .parser import parse
from .runtime import load_builtins
from .scope import RETURN, FnCtx, Frame, FuncInfo, St, State

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class CompiledScript:
    """A compiled Painless script; `execute` is reentrant and cheap to call."""

    __slots__ = ("_body", "_nslots", "_starts", "params", "source")

    def __init__(
        self, source: str, body: St, nslots: int, starts: tuple[int, ...], params: Mapping[str, Any]
    ) -> None:
        self.source = source
        self._body = body
        self._nslots = nslots
        self._starts = starts
        self.params = params

    def execute(
        self, ctx: MutableMapping[str, Any] | None, params: Mapping[str, Any] | None = None
    ) -> Any:
        p = self.params if params is None else _readonly(params)
        frame: Frame = [None] * self._nslots
        frame[0] = State(ctx, p)
        try:
            signal = self._body(frame)
        except JavaThrowable as e:
            raise PainlessRuntimeError(e, self.source, self._starts) from e
        except Exception as e:
            raise PainlessRuntimeError(from_python(e), self.source, self._starts) from e
        return to_plain(frame[1]) if signal == RETURN else None

    def __repr__(self) -> str:
        return f"CompiledScript({self.source!r})"


def _readonly(params: Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(params, MappingProxyType):
        return params
    return MappingProxyType(params if isinstance(params, dict) else dict(params))


def compile_script(source: str, *, params: Mapping[str, Any] | None = None) -> CompiledScript:
    """Compile Painless `source`; raises PainlessCompileError."""
    compiled = _compile(source)
    if isinstance(compiled, CompileFailure):
        raise PainlessCompileError(
            compiled.message, source, compiled.pos, cause_type=snake_case(compiled.jtype)
        )
    body, nslots, starts = compiled
    return CompiledScript(source, body, nslots, starts, _readonly(params or _EMPTY))


@lru_cache(maxsize=2048)
def _compile(source: str) -> tuple[St, int, tuple[int, ...]] | CompileFailure:
    """Compile once per distinct source: compiled closures are stateless and reentrant."""
    load_builtins()
    try:
        tree = parse(source)
        root = FnCtx("def")
        comp = Compiler(root)
        _declare_functions(comp, tree.functions)
        for fn in tree.functions:
            _compile_function(comp, fn)
        body = comp.body(tree.stmts, True)
    except CompileFailure as e:
        return e
    except RecursionError:
        return CompileFailure("script is too deeply nested", 0)
    except Exception as e:
        return CompileFailure(f"unsupported script construct: {e!r}", 0)
    return body, root.nslots, tuple(tree.statement_starts)


def _declare_functions(comp: Compiler, funcs: list[n.Function]) -> None:
    for fn in funcs:
        key = (fn.name, len(fn.params))
        if key in comp.functions:
            raise CompileFailure(f"Illegal duplicate functions [{fn.name}/{key[1]}].", fn.pos)
        comp.functions[key] = FuncInfo(fn.name, fn.rtype, fn.params)


def _compile_function(comp: Compiler, fn: n.Function) -> None:
    info = comp.functions[(fn.name, len(fn.params))]
    fc = FnCtx(fn.rtype)
    slots = [fc.declare(name, typ, fn.pos) for typ, name in fn.params]
    saved, comp.fn = comp.fn, fc
    try:
        body = comp.body(fn.body.stmts, fn.rtype != "void", fn.rtype)
    finally:
        comp.fn = saved
    nslots = fc.nslots
    rtype = fn.rtype
    first = slots[0] if slots else 2
    last = first + len(slots)

    def call(state: State, args: list[Any]) -> Any:
        fr: Frame = [None] * nslots
        fr[0] = state
        fr[first:last] = args
        if body(fr) == RETURN and rtype != "void":
            v = fr[1]
            return v if rtype in ("def", "Object") else convert(v, rtype, False)
        return None

    info.impl.append(call)
