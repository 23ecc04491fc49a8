"""Compile-time scopes and the runtime frame/state shared by compiled closures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import CompileFailure

Frame = list[Any]  # frame[0]: State, frame[1]: return value, frame[2:]: locals
Ev = Callable[[Frame], Any]
St = Callable[[Frame], "int | None"]

BREAK, CONTINUE, RETURN = 1, 2, 3
LOOP_LIMIT = 1_000_000
LOOP_MESSAGE = "The maximum number of statements that can be executed in a loop has been reached."


class State:
    """Per-execution state: the script's ctx and params and the loop counter."""

    __slots__ = ("ctx", "loops", "params")

    def __init__(self, ctx: Any, params: Any) -> None:
        self.ctx = ctx
        self.params = params
        self.loops = 0


@dataclass(slots=True)
class CE:
    """A compiled expression: its closure and static type (Painless 'actual' type)."""

    ev: Ev
    type: str = "def"
    const: bool = False
    value: Any = None
    null: bool = False  # the `null` literal


@dataclass
class FnCtx:
    """Slots of one function body (the script, a user function or a lambda)."""

    rtype: str
    parent: FnCtx | None = None
    scopes: list[dict[str, tuple[int, str]]] = field(default_factory=lambda: [{}])
    nslots: int = 2
    captures: list[tuple[int, int]] = field(default_factory=list)

    def push(self) -> None:
        self.scopes.append({})

    def pop(self) -> None:
        self.scopes.pop()

    def declare(self, name: str, typ: str, pos: int) -> int:
        if self.lookup_local(name) is not None:
            raise CompileFailure(f"variable [{name}] is already defined", pos)
        slot = self.nslots
        self.nslots += 1
        self.scopes[-1][name] = (slot, typ)
        return slot

    def lookup_local(self, name: str) -> tuple[int, str] | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def writable(self, name: str, pos: int) -> tuple[int, str] | None:
        """resolve() for an assignment: variables captured by a lambda are read-only."""
        found = self.resolve(name)
        if found is not None and any(inner == found[0] for _, inner in self.captures):
            raise CompileFailure(f"Variable [{name}] is read-only.", pos)
        return found

    def resolve(self, name: str) -> tuple[int, str] | None:
        found = self.lookup_local(name)
        if found is not None or self.parent is None:
            return found
        outer = self.parent.resolve(name)
        if outer is None:
            return None
        slot = self.nslots
        self.nslots += 1
        self.scopes[0][name] = (slot, outer[1])
        self.captures.append((outer[0], slot))
        return (slot, outer[1])


@dataclass
class FuncInfo:
    name: str
    rtype: str
    params: list[tuple[str, str]]
    impl: list[Callable[..., Any]] = field(default_factory=list)  # filled after compiling
