"""Tokenizer for Painless, feeding lark's LALR parser.

A hand-written lexer is needed because Painless' lexer is context dependent: `/` starts a regex
literal only where an operand is expected, identifiers naming types become TYPE tokens, and
lambda headers (`x ->`, `(a, b) ->`) are marked so the grammar stays LALR(1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lark import Token
from lark.lexer import Lexer

from .errors import CompileFailure

KEYWORDS = {
    "if": "IF",
    "else": "ELSE",
    "while": "WHILE",
    "do": "DO",
    "for": "FOR",
    "in": "IN",
    "continue": "CONTINUE",
    "break": "BREAK",
    "return": "RETURN",
    "new": "NEW",
    "try": "TRY",
    "catch": "CATCH",
    "throw": "THROW",
    "this": "THIS",
    "instanceof": "INSTANCEOF",
    "true": "TRUE",
    "false": "FALSE",
    "null": "NULL",
}

# Type names known to the whitelist; an identifier spelled like one of these is a TYPE token.
TYPE_NAMES = frozenset(
    """
    def void boolean byte short char int long float double Object String Boolean Byte Short
    Character Integer Long Float Double Number CharSequence List ArrayList LinkedList Map
    HashMap LinkedHashMap TreeMap Set HashSet LinkedHashSet TreeSet Collection Iterable
    Iterator Deque ArrayDeque Map.Entry Pattern Matcher Math StrictMath Objects Collections
    Arrays StringBuilder StringBuffer StringTokenizer CIDR Processors Locale Instant
    ZonedDateTime ZoneId ZoneOffset Duration ChronoUnit DateTimeFormatter LocalDate
    LocalDateTime DayOfWeek Function BiFunction Consumer BiConsumer Predicate BiPredicate
    Supplier Comparator Optional Stream Collectors IntStream Base64 StandardCharsets
    Throwable Exception RuntimeException IllegalArgumentException IllegalStateException
    NullPointerException NumberFormatException ArithmeticException ClassCastException
    IndexOutOfBoundsException ArrayIndexOutOfBoundsException StringIndexOutOfBoundsException
    UnsupportedOperationException ConcurrentModificationException NoSuchElementException
    DateTimeException DateTimeParseException Debug IntFunction ToIntFunction ToLongFunction
    ToDoubleFunction UnaryOperator BinaryOperator IntPredicate Runnable AbstractCollection
    AbstractList AbstractMap AbstractSet
    """.split()  # noqa: SIM905
)

_OPERATORS = sorted(
    """
    >>>= >>= <<= === !== ==~ >>> == != <= >= && || ++ -- += -= *= /= %= &= |= ^= << >> -> ::
    ?. ?: =~ + - * / % < > = ! ~ & | ^ ? : ; , . ( ) [ ] { }
    """.split(),  # noqa: SIM905
    key=len,
    reverse=True,
)
_OP_NAMES = {
    "(": "_LP",
    ")": "_RP",
    "[": "LBRACK",
    "]": "_RB",
    "{": "_LBRACE",
    "}": "_RBRACE",
    ";": "_SEMI",
    ",": "_COMMA",
    ".": "_DOT",
    "?.": "_NSDOT",
    "?:": "ELVIS",
    "?": "COND",
    ":": "_COLON",
    "::": "REF",
    "->": "ARROW",
    "=": "ASSIGN",
    "!": "BOOLNOT",
    "~": "BWNOT",
    "++": "INCR",
    "--": "DECR",
    "+": "ADD",
    "-": "SUB",
    "*": "MUL",
    "/": "DIV",
    "%": "REM",
    "<<": "SHIFT",
    ">>": "SHIFT",
    ">>>": "SHIFT",
    "<": "REL",
    ">": "REL",
    "<=": "REL",
    ">=": "REL",
    "==": "EQ",
    "!=": "EQ",
    "===": "EQ",
    "!==": "EQ",
    "=~": "FIND",
    "==~": "FIND",
    "&": "BWAND",
    "^": "XOR",
    "|": "BWOR",
    "&&": "BOOLAND",
    "||": "BOOLOR",
}
for _op in ("+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", ">>>="):
    _OP_NAMES[_op] = "AASSIGN"

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>[ \t\r\n\f]+|//[^\n]*|/\*.*?\*/)
  | (?P<num>0[xX][0-9a-fA-F]+[lL]?
      |(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?
      |[0-9]+(?:[eE][+-]?[0-9]+)?[lLfFdD]?)
  | (?P<id>[_a-zA-Z][_a-zA-Z0-9]*)
  | (?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
  | (?P<op>"""
    + "|".join(re.escape(o) for o in _OPERATORS)
    + r""")
    """,
    re.VERBOSE | re.DOTALL,
)
_DIGITS_RE = re.compile(r"[0-9]+")
_REGEX_RE = re.compile(r"/((?:\\[^\n]|[^/\\\n])+)/([cilmsUux]*)")
# After these token types a `/` is division; elsewhere it starts a regex literal.
_OPERAND_END = {
    "ID",
    "NUMBER",
    "STRING",
    "REGEX",
    "_RP",
    "_RB",
    "TRUE",
    "FALSE",
    "NULL",
    "THIS",
    "INCR",
    "DECR",
}


def _tok(kind: str, text: str, pos: int) -> Token:
    return Token(kind, text, start_pos=pos)


def tokenize(source: str) -> list[Token]:
    toks: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        if (
            source[i] == "/"
            and source[i + 1 : i + 2] not in ("/", "*")
            and (not toks or toks[-1].type not in _OPERAND_END)
        ):
            m = _REGEX_RE.match(source, i)
            if m:
                toks.append(_tok("REGEX", m.group(0), i))
                i = m.end()
                continue
        if toks and toks[-1].type == "_DOT" and source[i].isdigit():
            m = _DIGITS_RE.match(source, i)  # list/map shortcut `x.0`
            assert m is not None
            toks.append(_tok("ID", m.group(0), i))
            i = m.end()
            continue
        if source[i] == "." and toks and toks[-1].type in ("ID", "_RP", "_RB"):
            toks.append(_tok("_DOT", ".", i))
            i += 1
            continue
        m = _TOKEN_RE.match(source, i)
        if m is None:
            rest = source[i:].split("\n", 1)[0] if source[i] in "'\"" else source[i]
            raise CompileFailure(f"unexpected character [{rest}].", i)
        kind = m.lastgroup
        text = m.group(0)
        if kind == "id":
            if toks and toks[-1].type in ("_DOT", "_NSDOT"):
                toks.append(_tok("ID", text, i))
            elif text in KEYWORDS:
                toks.append(_tok(KEYWORDS[text], text, i))
            elif text in TYPE_NAMES:
                if text == "Map" and source.startswith(".Entry", m.end()):
                    text = "Map.Entry"
                toks.append(_tok("TYPE", text, i))
                i += len(text)
                continue
            else:
                toks.append(_tok("ID", text, i))
        elif kind == "num":
            toks.append(_tok("NUMBER", text, i))
        elif kind == "str":
            toks.append(_tok("STRING", text, i))
        elif kind == "op":
            toks.append(_tok(_OP_NAMES[text], text, i))
        i = m.end()
    _mark_lambdas(toks)
    return toks


def _mark_lambdas(toks: list[Token]) -> None:
    stack: list[int] = []
    for idx, t in enumerate(toks):
        if t.type == "_LP":
            stack.append(idx)
        elif t.type == "_RP" and stack:
            start = stack.pop()
            if idx + 1 < len(toks) and toks[idx + 1].type == "ARROW":
                toks[start] = _tok("LLAMBDA", "(", toks[start].start_pos or 0)
        elif t.type == "ID" and idx + 1 < len(toks) and toks[idx + 1].type == "ARROW":
            toks[idx] = _tok("LAMBDA_ID", str(t), t.start_pos or 0)


class PainlessLexer(Lexer):
    """lark custom lexer (interface 0): `lex(text)` yields the tokens."""

    def __init__(self, lexer_conf: Any) -> None:
        self.conf = lexer_conf

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        yield from tokenize(data)


def unescape_string(text: str, pos: int) -> str:
    """Painless strings only know the escapes \\\\ and \\<quote>."""
    quote, body = text[0], text[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1 : i + 2]
            if nxt not in ("\\", quote):
                raise CompileFailure(
                    f"unexpected character [{text[: i + 3]}]. The only valid escape sequences in "
                    f"strings starting with [{quote}] are [\\\\] and [\\{quote}].",
                    pos,
                )
            out.append(nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)
