"""Processors of the parsing family: grok, redact, dissect, kv, csv, json."""

from __future__ import annotations

from . import parsing_csv, parsing_dissect, parsing_grok, parsing_json, parsing_kv
from .base import Factory

FACTORIES: dict[str, Factory] = {
    **parsing_grok.FACTORIES,
    **parsing_dissect.FACTORIES,
    **parsing_kv.FACTORIES,
    **parsing_csv.FACTORIES,
    **parsing_json.FACTORIES,
}
