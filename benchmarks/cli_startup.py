"""How long `gridmod --help` and the phases of `gridmod validate` take on one sample filing.

Prints wall times; the baseline is `python -c pass` measured in the same run, so the figures say what
gridmod adds to starting Python. Run from the repository root: python benchmarks/cli_startup.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

FILING = "data/pge/gmr-2026"


def wall(args: list[str], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    baseline = wall([sys.executable, "-c", "pass"])
    cases = {
        "gridmod --help": [sys.executable, "-m", "gridmod", "--help"],
        f"validate --quick {FILING}": [sys.executable, "-m", "gridmod", "validate", "--quick", FILING],
        f"validate {FILING} (three phases)": [sys.executable, "-m", "gridmod", "validate", FILING],
    }
    print(f"{'python -c pass (baseline)':45} {baseline:6.2f} s")
    for name, args in cases.items():
        seconds = wall(args)
        print(f"{name:45} {seconds:6.2f} s  ({seconds / baseline:5.1f}x baseline)")


if __name__ == "__main__":
    main()
