"""A strict Handlebars parser: what Handlebars.js (4.7, the parser Kibana's Fleet uses) rejects.

pybars3 accepts templates that Handlebars.js cannot parse (an unclosed `{{#if}}`, a mismatched
`{{/x}}`), so the check stage parses every `agent/stream/*.yml.hbs` here. The lexer is
Handlebars.js's (`handlebars.l`: the same rules in the same order, first match wins), the parser
follows its grammar (`handlebars.yy`) and the checks of its `compiler/helpers.js` (block names
must match, no `this`/`..` inside a path). A parse error is located where Handlebars.js locates
it: at the last token it accepted before the offending one.

`parse` also returns the AST after Handlebars.js's whitespace control (`~` and standalone
lines), which fleetpkg.policy.hbs renders from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fleetpkg.errors import Location, Problem

__all__ = ["HbsError", "built_template_problems", "parse", "template_problems"]


class HbsError(Exception):
    """A template Handlebars.js rejects; line and col are 1-based (0 = unknown)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def template_problems(path: str, text: str) -> list[Problem]:
    """The problems Handlebars.js would report compiling `text` (at most one: it stops there)."""
    try:
        parse(text)
    except HbsError as err:
        return [Problem(Location(path, err.line, err.col), f"Handlebars: {err.message}")]
    return []


TEMPLATE = re.compile(r"^data_stream/[^/]+/agent/stream/[^/]+\.hbs$|^agent/input/[^/]+\.hbs$")


def built_template_problems(files: dict[str, bytes], shown: str = "package") -> list[Problem]:
    """template_problems of every Agent template of a package given as {path: bytes}.

    Paths are shown under `shown`, as check.check_built shows them.
    """
    found: list[Problem] = []
    for rel in sorted(files):
        if TEMPLATE.match(rel):
            text = files[rel].decode("utf-8", errors="replace")
            found.extend(p.under(shown) for p in template_problems(rel, text))
    return found


# --- lexer ------------------------------------------------------------------------------------

ID = r"[^\s!\"#%-,\.\/;->@\[-\^`\{-~]+"
LOOKAHEAD = r"(?=[=~}\s\/.)|])"
LITERAL_LOOKAHEAD = r"(?=[~}\s)])"

# (pattern, token or None, action) per lexer state, in Handlebars.js's order.
MU: list[tuple[str, str]] = [
    (r"\(", "OPEN_SEXPR"),
    (r"\)", "CLOSE_SEXPR"),
    (r"\{\{\{\{", "OPEN_RAW_BLOCK"),
    (r"\}\}\}\}", "CLOSE_RAW_BLOCK"),
    (r"\{\{(~)?>", "OPEN_PARTIAL"),
    (r"\{\{(~)?#>", "OPEN_PARTIAL_BLOCK"),
    (r"\{\{(~)?#\*?", "OPEN_BLOCK"),
    (r"\{\{(~)?\/", "OPEN_ENDBLOCK"),
    (r"\{\{(~)?\^\s*(~)?\}\}", "INVERSE"),
    (r"\{\{(~)?\s*else\s*(~)?\}\}", "INVERSE"),
    (r"\{\{(~)?\^", "OPEN_INVERSE"),
    (r"\{\{(~)?\s*else\b", "OPEN_INVERSE_CHAIN"),
    (r"\{\{(~)?\{", "OPEN_UNESCAPED"),
    (r"\{\{(~)?&", "OPEN"),
    (r"\{\{(~)?!--", "COMMENT_START"),
    (r"\{\{(~)?![\s\S]*?\}\}", "COMMENT"),
    (r"\{\{(~)?\*?", "OPEN"),
    (r"=", "EQUALS"),
    (r"\.\.", "ID"),
    (r"\." + LOOKAHEAD, "ID"),
    (r"[\/.]", "SEP"),
    (r"\s+", "WS"),
    (r"\}(~)?\}\}", "CLOSE_UNESCAPED"),
    (r"(~)?\}\}", "CLOSE"),
    (r"\"(\\[\"]|[^\"])*\"", "STRING"),
    (r"'(\\[']|[^'])*'", "STRING"),
    (r"@", "DATA"),
    (r"true" + LITERAL_LOOKAHEAD, "BOOLEAN"),
    (r"false" + LITERAL_LOOKAHEAD, "BOOLEAN"),
    (r"undefined" + LITERAL_LOOKAHEAD, "UNDEFINED"),
    (r"null" + LITERAL_LOOKAHEAD, "NULL"),
    (r"-?[0-9]+(?:\.[0-9]+)?" + LITERAL_LOOKAHEAD, "NUMBER"),
    (r"as\s+\|", "OPEN_BLOCK_PARAMS"),
    (r"\|", "CLOSE_BLOCK_PARAMS"),
    (ID + LOOKAHEAD, "ID"),
    (r"\[(\\\]|[^\]])*\]", "ID"),
    (r".", "INVALID"),
]
_MU = [(re.compile(p), t) for p, t in MU]
_CONTENT = re.compile(r"[^\x00]*?(?=\{\{)")
_CONTENT_REST = re.compile(r"[^\x00]+")
_EMU = re.compile(r"[^\x00]{2,}?(?=\{\{|\\\{\{|\\\\\{\{|\Z)")
_COMMENT = re.compile(r"[\s\S]*?--(~)?\}\}")
_ONE_TOKEN_STATES = {"emu": (_EMU, "CONTENT"), "com": (_COMMENT, "COMMENT")}
_RAW_OPEN = re.compile(r"\{\{\{\{(?=[^/])")
_RAW_CLOSE = re.compile(r"\{\{\{\{\/" + ID + r"(?=[=}\s\/.])\}\}\}\}")
_RAW_CONTENT = re.compile(r"[^\x00]+?(?=\{\{\{\{)")


@dataclass
class Token:
    kind: str
    text: str  # the value Handlebars.js sees (escapes and quotes removed)
    raw: str  # the source text
    start: int
    end: int
    line: int  # 1-based
    col: int  # 0-based, as Handlebars.js's loc


class _Lexer:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.states = ["INITIAL"]
        self.line = 1
        self.col = 0
        self.last_line = 1  # where the last match ended (for lexical errors)
        self.last_col = 0

    def _advance(self, text: str) -> tuple[int, int]:
        line, col = self.line, self.col
        newlines = text.count("\n")
        if newlines:
            self.line += newlines
            self.col = len(text) - text.rfind("\n") - 1
        else:
            self.col += len(text)
        self.pos += len(text)
        self.last_line, self.last_col = self.line, self.col
        return line, col

    def _token(self, kind: str, raw: str, text: str | None = None) -> Token:
        start = self.pos
        line, col = self._advance(raw)
        return Token(kind, raw if text is None else text, raw, start, self.pos, line, col)

    def _eof_or_fail(self, rest: str) -> Token:
        """At the end of the text, EOF; elsewhere nothing of this state matched: an error."""
        if not rest:
            return self._token("EOF", "")
        raise self._fail()

    def _fail(self) -> HbsError:
        line = self.last_line
        col = self.last_col + 1
        return HbsError(f"Lexical error on line {line}. Unrecognized text.", line, col)

    def next(self) -> Token:
        """The next token; one branch per lexer state, as in handlebars.l."""
        while True:
            state = self.states[-1]
            rest = self.src[self.pos :]
            if state == "INITIAL":
                m = _CONTENT.match(self.src, self.pos)
                if m:
                    text = m.group(0)
                    if text.endswith("\\\\"):
                        value, self.states = text[:-1], [*self.states, "mu"]
                    elif text.endswith("\\"):
                        value, self.states = text[:-1], [*self.states, "emu"]
                    else:
                        value, self.states = text, [*self.states, "mu"]
                    if value:
                        return self._token("CONTENT", text, value)
                    self._advance(text)
                    continue
                m = _CONTENT_REST.match(self.src, self.pos)
                if m:
                    return self._token("CONTENT", m.group(0))
                return self._eof_or_fail(rest)
            if state in _ONE_TOKEN_STATES:  # emu, com: one token, then back to the outer state
                pattern, kind = _ONE_TOKEN_STATES[state]
                m = pattern.match(self.src, self.pos)
                if not m:
                    return self._eof_or_fail(rest)
                self.states.pop()
                return self._token(kind, m.group(0))
            if state == "raw":
                m = _RAW_OPEN.match(self.src, self.pos)
                if m:
                    self.states.append("raw")
                    return self._token("CONTENT", m.group(0))
                m = _RAW_CLOSE.match(self.src, self.pos)
                if m:
                    self.states.pop()
                    if self.states[-1] == "raw":
                        return self._token("CONTENT", m.group(0))
                    return self._token("END_RAW_BLOCK", m.group(0), m.group(0)[5:-4])
                m = _RAW_CONTENT.match(self.src, self.pos)
                if m:
                    return self._token("CONTENT", m.group(0))
                return self._eof_or_fail(rest)
            # mu
            if not rest:
                return self._token("EOF", "")
            for pattern, kind in _MU:  # noqa: B007 - kind is the rule that matched
                m = pattern.match(self.src, self.pos)
                if m:
                    break
            else:
                raise self._fail()
            text = m.group(0)
            if kind == "WS":
                self._advance(text)
                continue
            if kind == "COMMENT_START":  # unput, leave mu, lex the comment in `com`
                self.states.pop()
                self.states.append("com")
                continue
            if kind in ("INVERSE", "COMMENT", "CLOSE", "CLOSE_UNESCAPED"):
                self.states.pop()
            elif kind == "CLOSE_RAW_BLOCK":
                self.states.pop()
                self.states.append("raw")
            value = text
            if kind == "STRING":
                quote = text[0]
                value = text[1:-1].replace("\\" + quote, quote)
            elif kind == "ID" and text.startswith("["):
                value = re.sub(r"\\([\\\]])", r"\1", text)
            return self._token(kind, text, value)


# --- AST --------------------------------------------------------------------------------------


@dataclass
class Node:
    line: int
    col: int


@dataclass
class Expr(Node):
    """A path or a literal (`original` compared as Handlebars.js does), or a sub-expression."""

    kind: str  # path, data, string, number, boolean, undefined, null, sexpr
    original: Any
    parts: list[str] = field(default_factory=list)
    depth: int = 0
    params: list[Expr] = field(default_factory=list)
    hash: list[tuple[str, Expr]] = field(default_factory=list)


@dataclass
class Content(Node):
    value: str
    original: str
    left_stripped: bool = False
    right_stripped: bool = False


@dataclass
class Comment(Node):
    strip: tuple[bool, bool]


@dataclass
class Mustache(Node):
    path: Expr
    params: list[Expr]
    hash: list[tuple[str, Expr]]
    escaped: bool
    strip: tuple[bool, bool]
    source: str  # the expression's text between the braces, without ~
    decorator: bool = False


@dataclass
class Program:
    body: list[Any]
    block_params: list[str] = field(default_factory=list)
    chained: bool = False


@dataclass
class Block(Node):
    path: Expr
    params: list[Expr]
    hash: list[tuple[str, Expr]]
    program: Program | None
    inverse: Program | None
    open_strip: tuple[bool, bool]
    inverse_strip: tuple[bool, bool]
    close_strip: tuple[bool, bool]
    source: str
    kind: str = "block"  # block, raw, partial_block, decorator_block


@dataclass
class Partial(Node):
    strip: tuple[bool, bool]
    source: str


# --- parser -----------------------------------------------------------------------------------

STATEMENT_START = {
    "COMMENT",
    "CONTENT",
    "OPEN_RAW_BLOCK",
    "OPEN_BLOCK",
    "OPEN_INVERSE",
    "OPEN",
    "OPEN_UNESCAPED",
    "OPEN_PARTIAL",
    "OPEN_PARTIAL_BLOCK",
}
HELPER_NAME = {"ID", "DATA", "STRING", "NUMBER", "BOOLEAN", "UNDEFINED", "NULL"}


def _js(value: Any) -> str:
    """String(value) for the literals a block name can be."""
    if value is None:
        return "null"
    if value is _UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


_UNDEFINED = object()


def _strip(open_raw: str, close_raw: str) -> tuple[bool, bool]:
    return (open_raw[2:3] == "~", close_raw[-3:-2] == "~")


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.lexer = _Lexer(source)
        self.tok = self.lexer.next()
        self.shifted: Token | None = None

    # tokens
    def shift(self) -> Token:
        tok = self.tok
        self.shifted = tok
        self.tok = self.lexer.next()
        return tok

    def fail(self, expected: str) -> HbsError:
        where = self.shifted
        line, col = (where.line, where.col + 1) if where else (1, 1)
        got = self.tok.kind
        return HbsError(f"Parse error on line {line}: expecting {expected}, got '{got}'", line, col)

    def expect(self, kind: str) -> Token:
        if self.tok.kind != kind:
            raise self.fail(f"'{kind}'")
        return self.shift()

    # grammar
    def program(self) -> Program:
        body: list[Any] = []
        while self.tok.kind in STATEMENT_START:
            body.append(self.statement())
        return Program(body)

    def root(self) -> Program:
        program = self.program()
        if self.tok.kind != "EOF":
            raise self.fail("'EOF' or a statement")
        return program

    def statement(self) -> Any:
        tok = self.tok
        kind = tok.kind
        if kind == "CONTENT":
            self.shift()
            return Content(tok.line, tok.col, tok.text, tok.text)
        if kind == "COMMENT":
            self.shift()
            return Comment(tok.line, tok.col, _strip(tok.raw, tok.raw))
        if kind == "OPEN_RAW_BLOCK":
            return self.raw_block()
        if kind in ("OPEN_BLOCK", "OPEN_INVERSE"):
            return self.block()
        if kind in ("OPEN", "OPEN_UNESCAPED"):
            self.shift()
            path, params, hash_, source = self.call()
            close = self.expect("CLOSE" if kind == "OPEN" else "CLOSE_UNESCAPED")
            escape_flag = tok.raw[3:4] or tok.raw[2:3]
            return Mustache(
                tok.line,
                tok.col,
                path,
                params,
                hash_,
                escape_flag not in ("{", "&"),
                _strip(tok.raw, close.raw),
                source,
                "*" in tok.raw,
            )
        if kind == "OPEN_PARTIAL":
            self.shift()
            source = self.partial_call()
            close = self.expect("CLOSE")
            return Partial(tok.line, tok.col, _strip(tok.raw, close.raw), source)
        # OPEN_PARTIAL_BLOCK
        self.shift()
        start = self.tok.start
        name = self.partial_name()
        params, hash_ = self.params_and_hash()
        source = self.src[start : self.shifted.end if self.shifted else start]
        close = self.expect("CLOSE")
        program = self.program()
        end = self.close_block(name)
        return Block(
            tok.line,
            tok.col,
            name,
            params,
            hash_,
            program,
            None,
            _strip(tok.raw, close.raw),
            (False, False),
            end,
            source,
            "partial_block",
        )

    def call(self) -> tuple[Expr, list[Expr], list[tuple[str, Expr]], str]:
        start = self.tok.start
        path = self.helper_name()
        params, hash_ = self.params_and_hash()
        end = self.shifted.end if self.shifted else start
        return path, params, hash_, self.src[start:end]

    def partial_call(self) -> str:
        start = self.tok.start
        self.partial_name()
        self.params_and_hash()
        return self.src[start : self.shifted.end if self.shifted else start]

    def partial_name(self) -> Expr:
        if self.tok.kind == "OPEN_SEXPR":
            return self.sexpr()
        return self.helper_name()

    def params_and_hash(self) -> tuple[list[Expr], list[tuple[str, Expr]]]:
        params: list[Expr] = []
        while True:
            kind = self.tok.kind
            if kind == "OPEN_SEXPR":
                params.append(self.sexpr())
            elif kind == "ID" and self._next_is_equals():
                return params, self.hash()
            elif kind in HELPER_NAME:
                params.append(self.helper_name())
            else:
                return params, []

    def _next_is_equals(self) -> bool:
        # One token of look-ahead past an ID (the LR parser decides on it the same way).
        saved = (
            self.lexer.pos,
            list(self.lexer.states),
            self.lexer.line,
            self.lexer.col,
            self.lexer.last_line,
            self.lexer.last_col,
        )
        try:
            following = self.lexer.next()
        except HbsError:
            following = None
        (
            self.lexer.pos,
            self.lexer.states,
            self.lexer.line,
            self.lexer.col,
            self.lexer.last_line,
            self.lexer.last_col,
        ) = saved
        return following is not None and following.kind == "EQUALS"

    def hash(self) -> list[tuple[str, Expr]]:
        pairs: list[tuple[str, Expr]] = []
        while self.tok.kind == "ID":
            key = self.shift()
            self.expect("EQUALS")
            pairs.append((_id(key.text), self.param()))
        return pairs

    def param(self) -> Expr:
        if self.tok.kind == "OPEN_SEXPR":
            return self.sexpr()
        if self.tok.kind in HELPER_NAME:
            return self.helper_name()
        raise self.fail("a parameter")

    def sexpr(self) -> Expr:
        open_ = self.expect("OPEN_SEXPR")
        path = self.helper_name()
        params, hash_ = self.params_and_hash()
        self.expect("CLOSE_SEXPR")
        return Expr(open_.line, open_.col, "sexpr", None, [], 0, [path, *params], hash_)

    def helper_name(self) -> Expr:
        tok = self.tok
        kind = tok.kind
        if kind == "ID":
            return self.path(False, tok)
        if kind == "DATA":
            self.shift()
            if self.tok.kind != "ID":
                raise self.fail("'ID'")
            return self.path(True, tok)
        if kind not in HELPER_NAME:
            raise self.fail("a helper name")
        self.shift()
        value: Any
        if kind == "STRING":
            value = tok.text
        elif kind == "NUMBER":
            value = float(tok.text)
        elif kind == "BOOLEAN":
            value = tok.text == "true"
        elif kind == "UNDEFINED":
            value = _UNDEFINED
        else:
            value = None
        return Expr(tok.line, tok.col, kind.lower(), value)

    def path(self, data: bool, first: Token) -> Expr:
        segments: list[tuple[str, str, str]] = []  # (part, original, separator)
        tok = self.expect("ID")
        segments.append((_id(tok.text), tok.text, ""))
        while self.tok.kind == "SEP":
            sep = self.shift()
            tok = self.expect("ID")
            segments.append((_id(tok.text), tok.text, sep.text))
        original = "@" if data else ""
        parts: list[str] = []
        depth = 0
        for part, raw, separator in segments:
            literal = raw != part
            original += separator + part
            if not literal and part in ("..", ".", "this"):
                if parts:
                    raise HbsError(
                        f"Invalid path: {original}",
                        first.line,
                        first.col + 1,
                    )
                if part == "..":
                    depth += 1
            else:
                parts.append(part)
        return Expr(first.line, first.col, "data" if data else "path", original, parts, depth)

    def block_params(self) -> list[str]:
        if self.tok.kind != "OPEN_BLOCK_PARAMS":
            return []
        self.shift()
        names = [_id(self.expect("ID").text)]
        while self.tok.kind == "ID":
            names.append(_id(self.shift().text))
        self.expect("CLOSE_BLOCK_PARAMS")
        return names

    def open_block(self) -> tuple[Token, Expr, list[Expr], Any, list[str], str, Token]:
        open_ = self.shift()
        start = self.tok.start
        path, params, hash_, _ = self.call()
        names = self.block_params()
        source = self.src[start : self.shifted.end if self.shifted else start]
        close = self.expect("CLOSE")
        return open_, path, params, hash_, names, source, close

    def block(self) -> Block:
        open_, path, params, hash_, names, source, close = self.open_block()
        inverted = open_.kind == "OPEN_INVERSE"
        program = self.program()
        program.block_params = names
        inverse: Program | None = None
        inverse_strip = (False, False)
        chain_head: Block | None = None
        if self.tok.kind == "INVERSE":
            tok = self.shift()
            inverse_strip = _strip(tok.raw, tok.raw)
            inverse = self.program()
        elif self.tok.kind == "OPEN_INVERSE_CHAIN" and not inverted:
            inverse_strip, inverse, chain_head = self.inverse_chain()
        if self.tok.kind != "OPEN_ENDBLOCK":
            expected = "'OPEN_ENDBLOCK'" if inverse is not None else "'INVERSE' or 'OPEN_ENDBLOCK'"
            if not inverted and inverse is None:
                expected = "'OPEN_INVERSE_CHAIN', 'INVERSE' or 'OPEN_ENDBLOCK'"
            err = self.fail(expected)
            if self.tok.kind == "EOF":
                opened = f"{{{{{open_.raw[2:].lstrip('~')}{_js(path.original)}}}}}"
                err.message = f"{opened} at {open_.line}:{open_.col + 1} is never closed ({err})"
            raise err
        close_strip = self.close_block(path)
        if chain_head is not None:
            chain_head.close_strip = close_strip
        decorator = "*" in open_.raw
        if decorator and inverse is not None:
            raise HbsError("Unexpected inverse block on decorator", 0, 0)
        body: Program | None = program
        if inverted:
            body, inverse = inverse, program
        return Block(
            open_.line,
            open_.col,
            path,
            params,
            hash_,
            body,
            inverse,
            _strip(open_.raw, close.raw),
            inverse_strip,
            close_strip,
            source,
            "decorator_block" if decorator else "block",
        )

    def inverse_chain(self) -> tuple[tuple[bool, bool], Program, Block]:
        """`{{else x}}` program [chain]: a one-block inverse program, as Handlebars.js builds.

        As in Handlebars.js, a chained block's close strip is the strip of what follows it,
        and the first block of a chain gets the strip of the tag that closes its parent.
        """
        open_, path, params, hash_, names, source, close = self.open_block()
        program = self.program()
        program.block_params = names
        inverse: Program | None = None
        inverse_strip = (False, False)
        if self.tok.kind == "INVERSE":
            tok = self.shift()
            inverse_strip = _strip(tok.raw, tok.raw)
            inverse = self.program()
        elif self.tok.kind == "OPEN_INVERSE_CHAIN":
            inverse_strip, inverse, nested = self.inverse_chain()
            nested.close_strip = inverse_strip
        block = Block(
            open_.line,
            open_.col,
            path,
            params,
            hash_,
            program,
            inverse,
            _strip(open_.raw, close.raw),
            inverse_strip,
            inverse_strip,
            source,
        )
        return _strip(open_.raw, close.raw), Program([block], chained=True), block

    def close_block(self, open_path: Expr) -> tuple[bool, bool]:
        open_ = self.expect("OPEN_ENDBLOCK")
        name = self.helper_name()
        close = self.expect("CLOSE")
        if not _same(open_path.original, name.original):
            message = f"{_js(open_path.original)} doesn't match {_js(name.original)}"
            raise HbsError(message, open_path.line, open_path.col + 1)
        return _strip(open_.raw, close.raw)

    def raw_block(self) -> Block:
        open_ = self.shift()
        path, params, hash_, source = self.call()
        self.expect("CLOSE_RAW_BLOCK")
        body: list[Any] = []
        while self.tok.kind == "CONTENT":
            tok = self.shift()
            body.append(Content(tok.line, tok.col, tok.text, tok.text))
        end = self.expect("END_RAW_BLOCK")
        if not _same(path.original, end.text):
            message = f"{_js(path.original)} doesn't match {end.text}"
            raise HbsError(message, path.line, path.col + 1)
        none = (False, False)
        program = Program(body)
        return Block(
            open_.line,
            open_.col,
            path,
            params,
            hash_,
            program,
            None,
            none,
            none,
            none,
            source,
            "raw",
        )


def _id(token: str) -> str:
    return token[1:-1] if re.fullmatch(r"\[.*\]", token, re.S) else token


def _same(a: Any, b: Any) -> bool:
    """JavaScript's a === b for block names (paths are strings, literals keep their type)."""
    if type(a) is not type(b):
        return False
    return bool(a is b or a == b)


def parse(source: str) -> Program:
    """The AST Handlebars.parse returns (whitespace control applied); raises HbsError."""
    program = _Parser(source).root()
    _WhitespaceControl().program(program, root=True)
    return program


# --- whitespace control (Handlebars.js's compiler/whitespace-control.js) -----------------------


def _prev_ws(body: list[Any], i: int | None = None, is_root: bool = False) -> bool | None:
    if i is None:
        i = len(body)
    prev = body[i - 1] if i - 1 >= 0 else None
    sibling = body[i - 2] if i - 2 >= 0 else None
    if prev is None:
        return is_root
    if isinstance(prev, Content):
        pattern = r"\r?\n\s*?$" if (sibling or not is_root) else r"(^|\r?\n)\s*?$"
        return re.search(pattern, prev.original) is not None
    return None


def _next_ws(body: list[Any], i: int | None = None, is_root: bool = False) -> bool | None:
    if i is None:
        i = -1
    nxt = body[i + 1] if i + 1 < len(body) else None
    sibling = body[i + 2] if i + 2 < len(body) else None
    if nxt is None:
        return is_root
    if isinstance(nxt, Content):
        pattern = r"^\s*?\r?\n" if (sibling or not is_root) else r"^\s*?(\r?\n|$)"
        return re.search(pattern, nxt.original) is not None
    return None


def _omit_right(body: list[Any], i: int | None = None, multiple: bool = False) -> None:
    index = 0 if i is None else i + 1
    current = body[index] if 0 <= index < len(body) else None
    if not isinstance(current, Content) or (not multiple and current.right_stripped):
        return
    original = current.value
    current.value = re.sub(r"^\s+" if multiple else r"^[ \t]*\r?\n?", "", current.value, count=1)
    current.right_stripped = current.value != original


def _omit_left(body: list[Any], i: int | None = None, multiple: bool = False) -> bool:
    index = len(body) - 1 if i is None else i - 1
    current = body[index] if 0 <= index < len(body) else None
    if not isinstance(current, Content) or (not multiple and current.left_stripped):
        return False
    original = current.value
    current.value = re.sub(r"\s+$" if multiple else r"[ \t]+$", "", current.value, count=1)
    current.left_stripped = current.value != original
    return current.left_stripped


@dataclass
class _Strip:
    open: bool = False
    close: bool = False
    open_standalone: bool = False
    close_standalone: bool = False
    inline_standalone: bool = False


class _WhitespaceControl:
    def __init__(self) -> None:
        self.root_seen = False

    def program(self, program: Program, root: bool = False) -> None:
        is_root = not self.root_seen
        self.root_seen = True
        body = program.body
        for i, current in enumerate(body):
            strip = self.accept(current)
            if strip is None:
                continue
            prev_ws = _prev_ws(body, i, is_root)
            next_ws = _next_ws(body, i, is_root)
            open_standalone = strip.open_standalone and prev_ws
            close_standalone = strip.close_standalone and next_ws
            inline_standalone = strip.inline_standalone and prev_ws and next_ws
            if strip.close:
                _omit_right(body, i, True)
            if strip.open:
                _omit_left(body, i, True)
            if inline_standalone:
                _omit_right(body, i)
                _omit_left(body, i)
            if open_standalone:
                inner = current.program or current.inverse
                _omit_right(inner.body)
                _omit_left(body, i)
            if close_standalone:
                _omit_right(body, i)
                inner = current.inverse or current.program
                _omit_left(inner.body)

    def accept(self, node: Any) -> _Strip | None:
        if isinstance(node, Block):
            return self.block(node)
        if isinstance(node, Mustache):
            return _Strip(open=node.strip[0], close=node.strip[1])
        if isinstance(node, (Comment, Partial)):
            return _Strip(open=node.strip[0], close=node.strip[1], inline_standalone=True)
        return None

    def block(self, block: Block) -> _Strip:
        if block.program is not None:
            self.program(block.program)
        if block.inverse is not None:
            self.program(block.inverse)
        program = block.program or block.inverse
        assert program is not None
        inverse = block.inverse if block.program is not None else None
        first_inverse = last_inverse = inverse
        if inverse is not None and inverse.chained:
            first_inverse = inverse.body[0].program
            while last_inverse is not None and last_inverse.chained:
                last_inverse = last_inverse.body[-1].program
        strip = _Strip(
            open=block.open_strip[0],
            close=block.close_strip[1],
            open_standalone=bool(_next_ws(program.body)),
            close_standalone=bool(_prev_ws((first_inverse or program).body)),
        )
        if block.open_strip[1]:
            _omit_right(program.body, None, True)
        if inverse is not None:
            assert first_inverse is not None
            assert last_inverse is not None
            if block.inverse_strip[0]:
                _omit_left(program.body, None, True)
            if block.inverse_strip[1]:
                _omit_right(first_inverse.body, None, True)
            if block.close_strip[0]:
                _omit_left(last_inverse.body, None, True)
            if _prev_ws(program.body) and _next_ws(first_inverse.body):
                _omit_left(program.body)
                _omit_right(first_inverse.body)
        elif block.close_strip[0]:
            _omit_left(program.body, None, True)
        return strip
