"""Validate stage, engine part: tell the embedded engine's own gaps from real pipeline failures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Processor types Elasticsearch ships (ingest-common, ingest-geoip, ingest-user-agent, x-pack…).
ES_PROCESSORS = frozenset(
    {
        "append", "attachment", "bytes", "circle", "community_id", "convert", "csv", "date",
        "date_index_name", "dissect", "dot_expander", "drop", "enrich", "fail", "fingerprint",
        "foreach", "geo_grid", "geoip", "grok", "gsub", "html_strip", "inference",
        "ip_location", "join", "json", "kv", "lowercase", "network_direction",
        "normalize_for_stream", "pipeline", "recover_failure_document", "redact",
        "registered_domain", "remove", "rename", "reroute", "script", "set",
        "set_security_user", "sort", "split", "terminate", "trim", "uppercase", "uri_parts",
        "urldecode", "user_agent", "remediate",
    }
)  # fmt: skip
_UNKNOWN_PROCESSOR = re.compile(r"No processor type exists with name \[([^\]]+)\]")
_PAINLESS_GAP = re.compile(
    r"unknown call|cannot resolve (symbol|type|method)|not found|unsupported|not supported|"
    r"not implemented|painless is not available|"
    # Painless parses type names from its whitelist: an unknown class is a token error.
    r"invalid sequence of tokens near \['[A-Z]",
    re.IGNORECASE,
)
_ENGINE_GAP = re.compile(r"not (yet )?implemented|painless is not available", re.IGNORECASE)


def _chain(error: dict[str, Any]) -> Iterator[dict[str, Any]]:
    node: Any = error
    while isinstance(node, dict):
        yield node
        node = node.get("caused_by")


def unsupported_reason(error: dict[str, Any]) -> str | None:
    """What the engine lacks, when ``error`` (an ES error object) is an engine gap; else None."""
    chain = list(_chain(error))
    for node in chain:
        kind, reason = str(node.get("type", "")), str(node.get("reason", ""))
        if kind == "engine_crash":
            return f"engine error: {reason}"
        unknown = _UNKNOWN_PROCESSOR.search(reason)
        if unknown and unknown.group(1) in ES_PROCESSORS:
            return f"processor [{unknown.group(1)}]"
        if _ENGINE_GAP.search(reason):
            return reason
    scripts = [n for n in chain if n.get("type") == "script_exception" or "script_stack" in n]
    if scripts:
        for node in chain[1:]:
            reason = str(node.get("reason", ""))
            if _PAINLESS_GAP.search(reason):
                return f"painless: {reason}{_script_line(scripts[0])}"
    return None


def _script_line(node: dict[str, Any]) -> str:
    """`` (script line N)`` from the error's script and offset, for multi-line scripts."""
    script, position = node.get("script"), node.get("position")
    if not isinstance(script, str) or "\n" not in script or not isinstance(position, dict):
        return ""
    offset = position.get("offset")
    if not isinstance(offset, int):
        return ""
    return f" (script line {script[:offset].count(chr(10)) + 1})"


def describe(error: dict[str, Any]) -> str:
    """``type: reason`` of the error and each of its causes, joined by ``; caused by: ``."""
    parts = []
    for node in _chain(error):
        text = f"{node.get('type', 'exception')}: {node.get('reason', '')}"
        stack = node.get("script_stack")
        if isinstance(stack, list) and stack:
            text += " [" + " | ".join(str(s) for s in stack) + "]"
        parts.append(text)
    return "; caused by: ".join(parts)
