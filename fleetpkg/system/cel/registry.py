"""The extension registry: every function a program can call, keyed by its CEL name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celpy.evaluation import CELEvalError

from ..clock import Clock
from . import collections, crypto, errors, json, operators, optional, strings, time, url
from .errors import LAZY, eval_error
from .http import Transport, transport_functions
from .strings import STRING_METHODS
from .values import to_python

# Names of everything this runtime adds to standard CEL (listed by the CLI and the report).
EXTENSIONS = (
    "HTTP: get, head, post, request, get_request, post_request, do_request, with, "
    "with_replace, with_update, basic_authentication, parse_url, format_url, parse_query, "
    "format_query",
    "JSON: encode_json, decode_json, decode_json_stream",
    "time: now (variable and function), timestamp(int|RFC 3339), <timestamp>.format(layout), "
    "<string>.parse_time(layout|list), time_layout.*, duration(Go units), "
    "timestamp - timestamp, string(timestamp) as RFC 3339 nano",
    "collections: collate, drop, drop_empty, flatten, max, min, zip, keys, values, tail",
    "crypto: base64, base64_raw, base64_decode, base64_raw_decode, hex, md5, sha1, sha256, "
    "hmac, uuid",
    "errors: try, is_error",
    "optional: x.?f, optional.of, optional.none, optional.ofNonZeroValue, orValue, hasValue, "
    "value, or, optMap",
    "strings: "
    + ", ".join(
        sorted(
            [
                *STRING_METHODS,
                "split",
                "join",
                "replace",
                "index",
                "last_index",
                "substring",
                "format",
            ]
        )
    ),
    "macros: as, optMap; numbers compare across int/uint/double like cel-go",
    "debug(tag, value)",
)


def _fn(func: Callable[..., Any]) -> Callable[..., Any]:
    """Errors in arguments pass through; Python exceptions become CEL errors."""

    def wrapper(*args: Any) -> Any:
        for arg in args:
            if isinstance(arg, CELEvalError):
                return arg
        try:
            return func(*args)
        except CELEvalError as err:
            return err
        except (TypeError, AttributeError, IndexError) as err:
            return CELEvalError(
                f"no such overload: {func.__name__.strip('_')}", type(err), (str(err),)
            )
        except (ValueError, KeyError, OverflowError, ZeroDivisionError) as err:
            return eval_error(str(err) or type(err).__name__)

    wrapper.__name__ = func.__name__
    return wrapper


def _debug_function(log: Callable[[str], None]) -> Callable[..., Any]:
    def debug(tag: Any, value: Any) -> Any:
        log(f"debug {tag}: {to_python(value)!r}"[:500])
        return value

    return debug


def functions(
    transport: Transport | None, clock: Clock, log: Callable[[str], None]
) -> dict[str, Any]:
    """The function table of one program: CEL name → function."""
    table: dict[str, Callable[..., Any]] = {
        **operators.FUNCTIONS,
        **time.FUNCTIONS,
        **time.clock_functions(clock),
        **json.FUNCTIONS,
        **collections.FUNCTIONS,
        **crypto.FUNCTIONS,
        **errors.FUNCTIONS,
        **optional.FUNCTIONS,
        **strings.FUNCTIONS,
        **url.FUNCTIONS,
        **transport_functions(transport),
        "debug": _debug_function(log),
    }
    return {name: (f if name in LAZY else _fn(f)) for name, f in table.items()}
