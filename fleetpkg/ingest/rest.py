"""The REST layer in front of ``_simulate``: the body as Elasticsearch reads it, or its 400 error.

Facts from Elasticsearch's source:

* ``RestRequest.contentOrSourceParam``: no body at all is a ``parse_exception``
  "request body or source parameter is required".
* ``SimulatePipelineTransportAction`` turns the body into a map with ``XContentParser.map()``,
  which reads one value and returns an empty map unless it is a non-empty object: ``[1,2]``,
  ``"hello"``, ``null`` or blank text become ``{}`` (so the pipeline is then "missing"), and
  text after the first value is never read.
* ``JsonXContentParser.handleParserException``: Jackson's end-of-input error becomes an
  ``XContentEOFException`` "[line:col] Unexpected end of file", other syntax errors an
  ``XContentParseException`` "[line:col] <Jackson's message>"; both are
  ``IllegalArgumentException``s, hence status 400, with Jackson's exception as the cause.
* ``SimulatePipelineRequest.parse`` reads only ``pipeline`` and ``docs``: other top-level keys
  are ignored.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import IngestError

STATUS_BAD_REQUEST = 400
_JACKSON_SOURCE = "REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"
_EOF_MESSAGES = ("Expecting value", "Unterminated string", "Expecting ',' delimiter")


def parse_body(text: str) -> dict[str, Any]:
    """The map ES builds from a request body; an ES-shaped ``IngestError`` when it cannot."""
    if text == "":
        raise IngestError("parse_exception", "request body or source parameter is required")
    start = _skip_blank(text, 0)
    if start == len(text):
        return {}
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    try:
        value, _ = decoder.raw_decode(text, start)
    except json.JSONDecodeError as err:
        raise _syntax_error(err) from None
    except _NonStandardToken as err:
        end = text.find(err.token, start) + len(err.token)
        raise _parse_error(str(err), *_line_col(text, end)) from None
    return value if isinstance(value, dict) else {}


def error_body(err: IngestError) -> dict[str, Any]:
    """The whole response body ES sends for a failed request."""
    return {"error": err.to_es(), "status": STATUS_BAD_REQUEST}


class _NonStandardToken(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(
            f"Non-standard token '{token}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` "
            "to allow"
        )
        self.token = token


def _reject_constant(token: str) -> Any:
    raise _NonStandardToken(token)


def _skip_blank(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _syntax_error(err: json.JSONDecodeError) -> IngestError:
    at_end = _skip_blank(err.doc, err.pos) == len(err.doc)
    if at_end and err.msg.startswith(_EOF_MESSAGES):
        line, col = _line_col(err.doc, len(err.doc))
        cause = _jackson("json_e_o_f_exception", "Unexpected end-of-input", line, col)
        return IngestError(
            "x_content_e_o_f_exception", f"[{line}:{col}] Unexpected end of file", caused_by=cause
        )
    message, consumed = _jackson_message(err)
    return _parse_error(message, err.lineno, err.colno + consumed)


def _parse_error(message: str, line: int, col: int) -> IngestError:
    cause = _jackson("json_parse_exception", message, line, col)
    return IngestError(
        "x_content_parse_exception", f"[{line}:{col}] {cause.reason}", caused_by=cause
    )


def _jackson(type: str, message: str, line: int, col: int) -> IngestError:
    """Jackson's exception: its message ends with the location it was raised at."""
    return IngestError(
        type, f"{message}\n at [Source: {_JACKSON_SOURCE}; line: {line}, column: {col}]"
    )


_VALUE_TOKENS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_EXPECTED = {
    "Expecting property name": "was expecting double-quote to start field name",
    "Expecting value": f"expected a valid value {_VALUE_TOKENS}",
    "Expecting ':' delimiter": "was expecting a colon to separate field name and value",
}


def _jackson_message(err: json.JSONDecodeError) -> tuple[str, int]:
    """Jackson's wording for the commonest mistakes (a bad character or word), else Python's.

    With it, how many characters Jackson has read past the error's start when it reports it
    (its location is the position after them).
    """
    if err.pos >= len(err.doc):
        return err.msg, 0
    char = err.doc[err.pos]
    if char.isalpha() and err.msg.startswith("Expecting value"):
        word = re.match(r"[\w$]+", err.doc[err.pos :])
        token = word.group() if word else char
        return f"Unrecognized token '{token}': was expecting {_VALUE_TOKENS}", len(token)
    for python, jackson in _EXPECTED.items():
        if err.msg.startswith(python):
            return f"Unexpected character ('{char}' (code {ord(char)})): {jackson}", 1
    return err.msg, 0


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1
