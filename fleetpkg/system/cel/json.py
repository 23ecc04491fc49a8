"""JSON extensions: ``encode_json``, ``decode_json`` and ``decode_json_stream``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from celpy import celtypes

from .values import as_bytes, jsonable, to_cel, to_python


def _encode_json(value: Any) -> Any:
    return celtypes.StringType(
        json.dumps(jsonable(to_python(value)), separators=(",", ":"), ensure_ascii=False)
    )


def _decode_json(value: Any) -> Any:
    try:
        return to_cel(json.loads(as_bytes(value)), json_numbers=True)
    except json.JSONDecodeError as err:
        raise ValueError(f"failed to unmarshal JSON message: {err}") from None


def _decode_json_stream(value: Any) -> Any:
    text = as_bytes(value).decode("utf-8")
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


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "encode_json": _encode_json,
    "decode_json": _decode_json,
    "decode_json_stream": _decode_json_stream,
}
