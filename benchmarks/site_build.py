"""How long the public site of the sample filings takes to build, and how much memory it needs.

Builds in a copy of the repository (data/, validation/, templates/, mkdocs.yml), never in this checkout:

1. `gridmod build`: validate, render, prepare the web editions, build the site: the whole pipeline;
2. validate and render alone, keeping the rendered filings for the next steps;
3. the web editions alone (gridmod.site.prepare: report fragments through pandoc and nh3, every table as
   CSV, XLSX and Parquet, data package zips, ICA feeder rows), in a fresh process fed step 2's filings;
4. the site stage alone (gridmod.site.build_site: pages and MkDocs), in a fresh process fed step 3's
   filings, so its peak memory is the site's and not the validators'.

Each step's figures are its own process: wall time of the step, peak resident memory of the process
(VmHWM) and of its largest child (pandoc, Typst's host; Linux counts a child's peak from the size of its
parent when it forked, so that figure is an upper bound), and for the site the page count. Targets of
issue 5: site under 20 s and 100 MB. Run from the repository root:

    python benchmarks/site_build.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from memory import children_peak_mb, peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]


def _copy_repo(target: Path) -> Path:
    for name in ("data", "validation", "templates"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for name in ("reports", "site"):
        (target / name).mkdir()
    return target


def _figures(started: float) -> dict:
    return {"seconds": time.perf_counter() - started, "self_mb": peak_rss_mb(), "children_mb": children_peak_mb()}


def whole(root: Path) -> None:
    """Child: `gridmod build`, the whole pipeline."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    from gridmod.build import build

    started = time.perf_counter()
    result = build(root)
    if not result.published:
        raise SystemExit("the sample filings did not build")
    print(json.dumps({**_figures(started), "filings": len(result.built)}))


def render(root: Path, state: Path) -> None:
    """Child: validate and render every sample filing into root/reports; keep the rendered filings."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    from gridmod.render import render_filing
    from gridmod.validate import PHASES, validate

    started = time.perf_counter()
    report, validated = validate(None, root, PHASES)
    if not report.valid:
        raise SystemExit("the sample filings are not valid")
    built = [render_filing(v.filing, v.profile, v.result, root / "reports") for v in validated]
    state.write_bytes(pickle.dumps(built))
    print(json.dumps({**_figures(started), "filings": len(built)}))


def prepare(root: Path, state: Path, editions: Path) -> None:
    """Child: the web editions of the rendered filings, into `editions`."""
    from gridmod.site.prepare import prepare_editions

    built = pickle.loads(state.read_bytes())
    started = time.perf_counter()
    prepare_editions(built, root / "reports", editions)
    figures = _figures(started)
    state.write_bytes(pickle.dumps(built))
    print(json.dumps(figures))


def site(root: Path, state: Path, out: Path) -> None:
    """Child: the site stage alone, from the prepared filings."""
    from gridmod.site import build_site

    built = pickle.loads(state.read_bytes())
    started = time.perf_counter()
    build_site(root, built, root / "reports", out)
    figures = _figures(started)
    if "polars" in sys.modules:
        raise SystemExit("the site stage imported polars")
    pages = sum(1 for _ in out.rglob("*.html"))
    files = sum(1 for p in out.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(json.dumps({**figures, "pages": pages, "files": files, "bytes": size}))


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="site-only builds to take the median of")
    parser.add_argument("--whole", nargs=1, metavar="ROOT", help=argparse.SUPPRESS)
    parser.add_argument("--render", nargs=2, metavar=("ROOT", "STATE"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", nargs=3, metavar=("ROOT", "STATE", "EDITIONS"), help=argparse.SUPPRESS)
    parser.add_argument("--site", nargs=3, metavar=("ROOT", "STATE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.whole:
        return whole(Path(args.whole[0]))
    if args.render:
        return render(*map(Path, args.render))
    if args.prepare:
        return prepare(*map(Path, args.prepare))
    if args.site:
        return site(*map(Path, args.site))

    with tempfile.TemporaryDirectory(prefix="gridmod-bench-") as tmp:
        full = _child("--whole", str(_copy_repo(Path(tmp) / "whole")))
        root = _copy_repo(Path(tmp) / "repo")
        state = Path(tmp) / "built.pickle"
        rendered = _child("--render", str(root), str(state))
        editions = _child("--prepare", str(root), str(state), str(Path(tmp) / "editions"))
        runs = [_child("--site", str(root), str(state), str(Path(tmp) / f"site-{i}")) for i in range(args.runs)]
    seconds = statistics.median(r["seconds"] for r in runs)
    peak = max(r["self_mb"] for r in runs)
    child = max(r["children_mb"] for r in runs)

    def line(name: str, r: dict) -> str:
        return (
            f"{name:<44} {r['seconds']:6.1f} s, peak RSS {r['self_mb']:5.0f} MB"
            f" (largest child {r['children_mb']:.0f} MB)"
        )

    print(f"sample filings: {full['filings']}")
    print(line("gridmod build (validate, render, editions, site)", full))
    print(line("validate + render", rendered))
    print(line("web editions (gridmod.site.prepare)", editions))
    print(
        line(
            f"site stage (pages + MkDocs), median of {len(runs)}",
            {**runs[0], "seconds": seconds, "self_mb": peak, "children_mb": child},
        )
    )
    print(f"site: {runs[0]['pages']} HTML pages, {runs[0]['files']} files, {runs[0]['bytes'] / 1e6:.1f} MB")
    print(
        f"targets for the site stage: < 20 s, < 100 MB -> time {'met' if seconds < 20 else 'MISSED'}, "
        f"memory {'met' if peak < 100 and child < 100 else 'MISSED'}"
    )
    both = seconds + editions["seconds"]
    print(
        f"web editions + site stage: {both:.1f} s; peak of either process "
        f"{max(peak, editions['self_mb']):.0f} MB, pandoc child of the editions up to "
        f"{editions['children_mb']:.0f} MB -> time {'met' if both < 20 else 'MISSED'}, memory "
        f"{'met' if max(peak, editions['self_mb'], editions['children_mb']) < 100 else 'MISSED (pandoc)'}"
    )


if __name__ == "__main__":
    main()
