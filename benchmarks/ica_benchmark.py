"""Benchmark of the streaming ICA validator on a full-scale hourly table with planted errors.

    python benchmarks/ica_benchmark.py [--data DIR] [--rows 10000000] [--repeat 3] [--slice 1000000]
                                       [--against CHECKOUT]

Writes the full-scale filing with benchmarks/ica_generate.py unless DIR already holds one, then measures,
each step in a fresh process (so peak memory is the step's own), in the same run:
  - polars merely reading hourly.csv (pl.read_csv, inferred types; ignore_errors and
    truncate_ragged_lines so that it gets through the planted errors) and the validator on the same
    file: target <= 1.5x;
  - the validator's peak memory: target < 1 GB;
  - the same two on hourly.parquet: Parquet should be faster than CSV;
  - frictionless and the validator on the first SLICE rows: target >= 50x faster;
  - that the findings are exactly the planted errors, at their lines and columns;
  - with --against CHECKOUT (another checkout of gridmod, e.g. `git worktree add /tmp/before HEAD~5`), the
    whole filing validated as `gridmod validate --quick` does (structure and content), by this checkout and
    by that one on the same files, runs interleaved: the ratio shows a slowdown or not. The whole-filing
    entry point (gridmod.validate.validate_filing) is the one both checkouts share.
Times are the best of REPEAT runs, interleaved so that load on the machine hits both sides alike.
Not part of the test suite: it needs a few GB of disk and minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from memory import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = Path(os.environ.get("TMPDIR", "/tmp")) / "gridmod-ica-benchmark"


def measure(kind: str, path: Path) -> dict:
    """One measurement, run inside its own process (see `_run`)."""
    import polars as pl

    started = time.perf_counter()
    extra: dict = {}
    if kind == "read-csv":
        # The plainest read that gets through the planted errors: inferred types, bad cells and rows skipped.
        extra["rows"] = pl.read_csv(path, ignore_errors=True, truncate_ragged_lines=True).height
    elif kind == "read-parquet":
        extra["rows"] = pl.read_parquet(path).height
    elif kind == "validate":
        extra["findings"] = validate_hourly(path)
    elif kind == "validate-filing":
        extra["findings"] = validate_whole_filing(path)
    elif kind == "frictionless":
        extra["errors"], extra["rows"] = frictionless_errors(path)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "max_rss_mb": peak_rss_mb(), **extra}


def validate_hourly(path: Path) -> list[list]:
    """The hourly table's findings, as `gridmod validate` checks it: the validation stage's streaming pass and
    cell findings, then the ICA engine's keys and completeness (results first, for the foreign key)."""
    from gridmod.filing import load_filing
    from gridmod.ica.context import IcaContext
    from gridmod.ica.hourly import check_hourly, scan_hourly, summarize
    from gridmod.ica.results import check_results, scan_results, section_set
    from gridmod.spec import load_profile
    from gridmod.validate.descriptor import check_descriptor
    from gridmod.validate.large import shared_categories
    from gridmod.validate.large.source import open_source
    from gridmod.validate.large.stream import Capped, cell_findings

    folder = path.parent
    filing = load_filing(folder, ROOT)
    check_descriptor(filing)  # the structure phase's read of datapackage.json gives the typed header
    profile = load_profile(ROOT, "ica-biannual", "1.0")
    ctx = IcaContext.of(filing, profile)
    shared = shared_categories(profile, ["results", "hourly"])
    results = check_results(ctx, scan_results(ctx, open_source(folder / "results.csv"), shared), None, Capped(None))
    sections = section_set(results)
    started = time.perf_counter()
    out = Capped(profile.limits.get("max_findings_per_rule"))
    source = open_source(path)
    scan = scan_hourly(ctx, source, shared)
    scan.path = path.name
    cell_findings(scan, profile, scan.failing(), out)
    check_hourly(ctx, [summarize(filing, profile, scan, out)], sections, shared, out)
    print(json.dumps({"hourly_seconds": time.perf_counter() - started}), file=sys.stderr)
    return [[f.code, f.line, f.column] for f in out.findings]


def validate_whole_filing(folder: Path) -> list[list]:
    """Every finding of the filing in `folder`, structure and content phases, as `gridmod validate --quick`."""
    from gridmod.validate import validate_filing

    root = Path(os.environ.get("GRIDMOD_ROOT", ROOT))
    result = validate_filing(folder, root, ("structure", "content")).result
    return [[f.code, f.path.rsplit("/", 1)[-1], f.line, f.column] for f in result.findings]


def frictionless_errors(path: Path) -> tuple[int, int]:
    import frictionless

    from gridmod.spec import load_profile

    schema = dict(load_profile(ROOT, "ica-biannual", "1.0").schemas["hourly"])
    schema.pop("foreignKeys", None)
    # A relative path and its folder: frictionless refuses an absolute path as unsafe.
    resource_ = frictionless.Resource(
        path.name, basepath=str(path.parent), schema=frictionless.Schema.from_descriptor(schema)
    )
    report = resource_.validate(frictionless.Checklist(), limit_errors=1000)
    return len(report.flatten(["type"])), report.tasks[0].stats.get("rows") or 0


def _run(kind: str, path: Path, checkout: Path = ROOT) -> dict:
    """One measurement in a fresh process, with the gridmod of `checkout` (this one unless told)."""
    env = {**os.environ, "GRIDMOD_ROOT": str(checkout)}
    if checkout != ROOT:
        env["PYTHONPATH"] = str(checkout / "src")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path)], capture_output=True, text=True, check=False, env=env
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{kind} {path} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["cpu_seconds"] = cpu  # the whole process, imports included: less sensitive to a busy machine
    for line in done.stderr.splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    return result


def _slice(source: Path, rows: int) -> Path:
    target = source.with_name(f"hourly-{rows}.csv")
    if not target.exists():
        with source.open("rb") as src, target.open("wb") as dst:
            for number, line in enumerate(src):
                if number > rows:
                    break
                dst.write(line)
    return target


def _best(runs: list[dict]) -> dict:
    best = min(runs, key=lambda r: r["seconds"])
    return {
        **best,
        "median": statistics.median(r["seconds"] for r in runs),
        "max_rss_mb": max(r["max_rss_mb"] for r in runs),
    }


def _planted_in(findings: list[list], planted: list[dict], offset_rows: int | None = None) -> tuple[bool, list, list]:
    got = {(code, line, column) for code, line, column in findings}
    want = {(p["code"], p["line"], p["column"]) for p in planted if offset_rows is None or p["line"] <= offset_rows + 1}
    return got == want, sorted(want - got, key=str), sorted(got - want, key=str)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slice", type=int, default=1_000_000)
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument(
        "--against",
        type=Path,
        metavar="CHECKOUT",
        help="another checkout of gridmod whose validator is measured beside this one",
    )
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return 0

    data = args.data
    if not (data / "planted.json").is_file():
        from ica_generate import write_full  # beside this script, on sys.path when run as one

        started = time.perf_counter()
        write_full(data, args.rows)
        print(f"generated {data} in {time.perf_counter() - started:.1f} s")
    planted = json.loads((data / "planted.json").read_text())
    csv, parquet = data / "hourly.csv", data / "hourly.parquet"
    print(
        f"hourly.csv: {planted['rows']:,} rows, {csv.stat().st_size / 1e6:,.0f} MB; "
        f"hourly.parquet: {parquet.stat().st_size / 1e6:,.0f} MB; {len(planted['csv'])} planted errors"
    )

    kinds = ["read-csv", "validate-csv", "read-parquet", "validate-parquet"]
    if args.against:
        kinds += ["filing-now", "filing-before"]
    runs: dict[str, list[dict]] = {k: [] for k in kinds}
    for _ in range(args.repeat):
        runs["read-csv"].append(_run("read-csv", csv))
        runs["validate-csv"].append(_run("validate", csv))
        runs["read-parquet"].append(_run("read-parquet", parquet))
        runs["validate-parquet"].append(_run("validate", parquet))
        if args.against:
            runs["filing-now"].append(_run("validate-filing", data))
            runs["filing-before"].append(_run("validate-filing", data, args.against.resolve()))
    best = {k: _best(v) for k, v in runs.items()}
    ok = True

    def line(label: str, value: str, passed: bool | None = None) -> None:
        mark = "" if passed is None else ("  PASS" if passed else "  FAIL")
        print(f"  {label:<52} {value}{mark}")

    print(f"\nCSV, best of {args.repeat} (median in brackets), each in a fresh process:")
    read, check = best["read-csv"], best["validate-csv"]
    ratio = check["hourly_seconds"] / read["seconds"]
    line("polars pl.read_csv (plain read, inferred types)", f"{read['seconds']:.2f} s ({read['median']:.2f} s)")
    line(
        "gridmod streaming validator (hourly table)",
        f"{check['hourly_seconds']:.2f} s "
        f"({statistics.median(r['hourly_seconds'] for r in runs['validate-csv']):.2f} s)",
    )
    line("validator / plain read", f"{ratio:.2f}x (target <= 1.5x)", ratio <= 1.5)
    line(
        "validator peak memory (whole process)",
        f"{check['max_rss_mb']:,.0f} MB (target < 1024 MB)",
        check["max_rss_mb"] < 1024,
    )
    line("polars plain read peak memory", f"{read['max_rss_mb']:,.0f} MB")
    same, missing, unexpected = _planted_in(check["findings"], planted["csv"])
    line(
        "findings = planted errors at their lines",
        f"{len(check['findings'])} found, {len(planted['csv'])} planted",
        same,
    )
    if not same:
        print(f"    missing: {missing}\n    unexpected: {unexpected[:20]}")
    ok &= ratio <= 1.5 and check["max_rss_mb"] < 1024 and same

    print("\nParquet (same table, typed):")
    pread, pcheck = best["read-parquet"], best["validate-parquet"]
    line("polars pl.read_parquet (plain read)", f"{pread['seconds']:.2f} s")
    line("gridmod streaming validator (hourly table)", f"{pcheck['hourly_seconds']:.2f} s")
    faster = pcheck["hourly_seconds"] < check["hourly_seconds"]
    line("validator on Parquet vs on CSV", f"{check['hourly_seconds'] / pcheck['hourly_seconds']:.1f}x faster", faster)
    line("validator peak memory (Parquet)", f"{pcheck['max_rss_mb']:,.0f} MB", pcheck["max_rss_mb"] < 1024)
    same_pq, missing, unexpected = _planted_in(pcheck["findings"], planted["parquet"])
    line("findings = planted errors at their rows", f"{len(pcheck['findings'])} found", same_pq)
    ok &= faster and same_pq and pcheck["max_rss_mb"] < 1024

    if args.against:
        now, before = best["filing-now"], best["filing-before"]
        print(f"\nThe whole filing (structure and content), this checkout against {args.against}, interleaved:")
        # Medians, not the best runs: on a shared machine one lucky run of either side decides a best-of ratio.
        ratio = now["median"] / before["median"]
        line(
            "time, this / the other (medians)",
            f"{now['median']:.2f} s / {before['median']:.2f} s = {ratio:.2f}x "
            f"(best {now['seconds']:.2f} s / {before['seconds']:.2f} s; target <= 1.05x)",
            ratio <= 1.05,
        )
        cpu_now = statistics.median(r["cpu_seconds"] for r in runs["filing-now"])
        cpu_before = statistics.median(r["cpu_seconds"] for r in runs["filing-before"])
        line(
            "CPU time of the process, this / the other (medians)",
            f"{cpu_now:.2f} s / {cpu_before:.2f} s = {cpu_now / cpu_before:.2f}x",
        )
        line(
            "peak memory, this / the other",
            f"{now['max_rss_mb']:,.0f} MB / {before['max_rss_mb']:,.0f} MB",
            now["max_rss_mb"] <= before["max_rss_mb"] * 1.05,
        )
        same = sorted(map(tuple, now["findings"])) == sorted(map(tuple, before["findings"]))
        line("the same findings", f"{len(now['findings'])} / {len(before['findings'])}", same)
        ok &= ratio <= 1.05 and same and now["max_rss_mb"] <= before["max_rss_mb"] * 1.05

    if not args.skip_frictionless:
        part = _slice(csv, args.slice)
        print(f"\nFirst {args.slice:,} rows ({part.stat().st_size / 1e6:,.0f} MB):")
        ours = _best([_run("validate", part) for _ in range(args.repeat)])
        theirs = _run("frictionless", part)
        speedup = theirs["seconds"] / ours["hourly_seconds"]
        line("frictionless Resource.validate", f"{theirs['seconds']:.1f} s ({theirs['errors']} errors reported)")
        # A frictionless run that stopped early (an unreadable resource) would make any speed-up meaningless.
        line("frictionless read every row", f"{theirs['rows']:,} of {args.slice:,}", theirs["rows"] == args.slice)
        line("gridmod streaming validator", f"{ours['hourly_seconds']:.2f} s")
        line("speed-up over frictionless", f"{speedup:.0f}x (target >= 50x)", speedup >= 50)
        ok &= speedup >= 50 and theirs["rows"] == args.slice
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
