"""Parse a CEL program (the Agent's `cel` input) with cel-python: the tree, the functions it
calls, or a syntax error with its line and column in the program.

The build checks that every stream program parses (fleetpkg.templatecheck); the policy tests
also check the functions it calls (fleetpkg.policy.celcheck). Both parse here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# A comma after an element (not after another comma or an opening bracket) before } or ].
_TRAILING_COMMA = re.compile(r"(^|[^\s,\[{(])(\s*),(?=\s*[}\]])")
_OPTIONAL = re.compile(r"(\.|\[)\?")


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
        return celpy.Environment().compile(map_code(program, _cel_go_syntax))
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


def map_code(source: str, change: Callable[[str], str]) -> str:
    """``source`` with ``change`` applied to its code, not to its strings or ``//`` comments."""
    out: list[str] = []
    code_start = i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "/" and source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
        elif ch in "\"'":
            quote3 = source[i : i + 3]
            delim = quote3 if quote3 in ('"""', "'''") else ch
            j = i + len(delim)
            while j < n and not source.startswith(delim, j):
                j += 2 if source[j] == "\\" else 1
            end = min(n, j + len(delim))
        else:
            i += 1
            continue
        out += [change(source[code_start:i]), source[i:end]]
        i = code_start = end
    out.append(change(source[code_start:]))
    return "".join(out)


def without_trailing_commas(code: str) -> str:
    """cel-go accepts ``[1, 2,]`` and ``{"a": 1,}``; cel-python does not. Same length."""
    return _TRAILING_COMMA.sub(lambda m: m.group(1) + m.group(2) + " ", code)


def _cel_go_syntax(code: str) -> str:
    """What cel-go parses and cel-python does not, made parseable without moving a character:
    trailing commas and the optional selection ``.?f`` / ``[?k]`` (for the parse only)."""
    return _OPTIONAL.sub(lambda m: m.group(1) + " ", without_trailing_commas(code))
