"""The cel-python evaluator plus mito's macros (``as``, ``optMap``) and lazy ``try``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import celpy
import lark
from celpy import celtypes
from celpy.evaluation import CELEvalError, Evaluator, NameContainer

from .errors import LAZY, eval_error
from .optional import opt_field
from .values import NONE, Optional


class _AgentEvaluator(Evaluator):
    def sub_evaluator(self, ast: lark.Tree[Any]) -> _AgentEvaluator:
        return _AgentEvaluator(ast, activation=self.activation)

    def member_dot(self, tree: lark.Tree[Any]) -> Any:
        member_tree, token = cast(tuple[Any, Any], tree.children)
        member = self.visit(member_tree)
        name = token.value
        if isinstance(member, CELEvalError):
            return member
        if isinstance(member, Optional):  # cel-go: selecting on an optional stays optional
            return opt_field(member, celtypes.StringType(name))
        if isinstance(member, NameContainer):
            if name in member:
                return member[name].value
            return CELEvalError(f"undeclared reference to {name!r}", KeyError, None, tree=tree)
        if isinstance(member, Mapping):
            if name in member:
                return member[name]
            return CELEvalError(f"no such key: {name}", KeyError, None, tree=tree)
        message = f"type '{type(member).__name__}' does not support field selection"
        return CELEvalError(message, TypeError, None, tree=tree)

    def member_dot_arg(self, tree: lark.Tree[Any]) -> Any:
        name = cast(Any, tree.children[1]).value
        if name in ("as", "optMap", "optFlatMap") and len(tree.children) == 3:
            member = self.visit(tree.children[0])
            if isinstance(member, CELEvalError):
                return member
            if name != "as":
                if not isinstance(member, Optional):
                    return eval_error(f"no such overload: {name} on {type(member).__name__}")
                if not member.present:
                    return NONE
                member = member.value
            sub_expr = self.build_macro_eval(tree)
            try:
                result = sub_expr(member)
            except CELEvalError as err:
                return err
            if name == "optMap":
                return Optional(True, result)
            return result  # `as` gives the value; `optFlatMap` an optional already
        return super().member_dot_arg(tree)

    def function_eval(self, name_token: lark.Token, exprlist: Iterable[Any] | None = None) -> Any:
        if name_token.value in LAZY:
            function = self.activation.resolve_function(name_token.value)
            return function(*list(exprlist or []))
        return super().function_eval(name_token, exprlist)


class _Runner(celpy.InterpretedRunner):
    def evaluate(self, context: Any) -> Any:
        return _AgentEvaluator(ast=self.ast, activation=self.new_activation()).evaluate(context)


ENV = celpy.Environment(runner_class=_Runner)
