"""Parse a CEL `program` of the Agent's cel input with cel-python and check the functions it calls.

cel-python knows standard CEL only, so the Agent's extension functions (mito: HTTP, JSON, time,
strings, collections) are declared here by name; a call of anything else is reported. Programs
are parsed (fleetpkg.celparse, which the build uses too), not run (running them against a
simulated API is a separate tool).
"""

from __future__ import annotations

from typing import Any

from fleetpkg import celparse

CEL_STANDARD = frozenset(
    [
        "has",
        "size",
        "int",
        "uint",
        "double",
        "string",
        "bytes",
        "bool",
        "type",
        "dyn",
        "duration",
        "timestamp",
        "matches",
        "contains",
        "startsWith",
        "endsWith",
        "exists",
        "all",
        "exists_one",
        "map",
        "filter",
        "getFullYear",
        "getMonth",
        "getDate",
        "getDayOfMonth",
        "getDayOfWeek",
        "getDayOfYear",
        "getHours",
        "getMinutes",
        "getSeconds",
        "getMilliseconds",
    ]
)
# The Agent's CEL extensions (github.com/elastic/mito lib) used by integrations.
AGENT_EXTENSIONS = frozenset(
    # HTTP
    [
        "get",
        "get_request",
        "head",
        "head_request",
        "post",
        "post_request",
        "request",
        "do_request",
        "with",
        "with_replace",
        "with_update",
        "basic_authentication",
        "decode_json",
        "decode_json_stream",
        "encode_json",
        "decode_xml",
        "mime",
        "parse_url",
        "format_url",
        "parse_query",
        "format_query",
        "now",
        "format",
        "parse_time",
        "contains_substr",
        "has_prefix",
        "has_suffix",
        "index",
        "join",
        "last_index",
        "replace",
        "replace_all",
        "split",
        "split_after",
        "split_n",
        "substring",
        "to_lower",
        "to_upper",
        "to_valid_utf8",
        "trim",
        "trim_left",
        "trim_prefix",
        "trim_right",
        "trim_space",
        "trim_suffix",
        "valid_utf8",
        "sprintf",
        "base64",
        "base64_decode",
        "base64_raw",
        "base64_raw_decode",
        "hex",
        "hmac",
        "md5",
        "sha1",
        "sha256",
        "uuid",
        "as",
        "collate",
        "drop",
        "drop_empty",
        "flatten",
        "front",
        "keys",
        "max",
        "min",
        "sum",
        "tail",
        "values",
        "zip",
        "optional",
        "orValue",
        "value",
        "hasValue",
        "try",
        "is_error",
        "debug",
        "rate_limit",
        "file",
        "dir",
    ]
)
KNOWN_FUNCTIONS = CEL_STANDARD | AGENT_EXTENSIONS


class CelError(ValueError):
    """A program that does not parse or calls an unknown function; a parse error's 1-based
    line and column in the program (0: none)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def called_functions(program: str) -> set[str]:
    """Names of the functions and methods `program` calls; CelError when it does not parse."""
    try:
        tree = celparse.parse(program)
    except celparse.CelSyntaxError as err:
        raise CelError(f"CEL program does not parse: {err.text}", err.line, err.column) from None
    return celparse.called_functions(tree)


def _stub(name: str) -> Any:
    def stub(*_args: Any) -> Any:
        raise NotImplementedError(f"{name} is declared for compiling only")

    return stub


def compile_program(program: str) -> Any:
    """A cel-python runner for `program`, the Agent's extensions declared as stubs."""
    import celpy

    env = celpy.Environment()
    try:
        tree = celparse.parse(program)
    except celparse.CelSyntaxError as err:
        raise CelError(f"CEL program does not parse: {err.text}", err.line, err.column) from None
    stubs = {name: _stub(name) for name in sorted(AGENT_EXTENSIONS)}
    return env.program(tree, functions=stubs)


def check_program(program: str) -> list[str]:
    """Problems of a program: a parse error, or each call of an undeclared function."""
    try:
        names = called_functions(program)
        compile_program(program)
    except CelError as err:
        return [str(err)]
    return [f"CEL program calls unknown function {n!r}" for n in sorted(names - KNOWN_FUNCTIONS)]
