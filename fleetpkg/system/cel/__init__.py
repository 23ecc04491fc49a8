"""The Agent's ``cel`` input's CEL runtime: cel-python plus the mito extension functions.

Agent stream programs use Elastic's mito extensions; ``CelProgram(source, transport, clock)
.evaluate(state)`` takes and returns plain Python values. Extension functions are listed in
:data:`EXTENSIONS` (``fleetpkg test system --cel-extensions``); one module per family (``http``,
``url``, ``json``, ``time``, ``collections``, ``crypto``, ``strings``, ``optional``, ``errors``,
``operators``), assembled in ``registry``.
"""

from __future__ import annotations

from .errors import CelProgramError
from .http import Transport, TransportError, new_request, new_response
from .registry import EXTENSIONS, functions
from .rewrite import rewrite
from .runtime import CelProgram
from .strings import STRING_METHODS
from .values import NONE, OPTIONAL, Optional, Value, jsonable, rfc3339nano, to_cel, to_python

__all__ = [
    "EXTENSIONS",
    "NONE",
    "OPTIONAL",
    "STRING_METHODS",
    "CelProgram",
    "CelProgramError",
    "Optional",
    "Transport",
    "TransportError",
    "Value",
    "functions",
    "jsonable",
    "new_request",
    "new_response",
    "rewrite",
    "rfc3339nano",
    "to_cel",
    "to_python",
]
