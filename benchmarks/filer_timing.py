"""What a filer waits for: `gridmod --help`, the quick and the full `gridmod validate` of one filing, and the
Excel round trip. Wall times, median of several runs, each in a fresh process as a filer runs them.

    python benchmarks/filer_timing.py [FILING]      (default data/pge/gmr-2026; run from the repository root)

Targets (issue 7): structure + content (`--quick`) under 3 s, `--help` under 1 s.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRIDMOD = [sys.executable, "-m", "gridmod"]


def wall(args: list[str], repeat: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False, cwd=cwd)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(filing: str = "data/pge/gmr-2026") -> None:
    rows: list[tuple[str, float, str]] = [
        ("python -c pass (baseline)", wall([sys.executable, "-c", "pass"], 5), ""),
        ("gridmod --help", wall([*GRIDMOD, "--help"], 5), "target < 1 s"),
        (
            f"gridmod validate --quick {filing}",
            wall([*GRIDMOD, "validate", "--quick", filing], 3),
            "structure + content, target < 3 s",
        ),
        (f"gridmod validate {filing}", wall([*GRIDMOD, "validate", filing], 3), "all three phases"),
    ]
    with tempfile.TemporaryDirectory(prefix="gridmod-bench-") as tmp:
        copy = Path(tmp) / Path(filing).name  # outside data/: no other command may pick it up meanwhile
        shutil.copytree(filing, copy)
        book = Path(tmp) / "book.xlsx"
        rows.append(
            (f"gridmod excel export {filing}", wall([*GRIDMOD, "excel", "export", str(copy), "-o", str(book)], 3), "")
        )
        rows.append(
            (
                "gridmod excel import (with the quick check)",
                wall([*GRIDMOD, "excel", "import", str(book), str(copy)], 3),
                "",
            )
        )
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"(load average {load}: other processes on this machine slow every figure)")
    for name, seconds, note in rows:
        print(f"{name:58} {seconds:6.2f} s  {note}")


if __name__ == "__main__":
    main(*sys.argv[1:])
