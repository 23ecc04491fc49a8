"""Deprecated: moved to fleetpkg.policy.varcheck (a name that does not collide).

Only ``PolicyVars`` is re-exported, for fleetpkg/commands/policy.py and fleetpkg/system/stack.py
until they import it from fleetpkg.policy.varcheck; then this module goes.
"""

from __future__ import annotations

from fleetpkg.policy.varcheck import PolicyVars

__all__ = ["PolicyVars"]
