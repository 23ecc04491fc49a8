"""Glue between processors and the Painless package: conditions and scripts as ES runs them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .conditions import FALLBACK, Test, specialise
from .errors import IngestError

if TYPE_CHECKING:
    from .document import IngestDocument
    from .painless import PainlessError


def error_from_es(body: dict[str, Any]) -> IngestError:
    """Rebuild an IngestError from an ES-shaped error dict (with nested caused_by)."""
    caused = body.get("caused_by")
    extra = {k: v for k, v in body.items() if k not in ("type", "reason", "caused_by")}
    reason = body.get("reason", "")
    return IngestError(
        str(body.get("type", "exception")),
        None if reason is None else str(reason),  # a Java exception without a message
        caused_by=error_from_es(caused) if isinstance(caused, dict) else None,
        extra=extra,
    )


def _script_parts(spec: Any, what: str) -> tuple[str, dict[str, Any]]:
    if isinstance(spec, str):
        return spec, {}
    if isinstance(spec, dict):
        lang = spec.get("lang", "painless")
        if lang != "painless":
            raise IngestError("illegal_argument_exception", f"script_lang not supported [{lang}]")
        if "id" in spec and "source" not in spec:
            raise IngestError(
                "resource_not_found_exception",
                f"unable to find script [{spec['id']}] in cluster state",
            )
        source = spec.get("source")
        if not isinstance(source, str):
            raise IngestError("parse_exception", f"[{what}] must specify either [source] or [id]")
        params = spec.get("params") or {}
        return source, dict(params)
    raise IngestError("parse_exception", f"[{what}] property isn't a string or a map")


@cache
def _painless_error() -> type[PainlessError]:
    from .painless import PainlessError

    return PainlessError


@dataclass(frozen=True, slots=True)
class Script:
    """A compiled Painless script with its params."""

    source: str
    params: dict[str, Any]
    compiled: Any
    _view: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # the read-only view of params every run passes (built once, not per execution)
        object.__setattr__(self, "_view", MappingProxyType(self.params))

    def run(self, doc: IngestDocument) -> Any:
        try:
            return self.compiled.execute(doc.ctx_map(), self._view)
        except _painless_error() as e:
            raise error_from_es(e.to_es()) from None
        except IngestError:
            raise
        except RecursionError:
            raise IngestError(
                "script_exception",
                "runtime error",
                caused_by=IngestError("stack_overflow_error", "stack overflow"),
            ) from None


def compile_script(spec: Any, *, what: str = "script") -> Script:
    """Compile a script spec (string or ``{source, lang, params}``); ES errors on failure."""
    source, params = _script_parts(spec, what)
    try:
        from .painless import PainlessError
        from .painless import compile_script as painless_compile
    except ImportError as e:  # pragma: no cover - the painless package ships with the engine
        raise IngestError("script_exception", f"painless is not available: {e}") from None
    try:
        compiled = painless_compile(source, params=params)
    except PainlessError as e:
        raise error_from_es(e.to_es()) from None
    return Script(source, params, compiled)


@dataclass(frozen=True, slots=True)
class Condition:
    """A processor's ``if``: a Painless expression that must yield a boolean."""

    script: Script
    fast: Test | None = None  # a specialised closure for a common shape (see conditions.py)

    @property
    def source(self) -> str:
        return self.script.source

    def test(self, doc: IngestDocument) -> bool:
        if self.fast is not None:
            fast = self.fast(doc)
            if fast is not FALLBACK:
                return bool(fast)
        result = self.script.run(doc)
        if not isinstance(result, bool):
            raise IngestError(
                "illegal_argument_exception",
                f"condition [{self.script.source}] returned non-boolean value of type "
                f"[{type(result).__name__}]",
            )
        return result


def compile_condition(spec: Any) -> Condition:
    script = compile_script(spec, what="if")
    return Condition(script, specialise(script.source))
