"""Painless scripting for the embedded ingest engine.

`compile_script(source, params=...)` parses (lark LALR grammar) and compiles the script once to
Python closures; `script.execute(ctx, params)` runs it against an ingest document's map.
"""

from .errors import PainlessCompileError, PainlessError, PainlessRuntimeError
from .script import CompiledScript, compile_script

__all__ = [
    "CompiledScript",
    "PainlessCompileError",
    "PainlessError",
    "PainlessRuntimeError",
    "compile_script",
]
