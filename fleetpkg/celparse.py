"""Parse a CEL program (the Agent's `cel` input) with cel-python: the tree, the functions it
calls, or a syntax error with its line and column in the program.

The build checks that every stream program parses (fleetpkg.templatecheck); the policy tests
also check the functions it calls (fleetpkg.policy.celcheck). Both parse here.
"""

from __future__ import annotations

from typing import Any


class CelSyntaxError(ValueError):
    """A program that does not parse: a one-line `reason`, 1-based `line` and `column` in the
    program (0 when cel-python does not say) and cel-python's own text (with a caret line)."""

    def __init__(self, reason: str, line: int, column: int, text: str) -> None:
        super().__init__(text)
        self.reason = reason
        self.line = line
        self.column = column
        self.text = text


def parse(program: str) -> Any:
    """The parse tree of `program` (a lark Tree); CelSyntaxError when it does not parse."""
    import celpy  # cel-python; imported here so the rest of fleetpkg works without it
    from celpy.celparser import CELParseError

    try:
        return celpy.Environment().compile(program)
    except CELParseError as err:
        reason = _reason(err.__context__)
        raise CelSyntaxError(reason, err.line or 0, err.column or 0, str(err)) from None
    except RecursionError:
        reason = "program nested too deeply to parse"
        raise CelSyntaxError(reason, 0, 0, reason) from None


def _reason(cause: BaseException | None) -> str:
    """What the lark error says, in one line."""
    token = getattr(cause, "token", None)
    if token is not None:
        if getattr(token, "type", "") == "$END":
            return "unexpected end of program"
        return f"unexpected {str(token)!r}"
    char = getattr(cause, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    first = str(cause).strip().splitlines()[:1] if cause is not None else []
    return first[0] if first else "syntax error"


def called_functions(tree: Any) -> set[str]:
    """Names of the functions and methods a parsed program calls."""
    names: set[str] = set()
    for node in tree.iter_subtrees():
        if node.data == "member_dot_arg":
            names.add(str(node.children[1]))
        elif node.data == "ident_arg":
            names.add(str(node.children[0]))
    return names
