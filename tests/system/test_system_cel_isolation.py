"""The CEL runtime extends cel-python by subclassing: importing it changes nothing in celpy."""

from __future__ import annotations

import json
import subprocess
import sys

SNAPSHOT = r"""
import json, sys, types
import celpy, celpy.celtypes, celpy.evaluation, celpy.celparser

def attributes():
    out = {}
    for module in (celpy, celpy.celtypes, celpy.evaluation, celpy.celparser):
        for name, value in vars(module).items():
            if isinstance(value, types.ModuleType):
                continue
            out[f"{module.__name__}.{name}"] = repr(id(value))
    return out

before = attributes()
functions = dict(celpy.evaluation.base_functions)
import fleetpkg.system.cel  # noqa: F401
after = attributes()
changed = sorted(k for k in before if before[k] != after.get(k))
added = sorted(k for k in after if k not in before)
same_functions = functions == celpy.evaluation.base_functions
print(json.dumps({"changed": changed, "added": added, "functions": same_functions}))
"""


def test_importing_the_runtime_leaves_celpy_unchanged() -> None:
    # a fresh interpreter: other tests may have imported the runtime already
    done = subprocess.run(
        [sys.executable, "-c", SNAPSHOT], capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"changed": [], "added": [], "functions": True}
