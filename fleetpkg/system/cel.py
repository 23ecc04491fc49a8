"""CEL programs as the Agent's ``cel`` input runs them: cel-python plus the extension functions
of Elastic's mito library that Cloudflare programs use.

``CelProgram(source, transport, clock).evaluate(state)`` takes and returns plain Python values.
Extension functions are listed in :data:`EXTENSIONS` (see ``fleetpkg system-test --help``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac as _hmac
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, cast
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import celpy
import lark
from celpy import celtypes
from celpy.celparser import CELParseError
from celpy.evaluation import CELEvalError, Evaluator, NameContainer, base_functions

from .clock import Clock
from .gotime import LAYOUTS, format_time, go_duration, parse_time

Value = Any


class CelError(Exception):
    """The program does not compile or its evaluation failed."""


class Transport(Protocol):
    """Executes one HTTP request (a Go ``http.Request`` as a map) and returns the response map.

    Raises :class:`TransportError` when no response arrives (after its own retries).
    """

    def do(self, request: dict[str, Any]) -> dict[str, Any]: ...


class TransportError(Exception):
    pass


class Optional:
    """cel-go's ``optional_type``."""

    __slots__ = ("present", "value")

    def __init__(self, present: bool, value: Any = None) -> None:
        self.present = present
        self.value = value

    def __repr__(self) -> str:
        return f"optional.of({self.value!r})" if self.present else "optional.none()"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Optional)
            and other.present == self.present
            and (not self.present or other.value == self.value)
        )

    def __hash__(self) -> int:
        return hash(self.present)


class _OptionalNamespace:
    def __repr__(self) -> str:
        return "optional"


OPTIONAL = _OptionalNamespace()
NONE = Optional(False)

# ---------------------------------------------------------------------------------------------
# value conversion


def to_cel(value: Any, json_numbers: bool = False) -> Value:
    """Python → CEL; ``json_numbers`` makes every number a double (Go's ``encoding/json``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, int):
        return celtypes.DoubleType(value) if json_numbers else celtypes.IntType(value)
    if isinstance(value, float):
        return celtypes.DoubleType(value)
    if isinstance(value, str):
        return celtypes.StringType(value)
    if isinstance(value, bytes | bytearray):
        return celtypes.BytesType(bytes(value))
    if isinstance(value, datetime):
        return celtypes.TimestampType(value)
    if isinstance(value, Mapping):
        return celtypes.MapType(
            {celtypes.StringType(str(k)): to_cel(v, json_numbers) for k, v in value.items()}
        )
    if isinstance(value, list | tuple):
        return celtypes.ListType([to_cel(v, json_numbers) for v in value])
    raise CelError(f"cannot convert {type(value).__name__} to CEL")


def rfc3339nano(when: datetime) -> str:
    return format_time(when.astimezone(UTC), LAYOUTS["RFC3339Nano"])


def to_python(value: Value) -> Any:
    """CEL → plain Python (JSON-like: timestamps become RFC 3339 strings)."""
    if isinstance(value, CELEvalError):
        raise CelError(_message(value))
    if value is None or isinstance(value, celtypes.NullType):
        return None
    if isinstance(value, celtypes.BoolType | bool):
        return bool(value)
    if isinstance(value, celtypes.IntType | celtypes.UintType) or type(value) is int:
        return int(value)
    if isinstance(value, celtypes.DoubleType | float):
        return float(value)
    if isinstance(value, celtypes.StringType | str):
        return str(value)
    if isinstance(value, celtypes.BytesType | bytes):
        return bytes(value)
    if isinstance(value, celtypes.TimestampType):
        return rfc3339nano(value)
    if isinstance(value, celtypes.DurationType):
        return go_duration(value.total_seconds())
    if isinstance(value, Mapping):
        return {str(k): to_python(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_python(v) for v in value]
    if isinstance(value, Optional):
        raise CelError("an optional value cannot be stored in the state or in an event")
    raise CelError(f"cannot convert {type(value).__name__} from CEL")


def jsonable(value: Any) -> Any:
    """The JSON view Go gives a value: bytes become base64 strings, whole doubles print
    without a fraction (``200``, not ``200.0``)."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def _message(err: CELEvalError) -> str:
    args = err.args
    text = str(args[0]) if args else "evaluation error"
    if len(args) >= 3 and args[2]:
        detail = args[2][0] if isinstance(args[2], tuple) and args[2] else args[2]
        if str(detail) and str(detail) not in text:
            text = f"{text}: {detail}"
    return text


def _err(message: str) -> CELEvalError:
    return CELEvalError(message, ValueError, (message,))


# ---------------------------------------------------------------------------------------------
# the evaluator: mito macros (``as``, ``optMap``) and lazily evaluated ``try``/``is_error``

_LAZY = frozenset({"try", "is_error"})


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
            return _opt_field(member, celtypes.StringType(name))
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
                    return _err(f"no such overload: {name} on {type(member).__name__}")
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
        if name_token.value in _LAZY:
            function = self.activation.resolve_function(name_token.value)
            return function(*list(exprlist or []))
        return super().function_eval(name_token, exprlist)


class _Runner(celpy.InterpretedRunner):
    def evaluate(self, context: Any) -> Any:
        return _AgentEvaluator(ast=self.ast, activation=self.new_activation()).evaluate(context)


class _AnyType:
    """Stands in for ``typing`` generics that cel-python subscripts at run time inside
    ``cast(...)`` calls (each subscription costs a cached-hash lookup; this makes it free)."""

    def __getitem__(self, _item: Any) -> _AnyType:
        return self


def _speed_up_celpy() -> None:
    import celpy.evaluation as evaluation

    fast = _AnyType()
    for name in ("Tuple", "List", "Dict", "Iterable", "Callable", "Union", "Optional", "Type"):
        if hasattr(evaluation, name):
            setattr(evaluation, name, fast)


_speed_up_celpy()
_ENV = celpy.Environment(runner_class=_Runner)

# ---------------------------------------------------------------------------------------------
# source rewriting: ``x.?f`` → ``x._opt_field("f")`` (cel-python has no optional syntax)

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_OPT_FIELD = re.compile(r"\.\?\s*([A-Za-z_][A-Za-z0-9_]*)")


def rewrite(source: str) -> str:
    out: list[str] = []
    code_start = 0
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "/" and source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            out.append(_rewrite_code(source[code_start:i]))
            out.append(source[i:end])
            i = code_start = end
            continue
        if ch in "\"'":
            quote3 = source[i : i + 3]
            delim = quote3 if quote3 in ('"""', "'''") else ch
            j = i + len(delim)
            while j < n and not source.startswith(delim, j):
                j += 2 if source[j] == "\\" else 1
            end = min(n, j + len(delim))
            out.append(_rewrite_code(source[code_start:i]))
            out.append(source[i:end])
            i = code_start = end
            continue
        i += 1
    out.append(_rewrite_code(source[code_start:]))
    return "".join(out)


def _rewrite_code(code: str) -> str:
    if "[?" in code.replace(" ", ""):
        raise CelError("optional index syntax ([?key]) is not supported by this runtime")
    code = _TRAILING_COMMA.sub(r"\1", code)  # cel-go accepts `[1, 2,]` and `{"a": 1,}`
    return _OPT_FIELD.sub(lambda m: f'._opt_field("{m.group(1)}")', code)


# ---------------------------------------------------------------------------------------------
# extension functions


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
            return _err(str(err) or type(err).__name__)

    wrapper.__name__ = func.__name__
    return wrapper


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected string, got {type(value).__name__}")
    return str(value)


def _bytes_or_str(value: Any) -> bytes:
    if isinstance(value, celtypes.BytesType | bytes):
        return bytes(value)
    if isinstance(value, str):
        return str(value).encode()
    raise TypeError(f"expected bytes or string, got {type(value).__name__}")


# numbers: cel-go compares int, uint and double with each other; arithmetic stays strict
_NUMBER = (celtypes.IntType, celtypes.UintType, celtypes.DoubleType)


def _numeric(left: Any, right: Any) -> bool:
    return (
        isinstance(left, _NUMBER)
        and isinstance(right, _NUMBER)
        and not isinstance(left, celtypes.BoolType)
        and not isinstance(right, celtypes.BoolType)
        and type(left) is not type(right)
    )


def _compare(op: str, base: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def compare(left: Any, right: Any) -> Any:
        if _numeric(left, right):
            a, b = float(left), float(right)
            return celtypes.BoolType(
                {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]
            )
        if op in ("==", "!=") and (left is None or right is None):
            same = left is None and right is None
            return celtypes.BoolType(same if op == "==" else not same)
        return base(left, right)

    return compare


def _arithmetic(op: str) -> Callable[[Any, Any], Any]:
    base = base_functions[op]

    def arithmetic(left: Any, right: Any) -> Any:
        if _numeric(left, right):  # cel-go has no mixed int/uint/double arithmetic
            return CELEvalError(
                f"no such overload: {type(left).__name__} {op[1]} {type(right).__name__}",
                TypeError,
                (),
            )
        return base(left, right)

    return arithmetic


def _timestamp(value: Any) -> Any:
    if isinstance(value, celtypes.TimestampType):
        return value
    if isinstance(value, celtypes.IntType):
        return celtypes.TimestampType(datetime.fromtimestamp(int(value), UTC))
    text = _str(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", text):
        raise ValueError(f'timestamp("{text}"): not RFC 3339')
    when, _ = parse_time(text, LAYOUTS["RFC3339"])
    return celtypes.TimestampType(when)


def _string(value: Any) -> Any:
    if isinstance(value, celtypes.TimestampType):
        return celtypes.StringType(rfc3339nano(value))
    if isinstance(value, celtypes.DurationType):
        seconds = f"{value.total_seconds():.9f}".rstrip("0").rstrip(".")
        return celtypes.StringType(seconds + "s")
    if isinstance(value, celtypes.BytesType):
        return celtypes.StringType(bytes(value).decode("utf-8"))
    return celtypes.StringType(value)


def _sub(left: Any, right: Any) -> Any:
    if isinstance(left, celtypes.TimestampType) and isinstance(right, celtypes.TimestampType):
        return celtypes.DurationType(datetime.__sub__(left, right))
    return _arithmetic("_-_")(left, right)


def _duration(value: Any) -> Any:
    if isinstance(value, celtypes.DurationType):
        return value
    text = _str(value)
    if not re.fullmatch(r"-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+", text):
        raise ValueError(f'duration("{text}"): invalid duration')
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
    total = sum(
        float(n) * units[u] for n, _, u in re.findall(r"(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)", text)
    )
    return celtypes.DurationType(timedelta(seconds=-total if text.startswith("-") else total))


# JSON


def _encode_json(value: Any) -> Any:
    return celtypes.StringType(
        json.dumps(jsonable(to_python(value)), separators=(",", ":"), ensure_ascii=False)
    )


def _decode_json(value: Any) -> Any:
    try:
        return to_cel(json.loads(_bytes_or_str(value)), json_numbers=True)
    except json.JSONDecodeError as err:
        raise ValueError(f"failed to unmarshal JSON message: {err}") from None


def _decode_json_stream(value: Any) -> Any:
    text = _bytes_or_str(value).decode("utf-8")
    decoder = json.JSONDecoder()
    out = []
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            break
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise ValueError(f"failed to unmarshal JSON stream: {err}") from None
        out.append(item)
    return to_cel(out, json_numbers=True)


# collections


def _with(base: Any, other: Any) -> Any:
    if not isinstance(base, Mapping) or not isinstance(other, Mapping):
        raise TypeError("with needs two maps")
    merged = dict(base)
    merged.update(other)
    return celtypes.MapType(merged)


def _with_replace(base: Any, other: Any) -> Any:
    merged = dict(base)
    merged.update({k: v for k, v in other.items() if k in base})
    return celtypes.MapType(merged)


def _with_update(base: Any, other: Any) -> Any:
    merged = dict(base)
    merged.update({k: v for k, v in other.items() if k not in base})
    return celtypes.MapType(merged)


def _dig(value: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


def _collate(value: Any, paths: Any) -> Any:
    names = [str(paths)] if isinstance(paths, str) else [str(p) for p in paths]
    items = list(value.values()) if isinstance(value, Mapping) else list(value)
    out: list[Any] = []
    for item in items:
        for name in names:
            found = _dig(item, name)
            if found is None:
                continue
            if isinstance(found, list):
                out.extend(found)
            else:
                out.append(found)
    return celtypes.ListType(out)


def _drop(value: Any, paths: Any) -> Any:
    names = [str(paths)] if isinstance(paths, str) else [str(p) for p in paths]

    def drop_one(obj: Any, parts: list[str]) -> Any:
        if not isinstance(obj, Mapping):
            return obj
        if len(parts) == 1:
            return celtypes.MapType({k: v for k, v in obj.items() if k != parts[0]})
        if parts[0] not in obj:
            return obj
        updated = dict(obj)
        updated[parts[0]] = drop_one(obj[parts[0]], parts[1:])
        return celtypes.MapType(updated)

    def drop_all(obj: Any) -> Any:
        for name in names:
            obj = drop_one(obj, name.split("."))
        return obj

    if isinstance(value, list):
        return celtypes.ListType([drop_all(v) for v in value])
    return drop_all(value)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, Mapping | list) and len(value) == 0)


def _drop_empty(value: Any) -> Any:
    if isinstance(value, Mapping):
        kept = {k: _drop_empty(v) for k, v in value.items()}
        return celtypes.MapType({k: v for k, v in kept.items() if not _is_empty(v)})
    if isinstance(value, list):
        kept_list = [_drop_empty(v) for v in value]
        return celtypes.ListType([v for v in kept_list if not _is_empty(v)])
    return value


def _flatten(value: Any) -> Any:
    out: list[Any] = []
    for item in value:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return celtypes.ListType(out)


def _extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
    def extreme(*args: Any) -> Any:
        items = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
        if not items:
            raise ValueError("min/max of an empty list")
        if all(isinstance(i, _NUMBER) for i in items):
            return pick(items, key=float)
        return pick(items)

    return extreme


def _zip(keys: Any, values: Any) -> Any:
    if len(keys) != len(values):
        raise ValueError("zip: lists of different lengths")
    return celtypes.MapType(dict(zip(keys, values, strict=True)))


def _tail(value: Any, *rest: Any) -> Any:
    return celtypes.ListType(list(value)[1:])


# crypto


def _base64(value: Any) -> Any:
    return celtypes.StringType(base64.b64encode(_bytes_or_str(value)).decode())


def _base64_raw(value: Any) -> Any:
    return celtypes.StringType(base64.b64encode(_bytes_or_str(value)).decode().rstrip("="))


def _base64_decode(value: Any) -> Any:
    return celtypes.BytesType(base64.b64decode(_str(value), validate=True))


def _base64_raw_decode(value: Any) -> Any:
    text = _str(value)
    return celtypes.BytesType(base64.b64decode(text + "=" * (-len(text) % 4)))


def _digest(name: str) -> Callable[[Any], Any]:
    def digest(value: Any) -> Any:
        return celtypes.BytesType(hashlib.new(name, _bytes_or_str(value)).digest())

    digest.__name__ = name
    return digest


def _hex(value: Any) -> Any:
    return celtypes.StringType(_bytes_or_str(value).hex())


def _hmac_fn(value: Any, algorithm: Any, key: Any) -> Any:
    name = {"sha1": "sha1", "sha256": "sha256", "sha512": "sha512", "md5": "md5"}[str(algorithm)]
    return celtypes.BytesType(_hmac.new(_bytes_or_str(key), _bytes_or_str(value), name).digest())


# try


def _try(value: Any, name: Any = None) -> Any:
    if isinstance(value, CELEvalError):
        return celtypes.MapType(
            {celtypes.StringType(str(name or "error")): celtypes.StringType(_message(value))}
        )
    return value


def _is_error(value: Any) -> Any:
    return celtypes.BoolType(isinstance(value, CELEvalError))


# optional


def _opt_field(value: Any, name: Any) -> Any:
    if isinstance(value, Optional):
        if not value.present:
            return NONE
        value = value.value
    if isinstance(value, Mapping) and name in value:
        return Optional(True, value[name])
    if isinstance(value, Mapping):
        return NONE
    raise TypeError(f"no such field {name} on {type(value).__name__}")


def _opt_of(namespace: Any, value: Any) -> Any:
    return Optional(True, value)


def _opt_none(namespace: Any) -> Any:
    return NONE


def _opt_nonzero(namespace: Any, value: Any) -> Any:
    zero = value is None or value in (0, "", b"", False) or _is_empty(value)
    return NONE if zero else Optional(True, value)


def _or_value(opt: Any, default: Any) -> Any:
    if not isinstance(opt, Optional):
        raise TypeError("orValue needs an optional")
    return opt.value if opt.present else default


def _has_value(opt: Any) -> Any:
    if not isinstance(opt, Optional):
        raise TypeError("hasValue needs an optional")
    return celtypes.BoolType(opt.present)


def _value(opt: Any) -> Any:
    if not isinstance(opt, Optional):
        raise TypeError("value needs an optional")
    if not opt.present:
        raise ValueError("optional.none() dereference")
    return opt.value


def _or(opt: Any, other: Any) -> Any:
    return opt if isinstance(opt, Optional) and opt.present else other


# strings (mito ``strings`` and cel-go ``ext.Strings``)


def _substring(value: Any, start: Any, end: Any = None) -> Any:
    text = _str(value)
    stop = len(text) if end is None else int(end)
    if not 0 <= int(start) <= stop <= len(text):
        raise ValueError(f"substring: index out of range [{start}:{stop}]")
    return celtypes.StringType(text[int(start) : stop])


def _split(value: Any, sep: Any, limit: Any = None) -> Any:
    text, separator = _str(value), _str(sep)
    if limit is not None and int(limit) == 0:
        return celtypes.ListType([])
    if separator == "":
        parts = list(text)
    elif limit is not None and int(limit) > 0:
        parts = text.split(separator, int(limit) - 1)
    else:
        parts = text.split(separator)
    return celtypes.ListType([celtypes.StringType(p) for p in parts])


def _join(value: Any, sep: Any = "") -> Any:
    if isinstance(value, str):  # mito: join(<list>, <string>) with the string first? no: list
        raise TypeError("join needs a list")
    return celtypes.StringType(str(sep).join(_str(v) for v in value))


def _replace(value: Any, old: Any, new: Any, count: Any = -1) -> Any:
    return celtypes.StringType(_str(value).replace(_str(old), _str(new), int(count)))


def _index(value: Any, sub: Any, *rest: Any) -> Any:
    return celtypes.IntType(_str(value).find(_str(sub)))


def _last_index(value: Any, sub: Any, *rest: Any) -> Any:
    return celtypes.IntType(_str(value).rfind(_str(sub)))


def _string_format(fmt: str, args: Any) -> str:
    items = list(args)
    out: list[str] = []
    pos = 0
    for match in re.finditer(r"%(\.\d+)?([sdfebxXo%])", fmt):
        out.append(fmt[pos : match.start()])
        pos = match.end()
        verb = match.group(2)
        if verb == "%":
            out.append("%")
            continue
        item = items.pop(0)
        if verb == "s":
            out.append(str(to_python(item)) if not isinstance(item, str) else str(item))
        elif verb == "d":
            out.append(str(int(item)))
        elif verb in "fe":
            precision = match.group(1) or ".6"
            out.append(format(float(item), precision + verb))
        elif verb in "xX":
            text = (
                _bytes_or_str(item).hex()
                if isinstance(item, str | bytes)
                else format(int(item), "x")
            )
            out.append(text.upper() if verb == "X" else text)
        elif verb == "o":
            out.append(format(int(item), "o"))
        elif verb == "b":
            out.append(format(int(item), "b"))
    out.append(fmt[pos:])
    return "".join(out)


def _format(value: Any, arg: Any) -> Any:
    if isinstance(value, celtypes.TimestampType):
        return celtypes.StringType(format_time(value, _str(arg)))
    return celtypes.StringType(_string_format(_str(value), arg))


def _parse_time(value: Any, layouts: Any) -> Any:
    options = [str(layouts)] if isinstance(layouts, str) else [str(x) for x in layouts]
    last: Exception | None = None
    for layout in options:
        try:
            return celtypes.TimestampType(parse_time(_str(value), layout)[0])
        except ValueError as err:
            last = err
    raise ValueError(str(last))


def _str_method(func: Callable[..., Any]) -> Callable[..., Any]:
    def method(value: Any, *args: Any) -> Any:
        result = func(_str(value), *[str(a) if isinstance(a, str) else a for a in args])
        return to_cel(result)

    method.__name__ = func.__name__
    return method


# URLs


def _parse_url(value: Any) -> Any:
    parts = urlsplit(_str(value))
    user = None
    if parts.username is not None:
        user = {
            "Username": parts.username,
            "Password": parts.password or "",
            "PasswordSet": parts.password is not None,
        }
    return to_cel(
        {
            "Scheme": parts.scheme,
            "Opaque": "",
            "User": user,
            "Host": parts.netloc.rsplit("@", 1)[-1],
            "Path": parts.path,
            "RawPath": "",
            "ForceQuery": False,
            "RawQuery": parts.query,
            "Fragment": parts.fragment,
            "RawFragment": "",
        }
    )


def _format_url(value: Any) -> Any:
    url = to_python(value)
    text = f"{url.get('Scheme', '')}://" if url.get("Scheme") else ""
    user = url.get("User")
    if user:
        text += quote(user.get("Username", ""), safe="")
        if user.get("PasswordSet"):
            text += ":" + quote(user.get("Password", ""), safe="")
        text += "@"
    text += url.get("Host", "") + url.get("Path", "")
    if url.get("RawQuery"):
        text += "?" + url["RawQuery"]
    if url.get("Fragment"):
        text += "#" + url["Fragment"]
    return celtypes.StringType(text)


def _parse_query(value: Any) -> Any:
    out: dict[str, list[str]] = {}
    for key, item in parse_qsl(_str(value), keep_blank_values=True):
        out.setdefault(key, []).append(item)
    return to_cel(out)


def _format_query(value: Any) -> Any:
    pairs: list[tuple[str, str]] = []
    for key in sorted(value):  # Go's url.Values.Encode sorts by key
        items = value[key]
        for item in items if isinstance(items, list) else [items]:
            pairs.append((str(key), str(to_python(item))))
    return celtypes.StringType(urlencode(pairs, quote_via=quote, safe=""))


# HTTP requests


def _canonical(name: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in name.split("-"))


def new_request(method: str, url: str, body: bytes | None = None) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "Method": method,
        "URL": url,
        "Proto": "HTTP/1.1",
        "ProtoMajor": 1,
        "ProtoMinor": 1,
        "Header": {},
        "Body": body if body is not None else b"",
        "ContentLength": len(body or b""),
        "Close": False,
        "Host": parts.netloc,
    }


def new_response(
    request: dict[str, Any], status: int, reason: str, headers: list[tuple[str, str]], body: bytes
) -> dict[str, Any]:
    header: dict[str, list[str]] = {}
    for name, value in headers:
        header.setdefault(_canonical(name), []).append(value)
    return {
        "Status": f"{status} {reason}".strip(),
        "StatusCode": status,
        "Proto": "HTTP/1.1",
        "ProtoMajor": 1,
        "ProtoMinor": 1,
        "Header": header,
        "ContentLength": len(body),
        "Body": body,
        "Trailer": {},
        "TransferEncoding": [],
        "Close": False,
        "Uncompressed": False,
        "Request": {k: v for k, v in request.items() if k != "Body"},
    }


class _Http:
    def __init__(self, transport: Transport | None) -> None:
        self.transport = transport

    def do(self, request: Any) -> Any:
        if self.transport is None:
            raise CELEvalError("no HTTP transport configured", RuntimeError, ())
        req = to_python(request)
        if not isinstance(req, dict) or not isinstance(req.get("URL"), str):
            raise TypeError("do_request needs a request map with a URL")
        req.setdefault("Method", "GET")
        req["Header"] = {
            _canonical(k): ([str(x) for x in v] if isinstance(v, list) else [str(v)])
            for k, v in (req.get("Header") or {}).items()
        }
        try:
            response = self.transport.do(req)
        except TransportError as err:
            verb = str(req["Method"]).capitalize()
            raise CELEvalError(f'{verb} "{req["URL"]}": {err}', TransportError, ()) from None
        return to_cel(response)

    def get(self, url: Any) -> Any:
        return self.do(to_cel(new_request("GET", _str(url))))

    def head(self, url: Any) -> Any:
        return self.do(to_cel(new_request("HEAD", _str(url))))

    def post(self, url: Any, content_type: Any, body: Any) -> Any:
        return self.do(self.post_request(url, content_type, body))

    @staticmethod
    def request(method: Any, url: Any, body: Any = None) -> Any:
        data = None if body is None else _bytes_or_str(body)
        return to_cel(new_request(_str(method), _str(url), data))

    @staticmethod
    def get_request(url: Any) -> Any:
        return to_cel(new_request("GET", _str(url)))

    @staticmethod
    def post_request(url: Any, content_type: Any, body: Any) -> Any:
        req = new_request("POST", _str(url), _bytes_or_str(body))
        req["Header"] = {"Content-Type": [_str(content_type)]}
        return to_cel(req)

    @staticmethod
    def basic_authentication(request: Any, user: Any, password: Any) -> Any:
        token = base64.b64encode(f"{_str(user)}:{_str(password)}".encode()).decode()
        headers = dict(request.get("Header") or {})
        headers[celtypes.StringType("Authorization")] = to_cel([f"Basic {token}"])
        return _with(request, {celtypes.StringType("Header"): celtypes.MapType(headers)})


STRING_METHODS: dict[str, Callable[..., Any]] = {
    "to_lower": str.lower,
    "to_upper": str.upper,
    "lowerAscii": str.lower,
    "upperAscii": str.upper,
    "trim_space": str.strip,
    "trim": lambda s, cut=None: s.strip() if cut is None else s.strip(cut),
    "trim_left": lambda s, cut: s.lstrip(cut),
    "trim_right": lambda s, cut: s.rstrip(cut),
    "trim_prefix": lambda s, p: s[len(p) :] if s.startswith(p) else s,
    "trim_suffix": lambda s, p: s[: -len(p)] if p and s.endswith(p) else s,
    "has_prefix": lambda s, p: s.startswith(p),
    "has_suffix": lambda s, p: s.endswith(p),
    "contains_substr": lambda s, p: p in s,
    "contains_any": lambda s, chars: any(c in s for c in chars),
    "count": lambda s, p: s.count(p) if p else len(s) + 1,
    "equal_fold": lambda s, o: s.casefold() == o.casefold(),
    "fields": str.split,
    "repeat": lambda s, n: s * int(n),
    "replace_all": lambda s, old, new: s.replace(old, new),
    "title": str.title,
    "to_title": str.upper,
    "charAt": lambda s, i: s[int(i)] if int(i) < len(s) else "",
    "indexOf": lambda s, p, *r: s.find(p, int(r[0]) if r else 0),
    "lastIndexOf": lambda s, p, *r: s.rfind(p),
    "quote": lambda s: json.dumps(s),
    "split_n": lambda s, sep, n: s.split(sep, int(n) - 1) if int(n) > 0 else s.split(sep),
}

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


def functions(
    transport: Transport | None, clock: Clock, log: Callable[[str], None]
) -> dict[str, Any]:
    http = _Http(transport)

    def now(*_: Any) -> Any:
        return celtypes.TimestampType(datetime.fromtimestamp(clock.now(), UTC))

    def debug(tag: Any, value: Any) -> Any:
        log(f"debug {tag}: {to_python(value)!r}"[:500])
        return value

    table: dict[str, Callable[..., Any]] = {
        "_==_": _compare("==", base_functions["_==_"]),
        "_!=_": _compare("!=", base_functions["_!=_"]),
        "_<_": _compare("<", base_functions["_<_"]),
        "_<=_": _compare("<=", base_functions["_<=_"]),
        "_>_": _compare(">", base_functions["_>_"]),
        "_>=_": _compare(">=", base_functions["_>=_"]),
        "_-_": _sub,
        "_+_": _arithmetic("_+_"),
        "_*_": _arithmetic("_*_"),
        "_/_": _arithmetic("_/_"),
        "_%_": _arithmetic("_%_"),
        "timestamp": _timestamp,
        "duration": _duration,
        "string": _string,
        "now": now,
        "encode_json": _encode_json,
        "decode_json": _decode_json,
        "decode_json_stream": _decode_json_stream,
        "format": _format,
        "parse_time": _parse_time,
        "with": _with,
        "with_replace": _with_replace,
        "with_update": _with_update,
        "collate": _collate,
        "drop": _drop,
        "drop_empty": _drop_empty,
        "flatten": _flatten,
        "max": _extreme(max),
        "min": _extreme(min),
        "zip": _zip,
        "keys": lambda m: celtypes.ListType(list(m.keys())),
        "values": lambda m: celtypes.ListType(list(m.values())),
        "tail": _tail,
        "base64": _base64,
        "base64_raw": _base64_raw,
        "base64_decode": _base64_decode,
        "base64_raw_decode": _base64_raw_decode,
        "hex": _hex,
        "md5": _digest("md5"),
        "sha1": _digest("sha1"),
        "sha256": _digest("sha256"),
        "hmac": _hmac_fn,
        "uuid": lambda: celtypes.StringType(str(uuid.uuid4())),
        "try": _try,
        "is_error": _is_error,
        "_opt_field": _opt_field,
        "of": _opt_of,
        "none": _opt_none,
        "ofNonZeroValue": _opt_nonzero,
        "orValue": _or_value,
        "hasValue": _has_value,
        "value": _value,
        "or": _or,
        "substring": _substring,
        "split": _split,
        "join": _join,
        "replace": _replace,
        "index": _index,
        "last_index": _last_index,
        "parse_url": _parse_url,
        "format_url": _format_url,
        "parse_query": _parse_query,
        "format_query": _format_query,
        "get": http.get,
        "head": http.head,
        "post": http.post,
        "request": http.request,
        "get_request": http.get_request,
        "post_request": http.post_request,
        "do_request": http.do,
        "basic_authentication": http.basic_authentication,
        "debug": debug,
    }
    for name, func in STRING_METHODS.items():
        table[name] = _str_method(func)
    wrapped = {name: (f if name in _LAZY else _fn(f)) for name, f in table.items()}
    return wrapped


class CelProgram:
    """A compiled program; ``evaluate`` runs it once on a state."""

    def __init__(
        self,
        source: str,
        transport: Transport | None,
        clock: Clock,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.source = source
        self.clock = clock
        try:
            ast = _ENV.compile(rewrite(source))
        except CELParseError as err:
            raise CelError(f"failed to compile program: {err}") from None
        self._runner = _ENV.program(ast, functions(transport, clock, log or (lambda _m: None)))

    def evaluate(self, state: Mapping[str, Any], *, state_numbers: bool = False) -> dict[str, Any]:
        now = celtypes.TimestampType(datetime.fromtimestamp(self.clock.now(), UTC))
        context = {
            "state": to_cel(dict(state), json_numbers=state_numbers),
            "now": now,
            "time_layout": to_cel(LAYOUTS),
            "optional": OPTIONAL,
        }
        try:
            result = self._runner.evaluate(context)
        except CELEvalError as err:
            raise CelError(_message(err)) from None
        except RecursionError:
            raise CelError("evaluation exceeded the recursion limit") from None
        value = to_python(result)
        if not isinstance(value, dict):
            raise CelError(f"program returned {type(value).__name__}, not a map")
        return cast(dict[str, Any], value)
