"""Synthetic ICA filings: the SAMPLE filings under data/, and a full-scale filing with planted errors.

    python benchmarks/ica_generate.py samples            # rewrite data/<utility>/ica-* (small, SAMPLE)
    python benchmarks/ica_generate.py full OUT [--rows N] # a filing whose hourly table has ~N rows (10M)

The full-scale filing's hourly.csv carries errors planted at known lines; planted.json lists the finding each
must produce (code, line, column), and benchmarks/ica_benchmark.py checks that exactly those are found.
hourly.parquet holds the same table, typed, with the planted errors a typed column can hold.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import polars as pl
from synth import half_year, hourly, previous_half, write_filing, write_table  # beside this script

from gridmod.filing import stamp_resources

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {
    "pge": dict(substations=5, feeders_per_substation=4, sections_per_feeder=12, hourly_sections=2, seed=3),
    "sce": dict(
        substations=4,
        feeders_per_substation=4,
        sections_per_feeder=10,
        hourly_sections=1,
        seed=5,
        results_format="parquet",
    ),
    "sdge": dict(substations=3, feeders_per_substation=3, sections_per_feeder=8, hourly_sections=1, seed=7),
}
SLOTS = 1152  # 576 per kind, generation and load


def write_samples(root: Path = ROOT) -> list[Path]:
    """ica-2026-h2 for every utility, and PG&E's ica-2026-h1 as the earlier half-year for drift."""
    written = []
    for utility, options in SAMPLES.items():
        plan = half_year(utility, 2026, 2, **options)
        earlier = previous_half(plan) if utility == "pge" else None
        if earlier is not None:
            folder = root / "data" / utility / earlier.filing_id
            write_filing(folder, earlier)
            written.append(folder)
        folder = root / "data" / utility / plan.filing_id
        write_filing(folder, plan, earlier.filing_id if earlier else None)
        written.append(folder)
    return written


def write_full(out: Path, rows: int) -> dict:
    """A PG&E-like filing with about `rows` hourly rows, and the planted errors of its hourly table."""
    sections = max(rows // SLOTS, 20)
    feeders = -(-sections // 10)
    plan = replace(
        half_year(
            "pge",
            2026,
            2,
            substations=-(-feeders // 4),
            feeders_per_substation=4,
            sections_per_feeder=10,
            hourly_sections=0,
            seed=11,
        ),
        is_sample=True,
    )
    tables = write_filing(out, plan)
    frame = hourly(plan, tables["results"], sections)
    csv_frame, csv_planted = plant(frame, csv_only=True)
    pq_frame, pq_planted = plant(frame, csv_only=False)
    # Written unquoted, so the planted "thermal,extra" is a row with one cell more than the header.
    csv_frame.write_csv(out / "hourly.csv", line_terminator="\n", null_value="", quote_style="never")
    write_table(
        pq_frame.with_columns(pl.col("month", "hour").cast(pl.Int64), pl.col("value_kw").cast(pl.Float64)),
        out / "hourly.parquet",
    )
    stamp_resources(out)
    planted = {"csv": csv_planted, "parquet": pq_planted, "rows": csv_frame.height, "sections": sections}
    (out / "planted.json").write_text(json.dumps(planted, indent=1) + "\n", encoding="utf-8")
    return planted


def plant(frame: pl.DataFrame, csv_only: bool) -> tuple[pl.DataFrame, list[dict]]:
    """Errors at fixed fractions of the table, each producing exactly one finding; returns its expected place.

    Rows are spread over the file so the checks cannot stop early. CSV also gets errors only text can hold
    (a word in a number column, a blank row, a row with an extra cell).
    """
    text = frame.with_columns(pl.all().cast(pl.String))
    n = text.height
    group = 1152

    def row_at(fraction: float, offset: int = 0) -> int:
        return (int(n * fraction) // group) * group + 100 + offset  # inside a profile, away from its edges

    edits: list[tuple[int, str, str | None]] = [
        (row_at(0.05), "value_kw", "-35.0"),
        (row_at(0.15), "limiting_criterion", "Thermal"),
    ]
    if csv_only:
        edits += [
            (row_at(0.10), "value_kw", "n/a"),
            (row_at(0.55), "value_kw", None),
            (row_at(0.85), "limiting_criterion", "thermal,extra"),
        ]
    codes = {
        "-35.0": ("ICA-E020", 7),
        "Thermal": ("ICA-E012", 8),
        "n/a": ("ICA-E010", 7),
        None: ("ICA-E011", 7),
        "thermal,extra": ("ICA-E017", 9),
    }
    index = pl.int_range(pl.len())
    marks: list[tuple[int, str, int]] = []  # (original row, code, column) before rows move
    for row, column, value in edits:
        text = text.with_columns(
            pl.when(index == row).then(pl.lit(value, dtype=pl.String)).otherwise(pl.col(column)).alias(column)
        )
        marks.append((row, *codes[value]))
    mw_start = row_at(0.35) - 100
    text = text.with_columns(
        pl.when(index.is_between(mw_start, mw_start + 575))
        .then((pl.col("value_kw").cast(pl.Float64) / 1000).round(4).cast(pl.String))
        .otherwise(pl.col("value_kw"))
        .alias("value_kw")
    )
    marks.append((mw_start, "ICA-X123", 7))
    orphan_start = row_at(0.45) - 100 + 576  # the load profile of a line section
    text = text.with_columns(
        pl.when(index.is_between(orphan_start, orphan_start + 575))
        .then(pl.lit("LS999999"))
        .otherwise(pl.col("section_id"))
        .alias("section_id")
    )
    marks.append((orphan_start, "ICA-E122", 2))
    duplicate, missing = row_at(0.65), row_at(0.75)
    marks.append((missing - 100, "ICA-E121", 3))
    blank = row_at(0.95) if csv_only else None
    # Rebuild with the duplicate after its original, without the missing row, with the blank row.
    position = text.with_row_index("_orig").with_columns(pl.col("_orig").cast(pl.Int64))
    parts = [
        position.filter(pl.col("_orig") <= duplicate),
        position.filter(pl.col("_orig") == duplicate),
        position.filter((pl.col("_orig") > duplicate) & (pl.col("_orig") != missing)),
    ]
    text = pl.concat(parts)
    if blank is not None:
        empty = pl.DataFrame({c: [None] for c in frame.columns}, schema=dict.fromkeys(frame.columns, pl.String))
        at = text.with_row_index("_at").filter(pl.col("_orig") == blank)["_at"].item()
        empty = empty.with_columns(_orig=pl.lit(-1, pl.Int64)).select(text.columns)
        text = pl.concat([text.slice(0, at), empty, text.slice(at)])
    new_row = {orig: i for i, orig in enumerate(text["_orig"].to_list()) if orig >= 0}
    first = 2 if csv_only else 1  # CSV: header is line 1; Parquet findings give the row number
    planted = [{"code": code, "line": new_row[row] + first, "column": column} for row, code, column in marks]
    copy = new_row[duplicate]  # the later of the two equal rows, right after the original
    planted.append({"code": "ICA-E015", "line": copy + first, "column": 1})
    if blank is not None:
        at_blank = text["_orig"].to_list().index(-1)
        planted.append({"code": "ICA-E017", "line": at_blank + first, "column": None})
    return text.drop("_orig"), sorted(planted, key=lambda p: (p["line"], p["code"]))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("samples", help="rewrite the SAMPLE ICA filings under data/")
    full = sub.add_parser("full", help="write a full-scale filing with planted errors")
    full.add_argument("out", type=Path)
    full.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args(argv)
    if args.command == "samples":
        for folder in write_samples():
            print(folder.relative_to(ROOT))
        return 0
    planted = write_full(args.out, args.rows)
    print(f"{args.out}: {planted['rows']:,} hourly rows, {len(planted['csv'])} planted errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
