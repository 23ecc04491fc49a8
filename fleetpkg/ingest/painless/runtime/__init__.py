"""Runtime library of the Painless engine: the whitelisted classes and their methods."""

from __future__ import annotations

_loaded = False


def load_builtins() -> None:
    """Import (and so register) every builtin family once."""
    global _loaded
    if _loaded:
        return
    from . import augment, collections, lang, regex, strings  # noqa: F401

    try:
        from . import helpers, javatime  # noqa: F401
    except ImportError:  # pragma: no cover - optional families still being written
        pass
    _loaded = True
