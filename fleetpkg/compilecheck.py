"""Compile check: every processor of a pipeline compiled by the embedded engine, errors located.

Elasticsearch compiles a pipeline when it is stored: Painless scripts and conditions, mustache
templates, grok and regex patterns. The embedded engine's compiler (fleetpkg.ingest) does the
same, so a source whose pipeline Elasticsearch would refuse is refused by `check` and `build`,
each error at its place in the source: a script's error at the script's own line and column
inside the YAML scalar, a bad grok pattern at its list item.

Each processor is compiled on its own, its ``on_failure`` handlers (and a ``foreach``'s
processor) separately, so one error does not hide the others. A processor type the engine does
not implement (an engine gap, not the user's error) is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from fleetpkg.errors import Location, Problem
from fleetpkg.ingest import IngestError
from fleetpkg.ingest.pipeline import Compiler
from fleetpkg.yamlloader import Document

Parts = tuple[str | int, ...]
# where a value is (parts: its pointer) or, with an offset, a character of a string value
Locate = Callable[[Parts, int | None], Location]
SECTIONS = ("before", "after")
_NOOP = {"remove": {"field": "_fleetpkg_compile_check", "ignore_missing": True}}
_GAP = "No processor type exists with name"
_LEADING_PROPERTY = re.compile(r"\[([^\]]+)\] ")  # ES's "[property] reason"


def at(where: Location) -> Locate:
    """A Locate for processors that have one place only (derived ones: their field)."""
    return lambda _parts, _offset: where


def source_problems(doc: Document) -> list[Problem]:
    """Compile errors of the hand-written processors of a pipeline.yml (schema-checked)."""

    def locate(parts: Parts, offset: int | None) -> Location:
        return doc.at(*parts) if offset is None else doc.char_at(offset, *parts)

    problems: list[Problem] = []
    value = doc.value if isinstance(doc.value, dict) else {}
    for section in SECTIONS:
        for n, item in enumerate(value.get(section) or []):
            ((ptype, config),) = item.items()
            problems += processor_problems(ptype, config, (section, n, ptype), locate)
    return problems


def processor_problems(ptype: str, config: Any, parts: Parts, locate: Locate) -> list[Problem]:
    """Compile errors of one processor `{ptype: config}` whose config is at `parts`."""
    if not isinstance(config, dict):
        return _own(ptype, config, parts, locate)
    own = dict(config)
    children: list[tuple[str, Any, Parts]] = []
    handlers = own.get("on_failure")
    if isinstance(handlers, list) and handlers:
        del own["on_failure"]
        children += _children(handlers, (*parts, "on_failure"))
    inner = own.get("processor")
    if ptype == "foreach" and isinstance(inner, dict) and len(inner) == 1:
        own["processor"] = _NOOP
        ((itype, iconfig),) = inner.items()
        children.append((itype, iconfig, (*parts, "processor", itype)))
    problems = _own(ptype, own, parts, locate)
    for child in children:
        problems += processor_problems(*child, locate)
    return problems


def _children(items: list[Any], parts: Parts) -> Iterator[tuple[str, Any, Parts]]:
    for k, item in enumerate(items):
        if isinstance(item, dict) and len(item) == 1:
            ((ptype, config),) = item.items()
            yield ptype, config, (*parts, k, ptype)


def compile_error(ptype: str, config: Any) -> IngestError | None:
    """The engine's error compiling `{ptype: config}`, None if it compiles (or is a gap)."""
    try:
        Compiler().processor({ptype: config})
    except IngestError as err:
        return None if (err.reason or "").startswith(_GAP) else err
    except Exception as err:  # an engine bug must still be a located problem
        return IngestError("exception", f"the embedded engine cannot compile it: {err!r}")
    return None


def _own(ptype: str, config: Any, parts: Parts, locate: Locate) -> list[Problem]:
    err = compile_error(ptype, config)
    if err is None:
        return []
    problem, key = _locate(ptype, config, err, parts, locate)
    if key == "if" and isinstance(config, dict):  # the condition is compiled first: go on
        rest = {k: v for k, v in config.items() if k != "if"}
        return [problem, *_own(ptype, rest, parts, locate)]
    return [problem]


def _script_error(err: IngestError) -> tuple[IngestError, str] | None:
    """The Painless compile error in err's chain, with the detail ES gives in its cause."""
    current: IngestError | None = err
    while current is not None:
        if "script" in current.extra and "position" in current.extra:
            cause = current.caused_by
            detail = cause.reason if cause is not None and cause.reason else current.reason
            return current, detail or current.type
        current = current.caused_by
    return None


def _locate(
    ptype: str, config: Any, err: IngestError, parts: Parts, locate: Locate
) -> tuple[Problem, str | None]:
    """The problem for err, and the top-level config key it is about (if known)."""
    script = _script_error(err)
    if script is not None:
        found, detail = script
        source = found.extra["script"]
        offset = found.extra["position"].get("offset", 0)
        where = _find(config, lambda v: v == source)
        if where is None:
            return Problem(locate(parts, None), f"{ptype} processor: {detail}"), None
        what = "condition" if where[:1] == ("if",) else "script"
        message = f"{ptype} processor: {what} does not compile: {detail}"
        return Problem(locate((*parts, *where), offset), message), _key(where)
    message = f"{ptype} processor: {err.reason or err.type}"
    prop = _property(err)
    if isinstance(config, dict) and prop is not None and prop in config:
        value = config[prop]
        if isinstance(value, list):
            for i, item in enumerate(value):
                alone = compile_error(ptype, {**config, prop: [item]})
                if alone is not None:
                    message = f"{ptype} processor: {alone.reason or alone.type}"
                    return Problem(locate((*parts, prop, i), None), message), prop
        return Problem(locate((*parts, prop), None), message), prop
    reason = err.reason or ""  # a value the reason quotes: in brackets, else as it is
    where = _find(config, lambda v: f"[{v}]" in reason)
    where = where or _find(config, lambda v: len(v) > 2 and v in reason)
    if where is not None:
        return Problem(locate((*parts, *where), None), message), _key(where)
    return Problem(locate(parts, None), message), None


def _property(err: IngestError) -> str | None:
    """The property an error is about: ES's property_name header, or its "[name] " prefix."""
    if "property_name" in err.metadata:
        return err.metadata["property_name"]
    match = _LEADING_PROPERTY.match(err.reason or "")
    return match[1] if match else None


def _key(where: Parts) -> str | None:
    return str(where[0]) if where else None


def _find(value: Any, wanted: Callable[[str], bool], at: Parts = ()) -> Parts | None:
    """Where in value (a config) the first string satisfying wanted is; () for value itself."""
    if isinstance(value, str):
        return at if wanted(value) else None
    items: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: kv[0] != "if")  # the condition first
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, item in items:
        if key in ("on_failure", "processor"):
            continue
        found = _find(item, wanted, (*at, key))
        if found is not None:
            return found
    return None
