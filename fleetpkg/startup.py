"""Start-up time of the command line: `fleetpkg --help` and each command's `--help`.

Each is started in a fresh process (the way a user runs it) ``repeat`` times; the median wall
time is reported next to the floor, an interpreter that starts and exits (``python -c pass``).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from fleetpkg.cli import COMMANDS


def _entry() -> list[str]:
    """The installed ``fleetpkg`` script beside this interpreter, else ``python -m fleetpkg``."""
    script = Path(sys.executable).with_name("fleetpkg")
    if script.is_file():
        return [str(script)]
    found = shutil.which("fleetpkg")
    return [found] if found else [sys.executable, "-m", "fleetpkg"]


TARGET_MS = 150.0  # the start-up every --help must stay under on the reference machine


def _median_ms(argv: list[str], repeat: int) -> tuple[float, int]:
    """Median wall time in ms, and the exit status of the last run."""
    times, status = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        run = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
        status = run.returncode
    return statistics.median(times), status


def measure_startup(repeat: int) -> dict[str, Any]:
    entry = _entry()
    floor, _ = _median_ms([sys.executable, "-c", "pass"], repeat)
    runs = [("fleetpkg --help", [*entry, "--help"])]
    runs += [
        (f"fleetpkg {' '.join(c.words)} --help", [*entry, *c.words, "--help"]) for c in COMMANDS
    ]
    rows = []
    for name, argv in runs:
        ms, status = _median_ms(argv, repeat)
        rows.append(
            {"command": name, "ms": round(ms, 1), "ratio": round(ms / floor, 2), "status": status}
        )
    return {
        "floor_ms": round(floor, 1),
        "target_ms": TARGET_MS,
        "repeat": repeat,
        "entry": entry,
        "commands": rows,
    }


def format_startup(report: dict[str, Any]) -> str:
    rows = report["commands"]
    width = max(len(r["command"]) for r in rows)
    lines = [
        f"start-up, median of {report['repeat']} runs (entry: {' '.join(report['entry'])})",
        f"{'floor: python -c pass':<{width}}  {report['floor_ms']:>7.1f} ms",
        "",
        f"{'command':<{width}}  {'wall':>10}  {'× floor':>7}  target {report['target_ms']:.0f} ms",
    ]
    for r in rows:
        verdict = "ok" if r["ms"] < report["target_ms"] else "OVER"
        if r["status"]:
            verdict += f" (exit {r['status']})"
        lines.append(f"{r['command']:<{width}}  {r['ms']:>7.1f} ms  {r['ratio']:>7.2f}  {verdict}")
    slowest = max(rows, key=lambda r: r["ms"])
    lines += ["", f"slowest: {slowest['command']} ({slowest['ms']:.1f} ms)"]
    return "\n".join(lines)
