"""Benchmark: the ICA hourly table at scale, filed as a partitioned dataset, validated in bounded memory.

    python benchmarks/scale_benchmark.py [--data DIR] [--sizes 10,100,300] [--formats parquet,csv]
                                         [--sections-per-feeder 430] [--repeat 1]

For each size (millions of hourly rows) and format it writes a synthetic filing of profile ica-biannual 1.1
(SAMPLE data) whose hourly table is a dataset folder, one part per feeder (hourly/feeder_id=<id>/part-0.*,
the feeder only in the folder name, as polars, pyarrow and Spark write hive partitions), about 495,000 rows
per feeder (430 line sections x 2 kinds x 576 slots: a large PG&E feeder), with planted errors in known
parts: a cell that is no number (CSV) or a negative value (Parquet), a slot left out, a repeated key, a
line section the results lack. Then, each in a fresh process so that peak memory is the step's own, in the
same run:
  - polars reading every column of the same files (lazy scan, streaming engine, one aggregate per column);
  - DuckDB scanning every column of the same files (one aggregate per column);
  - gridmod validating the whole filing as `gridmod validate --quick` does (descriptor and hashes,
    structure, content): time per row, peak memory, and whether the hourly findings are the planted errors;
  - at the smallest size, the baseline: the same rows filed as ONE hourly file, which the validator holds
    in memory whole (the pass before datasets).
It prints a table with time per row, the ratios to the baseline and to DuckDB's scan, peak memory and its
ratio to the smallest size, and an extrapolation to 1.5 billion rows. Not part of the test suite: the 300 M
row sizes need about 25 GB of disk and several minutes each.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl
from memory import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "tests/ica11/fixtures/valid_minimal"
DEFAULT = Path(os.environ.get("TMPDIR", "/tmp")) / "gridmod-scale-benchmark"
SLOTS = 576
CRITERIA = ["thermal", "steady_state_voltage", "voltage_fluctuation", "protection", "reverse_flow"]
FULL_SYSTEM = 1_500_000_000


def feeder_ids(count: int) -> list[str]:
    return [f"{24011 + n // 8:05d}{1101 + n % 8:04d}" for n in range(count)]


def hourly_part(sections: int, seed: int) -> pl.DataFrame:
    """One feeder's profiles: every line section, both kinds, 576 slots each, in the order utilities write."""
    rng = np.random.default_rng(seed)
    rows = sections * 2 * SLOTS
    slot = np.tile(np.arange(SLOTS), sections * 2)
    day, rest = np.divmod(slot, 288)
    month, hour = np.divmod(rest, 24)
    return pl.DataFrame(
        {
            "section_id": pl.Series([f"LS{n:06d}" for n in range(sections)]).gather(
                np.repeat(np.arange(sections), 2 * SLOTS)
            ),
            "kind": pl.Series(["generation", "load"]).gather(np.tile(np.repeat([0, 1], SLOTS), sections)),
            "day_type": pl.Series(["light", "high"]).gather(day),
            "month": (month + 1).astype(np.int64),
            "hour": hour.astype(np.int64),
            "value_kw": np.round(rng.uniform(200, 9000, rows), 1),
            "limiting_criterion": pl.Series(CRITERIA).gather(rng.integers(0, len(CRITERIA), rows)),
        }
    )


def write_filing(
    folder: Path, rows: int, fmt: str, sections: int, single: bool = False, hourly_feeders: int | None = None
) -> list[dict]:
    """The filing, and the planted hourly errors as (code, part, line, column). With `hourly_feeders`, the
    hourly table holds only that many feeders' parts (the results still hold every feeder)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(TEMPLATE, folder)
    per_feeder = sections * 2 * SLOTS
    feeders = feeder_ids(max(1, round(rows / per_feeder)))
    substations = sorted({f[:5] for f in feeders})
    pl.DataFrame(
        {
            "substation_id": substations,
            "substation_name": [f"Sample {s}" for s in substations],
            "county": "Fresno",
            "longitude": -119.78,
            "latitude": 36.73,
            "existing_gen_kw": 1000.0,
            "queued_gen_kw": 100.0,
            "total_gen_kw": 1100.0,
        }
    ).write_csv(folder / "substations.csv")
    pl.DataFrame(
        {
            "feeder_id": feeders,
            "substation_id": [f[:5] for f in feeders],
            "feeder_name": [f"Sample {f}" for f in feeders],
            "nominal_voltage_kv": 12.0,
            "existing_dg_kw": 100.0,
            "queued_dg_kw": 10.0,
            "total_dg_kw": 110.0,
            "customers_residential": 900,
            "customers_commercial": 90,
            "customers_industrial": 5,
            "customers_agricultural": 3,
            "customers_other": 2,
            "customers_total": 1000,
            "load_profile": "available",
        }
    ).write_csv(folder / "substations.csv".replace("substations", "feeders"))
    scenarios = ["uniform_generation", "uniform_load", "pv"]
    section_ids = [f"LS{n:06d}" for n in range(sections)]
    results = pl.DataFrame(
        {
            "feeder_id": np.repeat(feeders, sections * 3),
            "section_id": np.tile(np.repeat(section_ids, 3), len(feeders)),
            "scenario": np.tile(scenarios, sections * len(feeders)),
        }
    )
    results.with_columns(
        static_kw=pl.lit(1500.0),
        static_criterion=pl.lit("thermal"),
        opflex_kw=pl.lit(2500.0),
        opflex_criterion=pl.lit("reverse_flow"),
        analysis_date=pl.lit("2026-07-03"),
        missing_reason=pl.lit(None, pl.String),
    ).write_csv(folder / "results.csv")
    for name in ("line_sections.parquet", "crosswalk.csv", "hourly.csv", "quality_metrics.csv"):
        (folder / name).unlink(missing_ok=True)
    (folder / "quality_metrics.csv").write_text("metric,value,note\n", encoding="utf-8")
    planted = _write_hourly(folder, feeders[:hourly_feeders], sections, fmt, single)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] not in ("line_sections", "crosswalk")]
    hourly = next(r for r in descriptor["resources"] if r["name"] == "hourly")
    hourly.update(path=f"hourly.{fmt}" if single else "hourly/", format=fmt)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    from gridmod.filing import stamp_resources

    stamp_resources(folder)
    return planted


def _write_hourly(folder: Path, feeders: list[str], sections: int, fmt: str, single: bool) -> list[dict]:
    """Every feeder's part, with the planted errors in the first, middle and last feeders."""
    planted = []
    bad_at, dropped_at, repeated_at = 1000, 2 * SLOTS + 7, 5 * SLOTS + 3
    frames = []
    shift = 1 if single else 0  # a part leaves the feeder to its folder name: its columns start one earlier
    for number, feeder in enumerate(feeders):
        frame = hourly_part(sections, number).with_columns(value_kw=pl.col("value_kw").cast(pl.String))
        part = "hourly" + ("." + fmt if single else f"/feeder_id={feeder}/part-0.{fmt}")
        offset = sum(f.height for f in frames) if single else 0
        line = lambda row, base=offset: base + row + (2 if fmt == "csv" else 1)  # noqa: E731
        if number == 0:  # a cell that is no number in CSV; a negative value in Parquet (typed)
            value = "12kW" if fmt == "csv" else "-5"
            frame = frame.with_columns(
                pl.when(pl.int_range(pl.len()) == bad_at)
                .then(pl.lit(value))
                .otherwise(pl.col("value_kw"))
                .alias("value_kw")
            )
            planted.append(
                {
                    "code": "ICA-E010" if fmt == "csv" else "ICA-E020",
                    "part": part,
                    "line": line(bad_at),
                    "column": 6 + shift,
                }
            )
        if number == len(feeders) // 2:  # a slot left out: its profile is incomplete
            frame = frame.filter(pl.int_range(pl.len()) != dropped_at)
            planted.append({"code": "ICA-E121", "part": part, "line": line(2 * SLOTS), "column": 2 + shift})
        if number == len(feeders) - 1:  # a key repeated at the part's end; a line section the results lack
            orphan = (
                hourly_part(1, 0)
                .filter(pl.col("kind") == "generation")
                .with_columns(section_id=pl.lit("LS999999"), value_kw=pl.col("value_kw").cast(pl.String))
            )
            planted.append({"code": "ICA-E122", "part": part, "line": line(frame.height), "column": 1 + shift})
            frame = pl.concat([frame, orphan, frame.slice(repeated_at, 1)])
            planted.append(
                {"code": "ICA-E015", "part": part, "line": line(frame.height - 1), "column": 1 if single else None}
            )
        frame = (
            frame.with_columns(value_kw=pl.col("value_kw").cast(pl.Float64, strict=False))
            if fmt == "parquet"
            else frame
        )
        if single:
            frames.append(frame.with_columns(feeder_id=pl.lit(feeder)).select("feeder_id", *frame.columns))
            continue
        target = folder / part
        target.parent.mkdir(parents=True)
        frame.write_parquet(target) if fmt == "parquet" else frame.write_csv(target)
    if single:
        whole = pl.concat(frames)
        whole.write_parquet(folder / f"hourly.{fmt}") if fmt == "parquet" else whole.write_csv(folder / "hourly.csv")
    return planted


def measure(kind: str, folder: Path) -> dict:
    """One step, inside its own process."""
    started = time.perf_counter()
    extra: dict = {}
    hourly = folder / "hourly"
    fmt = "parquet" if any(folder.glob("hourly*/**/*.parquet")) or (folder / "hourly.parquet").exists() else "csv"
    pattern = str(hourly / f"**/*.{fmt}") if hourly.is_dir() else str(folder / f"hourly.{fmt}")
    if kind == "polars":
        lazy = (
            pl.scan_parquet(pattern, hive_partitioning=hourly.is_dir())
            if fmt == "parquet"
            else pl.scan_csv(pattern, infer_schema=False)
        )
        extra["rows"] = int(lazy.select(pl.len(), pl.all().null_count()).collect(engine="streaming")["len"][0])
    elif kind == "duckdb":
        import duckdb

        reader = (
            f"read_parquet('{pattern}', hive_partitioning=true)"
            if fmt == "parquet"
            else f"read_csv('{pattern}', all_varchar=true, hive_partitioning=true)"
        )
        columns = duckdb.sql(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        # A hash of every value, so that no figure comes from the Parquet statistics (count(column) can).
        hashes = ", ".join(f'bit_xor(hash("{c[0]}"))' for c in columns)
        extra["rows"] = int(duckdb.sql(f"SELECT count(*), {hashes} FROM {reader}").fetchall()[0][0])
    elif kind == "validate":
        # As `pip install -e .` has it: without gridmod[spark], whose PySpark pandera and great-expectations
        # would import (and hold in memory) at their own import.
        sys.modules["pyspark"] = None  # type: ignore[assignment]
        from gridmod.validate import validate_filing

        result = validate_filing(folder, ROOT, ("structure", "content")).result
        extra["findings"] = [
            [f.code, f.path.split(folder.name + "/", 1)[1], f.line, f.column]
            for f in result.findings
            if "/hourly" in f.path
        ]
    return {"seconds": time.perf_counter() - started, "max_rss_mb": peak_rss_mb(), **extra}


def _run(kind: str, folder: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GRIDMOD_ROOT": str(ROOT)},
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} {folder} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--sizes", default="10,100,300", help="millions of hourly rows, comma-separated")
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--sections-per-feeder", type=int, default=430)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep each size's files (default: delete after)")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return 0
    sizes = [int(float(s) * 1_000_000) for s in args.sizes.split(",")]
    table = []
    for fmt in args.formats.split(","):
        baseline = None
        for number, rows in enumerate(sizes):
            steps = [("partitioned", False)] + ([("one file (in memory)", True)] if number == 0 else [])
            for layout, single in steps:
                folder = (
                    args.data / f"{fmt}-{rows // 1_000_000}m-{'single' if single else 'parts'}" / "pge" / "ica-2026-h2"
                )
                started = time.perf_counter()
                planted = write_filing(folder, rows, fmt, args.sections_per_feeder, single)
                written = time.perf_counter() - started
                actual = pl.scan_csv(folder / "results.csv").select(pl.len()).collect().item() * 2 // 3 * SLOTS
                runs = {
                    kind: min((_run(kind, folder) for _ in range(args.repeat)), key=lambda r: r["seconds"])
                    for kind in ("polars", "duckdb", "validate")
                }
                got = sorted((c, p, ln, col) for c, p, ln, col in runs["validate"]["findings"])
                want = sorted((p["code"], p["part"], p["line"], p["column"]) for p in planted)
                row = {
                    "format": fmt,
                    "layout": layout,
                    "rows": runs["polars"]["rows"],
                    "written_s": written,
                    **{f"{k}_s": v["seconds"] for k, v in runs.items()},
                    **{f"{k}_mb": v["max_rss_mb"] for k, v in runs.items()},
                    "findings_ok": got == want,
                    "missing": [w for w in want if w not in got],
                    "unexpected": [g for g in got if g not in want],
                    "profiles": actual,
                }
                table.append(row)
                if single:
                    baseline = row
                print(json.dumps(row), flush=True)
                if number == len(sizes) - 1 and number > 0 and not single:
                    # The same results with one feeder's hourly part: what the results table costs by itself.
                    write_filing(folder, rows, fmt, args.sections_per_feeder, hourly_feeders=1)
                    alone = _run("validate", folder)
                    table.append(
                        {"format": fmt, "layout": "results alone", "rows": rows, "validate_mb": alone["max_rss_mb"]}
                    )
                    print(json.dumps(table[-1]), flush=True)
                if not args.keep:
                    shutil.rmtree(folder.parents[1])
        _report([r for r in table if r["format"] == fmt], baseline)
    return 0


def _report(rows: list[dict], baseline: dict | None) -> None:
    parts = [r for r in rows if r["layout"] == "partitioned"]
    alone = next((r for r in rows if r["layout"] == "results alone"), None)
    rows = [r for r in rows if r is not alone]
    first = parts[0]
    print(f"\n{rows[0]['format']}: time per row (ns), peak memory (MB), findings = planted errors")
    print(
        f"{'layout':22} {'rows':>13} {'polars':>8} {'duckdb':>8} {'gridmod':>8} {'vs 1 file':>9} "
        f"{'vs duckdb':>9} {'peak MB':>8} {'vs 10M':>7} {'duckdb MB':>9} findings"
    )
    for r in rows:
        per = {k: r[f"{k}_s"] / r["rows"] * 1e9 for k in ("polars", "duckdb", "validate")}
        versus = per["validate"] / (baseline["validate_s"] / baseline["rows"] * 1e9) if baseline else float("nan")
        print(
            f"{r['layout']:22} {r['rows']:>13,} {per['polars']:>8.1f} {per['duckdb']:>8.1f} {per['validate']:>8.1f} "
            f"{versus:>8.2f}x {per['validate'] / per['duckdb']:>8.2f}x {r['validate_mb']:>8.0f} "
            f"{r['validate_mb'] / first['validate_mb']:>6.2f}x {r['duckdb_mb']:>9.0f} "
            f"{'yes' if r['findings_ok'] else 'NO ' + str(r['missing'] + r['unexpected'])}"
        )
    if len(parts) >= 2:
        a, b = parts[0], parts[-1]
        slope = (b["validate_mb"] - a["validate_mb"]) / (b["rows"] - a["rows"])
        seconds = b["validate_s"] / b["rows"] * FULL_SYSTEM
        peak = b["validate_mb"] + slope * (FULL_SYSTEM - b["rows"])
        growth = b["validate_mb"] - a["validate_mb"]
        print(
            f"extrapolated to {FULL_SYSTEM:,} rows: peak {peak:,.0f} MB ({slope * 1e6:.2f} MB per million rows), "
            f"time {seconds / 60:,.0f} min at this machine's rate"
        )
        if alone is not None and growth > 0:
            results = alone["validate_mb"] - a["validate_mb"]
            sections = b["profiles"] // (2 * SLOTS)
            print(
                f"what grows from {a['rows'] / 1e6:,.0f} M to {b['rows'] / 1e6:,.0f} M rows ({growth:,.0f} MB): "
                f"the results table, held whole with the figures computed from it ({sections * 3:,} rows: "
                f"{results:,.0f} MB, {results * 1e6 / (sections * 3):,.0f} bytes a row), and the hourly table's "
                f"summaries, one entry per profile ({sections * 2:,} profiles: {growth - results:,.0f} MB, "
                f"{(growth - results) * 1e6 / (sections * 2):,.0f} bytes a profile); the largest part (one "
                "feeder's profiles) is the same at every size"
            )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
