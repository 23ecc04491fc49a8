"""The json processor: parse a JSON string field the way ES's Jackson-based parser does."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from typing import Any

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument
from ..fieldpath import FieldPath
from ..values import java_str
from .base import Config, Factory, Processor, read_field, write_field

_WS = " \t\r\n"
_EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_SOURCE = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # some key repeats: report the first repeat, as Jackson does
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _location(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


def _parse_error(text: str, pos: int, message: str) -> IngestError:
    line, column = _location(text, pos)
    detail = f"{message}\n at {_SOURCE}; line: {line}, column: {column}]"
    return IngestError("x_content_parse_exception", f"[{line}:{column}] {detail}")


def _eof_error(text: str) -> IngestError:
    line, column = _location(text, len(text))
    return IngestError("x_content_e_o_f_exception", f"[{line}:{column}] Unexpected end of file")


def _first_value_error(text: str, pos: int) -> IngestError:
    """Jackson's wording for the usual ways a value fails to start."""
    if pos >= len(text):
        return _eof_error(text)
    c = text[pos]
    if c.isidentifier() or c.isdigit() or c in "-":
        end = pos
        while end < len(text) and (text[end].isalnum() or text[end] in "_$-+."):
            end += 1
        token = text[pos:end]
        return _parse_error(text, end, f"Unrecognized token '{token}': was expecting {_EXPECTED}")
    return _parse_error(
        text,
        pos + 1,
        f"Unexpected character ('{c}' (code {ord(c)})): expected a valid value {_EXPECTED}",
    )


_DECODERS = {
    False: json.JSONDecoder(object_pairs_hook=_unique_pairs, parse_constant=_reject_constant),
    True: json.JSONDecoder(parse_constant=_reject_constant),  # the last duplicate wins
}


def parse_json(value: Any, allow_duplicate_keys: bool, strict: bool) -> Any:
    """One JSON value from ``String.valueOf(value)``; trailing content fails when strict."""
    text = "null" if value is None else java_str(value)
    decoder = _DECODERS[allow_duplicate_keys]
    pos = len(text) - len(text.lstrip(_WS))
    if pos == len(text):
        return None  # no token at all: Jackson reports null
    try:
        result, end = decoder.raw_decode(text, pos)
    except _Duplicate as dup:
        raise _parse_error(text, len(text), f"Duplicate field '{dup.key}'") from None
    except json.JSONDecodeError as err:
        if err.pos == pos:
            raise _first_value_error(text, pos) from None
        if err.pos >= len(text):
            raise _eof_error(text) from None
        raise _parse_error(text, err.pos, _jackson_message(text, err.pos)) from None
    except ValueError:
        raise _first_value_error(text, pos) from None
    if strict and text[end:].strip(_WS):
        raise illegal_argument(
            f"The input {text} is not valid JSON and the strict_json_parsing parameter is true"
        )
    return result


def _jackson_message(text: str, pos: int) -> str:
    c = text[pos]
    return f"Unexpected character ('{c}' (code {ord(c)}))"


def recursive_merge(target: MutableMapping[str, Any], source: dict[str, Any]) -> None:
    for key, value in source.items():
        current = target.get(key) if key in target else None
        if key in target and isinstance(current, dict) and isinstance(value, dict):
            recursive_merge(current, value)
        else:
            target[key] = value


class Json(Processor):
    type = "json"

    def __init__(self, cfg: Config) -> None:
        self.field: str = cfg.string("field")
        target = cfg.string("target_field", None)
        self.add_to_root = cfg.boolean("add_to_root", False)
        self.allow_duplicates = cfg.boolean("allow_duplicate_keys", False)
        strategy = cfg.string("add_to_root_conflict_strategy", None)
        if strategy is not None and strategy.upper() not in ("REPLACE", "MERGE"):
            raise cfg.error(
                "add_to_root_conflict_strategy",
                f"conflict strategy [{strategy}] not supported, cannot convert field.",
            )
        if self.add_to_root and target is not None:
            raise cfg.error(
                "target_field", "Cannot set a target field while also setting `add_to_root` to true"
            )
        if not self.add_to_root and strategy is not None:
            raise cfg.error(
                "add_to_root_conflict_strategy",
                "Cannot set `add_to_root_conflict_strategy` if `add_to_root` is false",
            )
        self.merge = strategy is not None and strategy.upper() == "MERGE"
        self.strict = cfg.boolean("strict_json_parsing", True)
        self.target: str = target if target is not None else self.field
        self._path = FieldPath.of(self.field)
        self._target_path = FieldPath.of(self.target)

    def run(self, doc: IngestDocument) -> None:
        if not self.add_to_root:
            raw = read_field(doc, self.field, self._path)
            value = parse_json(raw, self.allow_duplicates, self.strict)
            write_field(doc, self.target, self._target_path, value)
            return
        ctx = doc.ctx_map()
        value = parse_json(ctx.get(self.field), self.allow_duplicates, self.strict)
        if not isinstance(value, dict):
            raise illegal_argument("cannot add non-map fields to root of document")
        if self.merge:
            recursive_merge(ctx, value)
        else:
            ctx.update(value)


FACTORIES: dict[str, Factory] = {"json": Json}
