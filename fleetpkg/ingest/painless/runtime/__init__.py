"""Runtime library of the Painless engine: the whitelisted classes and their methods."""

from __future__ import annotations

_loaded = False


def load_builtins() -> None:
    """Import (and so register) every builtin family once."""
    global _loaded
    if _loaded:
        return
    from . import (  # noqa: F401
        augment,
        collections,
        functional,
        helpers,
        javatime,
        javatime_extra,
        lang,
        regex,
        streams,
        strings,
        util,
    )

    _loaded = True
