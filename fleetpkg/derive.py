"""Render stage, pipeline part: derive a data stream's ingest pipeline from its fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fleetpkg.ecs import Ecs
from fleetpkg.model import DataStream, Field, Processor

# Fields the generated skeleton reads or writes; declared in ecs.yml unless the source does.
IMPLIED_ECS = ("ecs.version", "event.original", "event.kind", "error.message", "tags")
# Fields a hand-written processor may always read.
ALWAYS_READABLE = ("message", "event.original", "tags")
CONVERTIBLE = {"ip": "ip", "long": "long", "integer": "integer", "double": "double"}
CONVERTIBLE |= {"float": "float", "boolean": "boolean", "keyword": "string"}
ON_FAILURE_MESSAGE = (
    "Processor '{{{ _ingest.on_failure_processor_type }}}' with tag "
    "'{{{ _ingest.on_failure_processor_tag }}}' in pipeline '{{{ _ingest.pipeline }}}' "
    "(failing pipeline '{{{ _ingest.on_failure_pipeline }}}') failed with message "
    "'{{{ _ingest.on_failure_message }}}'"
)
PRESERVE = "preserve_original_event"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MUSTACHE = re.compile(r"\{\{\{?\s*([A-Za-z0-9_.@]+)\s*\}?\}\}")


def slug(name: str) -> str:
    """A tag-friendly form of a field name: acme.audit.when → acme_audit_when."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def null_safe(name: str) -> str:
    """Painless expression reading a dotted field without failing on missing parents."""
    first, *rest = name.split(".")
    expr = f"ctx.{first}" if _IDENT.match(first) else f"ctx.get('{first}')"
    for part in rest:
        expr += f"?.{part}" if _IDENT.match(part) else f"?.get('{part}')"
    return expr


def _head(ecs: Ecs) -> list[dict[str, Any]]:
    return [
        {"set": {"tag": "set_ecs_version", "field": "ecs.version", "value": ecs.version}},
        {
            "rename": {
                "tag": "rename_message_to_event_original",
                "field": "message",
                "target_field": "event.original",
                "ignore_missing": True,
                "if": "ctx.event?.original == null",
            }
        },
        {
            "remove": {
                "tag": "remove_message",
                "field": "message",
                "ignore_missing": True,
                "if": "ctx.event?.original != null",
            }
        },
    ]


def _parse(ds: DataStream) -> list[dict[str, Any]]:
    if ds.pipeline.format != "json":
        return []
    target = ds.pipeline.raw_target
    # an event without text (e.g. an input's error event: error.* and no message) is not decoded
    parse = {"field": "event.original", "target_field": target, "if": "ctx.event?.original != null"}
    return [{"json": {"tag": "json_event_original", **parse}}]


def _move(field: Field, raw: str) -> list[dict[str, Any]]:
    """Processors moving the raw value at raw to field.name (with conversion)."""
    tag = slug(field.name)
    out: list[dict[str, Any]]
    if field.type == "date":
        formats = list(field.date_formats) or ["ISO8601"]
        date: dict[str, Any] = {"field": raw, "target_field": field.name, "formats": formats}
        if field.date_output_format:
            date["output_format"] = field.date_output_format
        out = [{"date": {"tag": f"date_{tag}", **date, "if": f"{null_safe(raw)} != null"}}]
    elif field.convert:
        conv: dict[str, Any] = {"field": raw, "target_field": field.name, "type": field.convert}
        out = [{"convert": {"tag": f"convert_{tag}", **conv, "ignore_missing": True}}]
    elif raw != field.name:
        ren: dict[str, Any] = {"field": raw, "target_field": field.name, "ignore_missing": True}
        return [{"rename": {"tag": f"rename_{tag}", **ren}}]
    else:
        return []
    if raw != field.name:
        rm: dict[str, Any] = {"field": raw, "ignore_missing": True}
        out.append({"remove": {"tag": f"remove_{slug(raw)}", **rm}})
    return out


def _copy_to_ecs(field: Field, ecs: Ecs) -> list[dict[str, Any]]:
    if field.ecs is None:
        return []
    target = ecs.lookup(field.ecs)
    ecs_type = target.type if target else "keyword"
    tag = slug(field.ecs)
    if ecs_type != field.type and ecs_type in CONVERTIBLE:
        conv = {"field": field.name, "target_field": field.ecs, "type": CONVERTIBLE[ecs_type]}
        return [{"convert": {"tag": f"convert_{tag}", **conv, "ignore_missing": True}}]
    copy = {"field": field.ecs, "copy_from": field.name, "ignore_empty_value": True}
    return [{"set": {"tag": f"set_{tag}", **copy}}]


def field_processors(ds: DataStream, field: Field, ecs: Ecs) -> list[dict[str, Any]]:
    """The mechanical processors derived from one field's `source:` and `ecs:`."""
    out: list[dict[str, Any]] = []
    if field.source is not None:
        out.extend(_move(field, f"{ds.pipeline.raw_target}.{field.source}"))
    out.extend(_copy_to_ecs(field, ecs))
    return out


def mappings(ds: DataStream, ecs: Ecs) -> list[dict[str, Any]]:
    """The mechanical processors derived from `source:` and `ecs:` of each field."""
    return [p for field in ds.fields for p in field_processors(ds, field, ecs)]


def skeleton(ds: DataStream, ecs: Ecs) -> list[dict[str, Any]]:
    """The processors every pipeline has whatever its fields: head, parse, tail, on_failure."""
    return _head(ecs) + _parse(ds) + _tail(ds) + on_failure(ds)


def _tail(ds: DataStream) -> list[dict[str, Any]]:
    kind = {"field": "event.kind", "value": ds.pipeline.event_kind, "override": False}
    keep = f"ctx.tags == null || !(ctx.tags.contains('{PRESERVE}'))"
    drop = {"field": "event.original", "ignore_missing": True, "if": keep}
    return [
        {"set": {"tag": "set_event_kind", **kind}},
        {"remove": {"tag": "remove_event_original", **drop}},
    ]


def on_failure(ds: DataStream | None = None) -> list[dict[str, Any]]:
    """Mark the event as a pipeline error; the raw record is dropped (event.original keeps it)."""
    drop_raw: list[dict[str, Any]] = []
    target = ds.pipeline.raw_target if ds is not None and ds.pipeline.format == "json" else None
    # only a scratch target: one that also holds declared fields keeps what was mapped
    if ds is not None and target and not any(f.name.startswith(f"{target}.") for f in ds.fields):
        raw = {"field": target, "ignore_missing": True}
        drop_raw = [{"remove": {"tag": "remove_raw_record_on_failure", **raw}}]
    return [
        {
            "set": {
                "tag": "set_event_kind_pipeline_error",
                "field": "event.kind",
                "value": "pipeline_error",
            }
        },
        {
            "append": {
                "tag": "append_error_message",
                "field": "error.message",
                "value": ON_FAILURE_MESSAGE,
            }
        },
        *drop_raw,
    ]


def _hand(processors: tuple[Processor, ...]) -> list[dict[str, Any]]:
    return [{p.type: p.config} for p in processors]


def build_pipeline(ds: DataStream, ecs: Ecs) -> dict[str, Any]:
    """The complete default pipeline of a data stream (fields must already be resolved)."""
    src = ds.pipeline
    processors = _head(ecs) + _parse(ds) + _hand(src.before) + mappings(ds, ecs)
    processors += _hand(src.after) + _tail(ds)
    description = src.description or f"Pipeline for {ds.title}."
    return {"description": description, "processors": processors, "on_failure": on_failure(ds)}


def all_tags(processors: list[dict[str, Any]]) -> Iterator[str]:
    """Every processor tag, nested on_failure handlers included."""
    for item in processors:
        for config in item.values():
            if isinstance(config, dict):
                if "tag" in config:
                    yield str(config["tag"])
                yield from all_tags(config.get("on_failure", []))


def reads(ptype: str, config: dict[str, Any]) -> list[str]:
    """Field names a processor reads (a conservative, syntactic approximation)."""
    found: list[str] = []
    if ptype not in ("set", "append", "remove", "drop", "script", "pipeline", "fail"):
        found += _names(config.get("field"))
    if ptype == "fingerprint":
        found += _names(config.get("fields"))
    found += _names(config.get("copy_from"))
    for key in ("value",):
        found += _MUSTACHE.findall(str(config.get(key, "")))
    for sub in config.get("on_failure", []):
        for stype, sconfig in sub.items():
            found += reads(stype, sconfig) if isinstance(sconfig, dict) else []
    return [n for n in found if not n.startswith("_ingest.")]


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


# Where a processor writes when it has no target_field (ES's defaults); in-place processors
# (lowercase, convert…) write their `field`, which reads() already names.
DEFAULT_TARGETS = {
    "date": "@timestamp",
    "geoip": "geoip",
    "ip_location": "ip_location",
    "user_agent": "user_agent",
    "uri_parts": "url",
    "community_id": "network.community_id",
    "fingerprint": "fingerprint",
    "network_direction": "network.direction",
}
# Document metadata a processor may set (not fields of the document).
METADATA = frozenset(
    {"_index", "_id", "_routing", "_version", "_version_type", "_dynamic_templates"}
    | {"_if_seq_no", "_if_primary_term"}
)
_GROK_FIELD = re.compile(r"%\{\w+:([^:}]+)(?::\w+)?\}|\(\?<([A-Za-z][\w.@]*)>")
_DISSECT_KEY = re.compile(r"%\{([^}]*)\}")
_PAINLESS_NOISE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.S)
_CTX_PATH = r"\bctx((?:\s*(?:\.\s*[A-Za-z_@]\w*|\[\s*'[^']*'\s*\]))*)"
_CTX_WRITE = re.compile(_CTX_PATH + r"\s*(?:[-+*/%&|^]|<<|>>>?)?=(?!=)")
_CTX_PUT = re.compile(_CTX_PATH + r"\s*\.\s*put\s*\(\s*'([^']*)'\s*,")
_CTX_REMOVE = re.compile(_CTX_PATH + r"\s*\.\s*remove\s*\(\s*'([^']*)'\s*\)")
_CTX_PART = re.compile(r"\.\s*([A-Za-z_@]\w*)|\[\s*'([^']*)'\s*\]")


def writes(ptype: str, config: dict[str, Any]) -> list[str]:
    """Field names a processor writes (a conservative, syntactic approximation, like reads)."""
    found: list[str] = []
    if ptype in ("set", "append"):
        found += _names(config.get("field"))
    target = config.get("target_field", DEFAULT_TARGETS.get(ptype))
    if ptype not in ("set", "append", "json", "kv", "dot_expander") or "target_field" in config:
        found += [target] if isinstance(target, str) and target else []
    if ptype == "csv":
        found += _names(config.get("target_fields"))
    if ptype == "grok":
        for pattern in _names(config.get("patterns")):
            found += [a or b for a, b in _GROK_FIELD.findall(pattern)]
    if ptype == "dissect" and isinstance(config.get("pattern"), str):
        found += _dissect_keys(config["pattern"])
    if ptype == "script":
        found += script_writes(config.get("source"))
    if ptype == "foreach" and isinstance(config.get("processor"), dict):
        for stype, sconfig in config["processor"].items():
            found += writes(stype, sconfig) if isinstance(sconfig, dict) else []
    for sub in config.get("on_failure", []):
        for stype, sconfig in sub.items():
            found += writes(stype, sconfig) if isinstance(sconfig, dict) else []
    return [n for n in found if not n.startswith("_ingest.") and n not in METADATA]


def _dissect_keys(pattern: str) -> list[str]:
    out = []
    for key in _DISSECT_KEY.findall(pattern):
        key = key.removesuffix("->")
        key = re.sub(r"/\d+$", "", key)
        if key and key[0] not in "?*&":  # skipped keys and reference keys (a dynamic name)
            out.append(key.removeprefix("+"))
    return [k for k in out if k]


def script_writes(source: Any) -> list[str]:
    """Fields a Painless script assigns through `ctx`: `ctx.a.b = …`, `ctx['a'] += …`,
    `ctx.a.put('b', …)`, unless it removes them again (`ctx.remove('a')`); comments and the
    text of strings are not code."""
    if not isinstance(source, str):
        return []
    strings: list[str] = []

    def hide(match: re.Match[str]) -> str:
        text = match.group(0)
        if text.startswith("/"):
            return " "
        strings.append(text[1:-1])
        return f"'\0{len(strings) - 1}'"

    def key(text: str) -> str:
        return strings[int(text[1:])] if text.startswith("\0") else text

    code = _PAINLESS_NOISE.sub(hide, source)
    out = []
    for match in _CTX_WRITE.finditer(code):
        parts = [a or key(b) for a, b in _CTX_PART.findall(match.group(1))]
        out += [".".join(parts)] if parts else []
    found: dict[str, list[str]] = {"put": [], "remove": []}
    for what, pattern in (("put", _CTX_PUT), ("remove", _CTX_REMOVE)):
        for match in pattern.finditer(code):
            parts = [a or key(b) for a, b in _CTX_PART.findall(match.group(1))]
            found[what].append(".".join([*parts, key(match.group(2))]))
    out += found["put"]
    removed = found["remove"]  # a scratch field the script removes again is not written
    return [n for n in out if not any(n == r or n.startswith(r + ".") for r in removed)]
