"""Peak memory of the benchmark's own process and of its children, as the benchmarks report it."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux carries that over
    from the parent across fork and exec, so every step would report at least its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    """The largest peak of the children waited for so far. Linux starts a child's count at the size of its
    parent when it forked, so this is an upper bound of what the child itself used."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
