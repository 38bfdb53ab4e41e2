"""How long the public site of the sample filings takes to build, and how much memory it needs.

Builds in a copy of the repository (data/, validation/, templates/, mkdocs.yml), never in this checkout:

1. `gridmod build`: validate, render the reports, build the site — the whole pipeline, for context;
2. the site stage alone (gridmod.site.build_site), in a fresh process fed the validated, rendered filings
   of step 1, so its peak memory is the site's and not the validators'.

Prints wall time, peak resident memory (the process itself, and its largest child: pandoc) and the page
count. Targets of issue 5: site under 20 s and 100 MB. Run from the repository root:

    python benchmarks/site_build.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _copy_repo(target: Path) -> Path:
    for name in ("data", "validation", "templates"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for name in ("reports", "site"):
        (target / name).mkdir()
    return target


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports kB


def prepare(root: Path, state: Path) -> None:
    """Child: the whole build; then keep the validated, rendered filings for the site-only run."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    from gridmod.build import build

    started = time.perf_counter()
    result = build(root)
    seconds = time.perf_counter() - started
    if not result.published:
        raise SystemExit("the sample filings did not build")
    state.write_bytes(pickle.dumps(result.built))
    print(json.dumps({"seconds": seconds, "self_mb": _peak_mb(resource.RUSAGE_SELF),
                      "children_mb": _peak_mb(resource.RUSAGE_CHILDREN), "filings": len(result.built)}))


def site(root: Path, state: Path, out: Path) -> None:
    """Child: the site stage alone, from the filings `prepare` kept."""
    from gridmod.site import build_site

    built = pickle.loads(state.read_bytes())
    started = time.perf_counter()
    build_site(root, built, root / "reports", out)
    seconds = time.perf_counter() - started
    pages = sum(1 for _ in out.rglob("*.html"))
    files = sum(1 for p in out.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(json.dumps({"seconds": seconds, "self_mb": _peak_mb(resource.RUSAGE_SELF),
                      "children_mb": _peak_mb(resource.RUSAGE_CHILDREN), "pages": pages, "files": files,
                      "bytes": size}))


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="site-only builds to take the median of")
    parser.add_argument("--prepare", nargs=2, metavar=("ROOT", "STATE"), help=argparse.SUPPRESS)
    parser.add_argument("--site", nargs=3, metavar=("ROOT", "STATE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare(Path(args.prepare[0]), Path(args.prepare[1]))
    if args.site:
        return site(Path(args.site[0]), Path(args.site[1]), Path(args.site[2]))

    with tempfile.TemporaryDirectory(prefix="gridmod-bench-") as tmp:
        root = _copy_repo(Path(tmp) / "repo")
        state = Path(tmp) / "built.pickle"
        whole = _child("--prepare", str(root), str(state))
        runs = [_child("--site", str(root), str(state), str(Path(tmp) / f"site-{i}")) for i in range(args.runs)]
    seconds = statistics.median(r["seconds"] for r in runs)
    peak = max(r["self_mb"] for r in runs)
    pandoc = max(r["children_mb"] for r in runs)
    print(f"sample filings: {whole['filings']}")
    print(f"gridmod build (validate, render, site): {whole['seconds']:6.1f} s, "
          f"peak RSS {whole['self_mb']:5.0f} MB (largest child {whole['children_mb']:.0f} MB)")
    print(f"site only, median of {len(runs)}:          {seconds:6.1f} s, peak RSS {peak:5.0f} MB "
          f"(largest child, pandoc: {pandoc:.0f} MB)")
    print(f"site: {runs[0]['pages']} HTML pages, {runs[0]['files']} files, {runs[0]['bytes'] / 1e6:.1f} MB")
    print(f"targets: < 20 s, < 100 MB -> time {'met' if seconds < 20 else 'MISSED'}, "
          f"memory {'met' if peak < 100 else 'MISSED'}")


if __name__ == "__main__":
    main()
