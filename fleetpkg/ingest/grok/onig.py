"""Translate Oniguruma (Ruby syntax, as ES's Joni uses it) regexes into Python ``regex`` ones."""

from __future__ import annotations

from typing import Any

import regex

_FLAGS = regex.compile(r"\(\?([imx]*)(?:-([imx]*))?([:)])")
_HEX_BRACE = regex.compile(r"\\x\{([0-9A-Fa-f]{1,8})\}")
_POSIX = regex.compile(r"\[:\^?[a-z]+:\]")

# Python regex errors → Joni's wording for the usual syntax mistakes.
_ERRORS = (
    ("missing )", "end pattern with unmatched parenthesis"),
    ("unbalanced parenthesis", "unmatched close parenthesis"),
    ("nothing to repeat", "target of repeat operator is not specified"),
    ("multiple repeat", "nested repeat operator"),
    ("unterminated character set", "premature end of char-class"),
    ("bad escape (end of pattern)", "end pattern at escape"),
)


class OnigError(ValueError):
    """A pattern Joni would refuse to compile; the message follows Joni's wording."""


class _Translator:
    """One pass over the pattern: renames named groups, maps Ruby-only syntax."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.out: list[str] = []
        self.names: list[str] = []
        self.stack: list[int] = [0]  # per open group: scoped-flag groups to close with it

    def run(self) -> str:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            if c == "\\":
                self._escape()
            elif c == "[":
                self._char_class()
            elif c == "(":
                self._open()
            elif c == "?" and self.p.startswith("?*", self.i) and self.i > 0:
                self.out.append("*")  # Ruby folds ``x?*`` into ``x*``; Python calls it a repeat
                self.i += 2
            elif c == ")":
                if len(self.stack) == 1:
                    raise OnigError("unmatched close parenthesis")
                self.out.append(")" * self.stack.pop() + ")")
                self.i += 1
            else:
                self.out.append(c)
                self.i += 1
        if len(self.stack) > 1:
            raise OnigError("end pattern with unmatched parenthesis")
        self.out.append(")" * self.stack[0])
        return "".join(self.out)

    # ------------------------------------------------------------- groups
    def _open(self) -> None:
        p, i = self.p, self.i
        if p.startswith("(?<", i) and p[i + 3 : i + 4] not in ("=", "!"):
            self._named(i + 3, ">")
            return
        if p.startswith("(?'", i):
            self._named(i + 3, "'")
            return
        m = _FLAGS.match(p, i)
        if m is not None:
            on = m.group(1).replace("m", "s")
            off = (m.group(2) or "").replace("m", "s")
            flags = on + ("-" + off if off else "")
            self.i = m.end()
            if m.group(3) == ":":
                self.out.append(f"(?{flags}:" if flags else "(?:")
                self.stack.append(0)
            elif flags:  # isolated option: applies up to the end of the enclosing group
                self.out.append(f"(?{flags}:")
                self.stack[-1] += 1
            return
        if p.startswith("(?", i) and p[i + 2 : i + 3].isalpha():
            raise OnigError("undefined group option")  # e.g. Perl's (?s), unknown to Ruby
        self.out.append("(")
        self.stack.append(0)
        self.i += 1

    def _named(self, start: int, close: str) -> None:
        end = self.p.find(close, start)
        if end < 0:
            raise OnigError("invalid group name <>")
        name = self.p[start:end]
        if not name:
            raise OnigError("group name is empty")
        self.out.append(f"(?P<g{len(self.names)}>")
        self.names.append(name)
        self.stack.append(0)
        self.i = end + 1

    # ------------------------------------------------------------ escapes
    def _escape(self) -> None:
        p, i = self.p, self.i
        if i + 1 >= len(p):
            raise OnigError("end pattern at escape")
        nxt = p[i + 1]
        self.i = i + 2
        if nxt == "k" and p.startswith("<", i + 2):
            end = p.find(">", i + 3)
            name = p[i + 3 : end] if end > 0 else ""
            if name not in self.names:
                raise OnigError(f"undefined name <{name}> reference")
            index = len(self.names) - 1 - self.names[::-1].index(name)
            self.out.append(f"(?P=g{index})")
            self.i = end + 1
        elif nxt == "h":
            self.out.append("[0-9a-fA-F]")
        elif nxt == "H":
            self.out.append("[^0-9a-fA-F]")
        elif nxt == "z":
            self.out.append("\\Z")
        elif nxt == "Z":
            self.out.append("(?=\\n?\\Z)")
        elif nxt == "x" and (m := _HEX_BRACE.match(p, i)) is not None:
            self.out.append(regex.escape(chr(int(m.group(1), 16))))
            self.i = m.end()
        else:
            self.out.append(p[i : i + 2])

    def _char_class(self) -> None:
        """Copy a bracket expression; nested plain sets are flattened into the outer one."""
        p = self.p
        i = self.i + 1
        parts = ["["]
        if p.startswith("^", i):
            parts.append("^")
            i += 1
        if p.startswith("]", i):
            parts.append("\\]")
            i += 1
        depth = 1
        while i < len(p):
            c = p[i]
            if c == "\\":
                if i + 1 >= len(p):
                    break
                nxt = p[i + 1]
                if nxt == "h":
                    parts.append("0-9a-fA-F")
                elif nxt == "x" and (m := _HEX_BRACE.match(p, i)) is not None:
                    parts.append(regex.escape(chr(int(m.group(1), 16))))
                    i = m.end()
                    continue
                else:
                    parts.append(p[i : i + 2])
                i += 2
            elif c == "[":
                posix = _POSIX.match(p, i)
                if posix is not None:
                    parts.append(posix.group())
                    i = posix.end()
                else:
                    depth += 1
                    i += 1
                    if p.startswith("^", i):
                        raise OnigError("negated nested char-class is not supported")
            elif c == "]":
                depth -= 1
                i += 1
                if depth == 0:
                    parts.append("]")
                    self.out.append("".join(parts))
                    self.i = i
                    return
            else:
                parts.append(c)
                i += 1
        raise OnigError("premature end of char-class")


def translate(pattern: str) -> tuple[str, list[str]]:
    """The Python regex source and the original names of its groups ``g0``, ``g1``…"""
    t = _Translator(pattern)
    return t.run(), t.names


def compile_onig(pattern: str) -> tuple[Any, list[str]]:
    """Compile with Ruby's defaults: ``^``/``$`` match at line boundaries."""
    source, names = translate(pattern)
    try:
        return regex.compile(source, regex.MULTILINE), names
    except regex.error as err:
        message = str(err.msg) if hasattr(err, "msg") else str(err)
        for prefix, joni in _ERRORS:
            if message.startswith(prefix):
                raise OnigError(joni) from None
        raise OnigError(message) from None
