"""Runtime library of the Painless engine: the whitelisted classes and their methods."""

from __future__ import annotations

_loaded = False


def load_builtins() -> None:
    """Import (and so register) every builtin family once."""
    global _loaded
    if _loaded:
        return
    from . import augment, collections, helpers, javatime, lang, regex, streams, strings  # noqa: F401

    _loaded = True
