"""Filings to import into, and the parts of a filing an import does not fill (metrics, summary, workshops)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl

from gridmod.filing import stamp_resources
from gridmod.findings import PackageResult
from gridmod.scaffold import choose_profile, filing_dates, new_filing
from gridmod.validate import validate_filing
from tests.conftest import attest

NATIVE = Path(__file__).resolve().parent / "native"
WORKSHOPS = """workshop_date,status,topic,materials_url
2025-03-07,held,Kick-off,https://example.org/ica/2025-03-07
2025-06-05,held,Data quality,https://example.org/ica/2025-06-05
2025-09-04,held,Hourly profiles,https://example.org/ica/2025-09-04
2025-12-04,held,Remediation,https://example.org/ica/2025-12-04
2026-03-05,held,Operational flexibility,https://example.org/ica/2026-03-05
2026-06-04,held,Geometry,https://example.org/ica/2026-06-04
2026-09-03,scheduled,Next,https://example.org/ica/2026-09-03
"""


def new_ica_filing(root: Path, utility: str, filing: str = "ica-2026-h2", folder: Path | None = None) -> Path:
    """A filing of profile ica-biannual 1.1 made as a filer makes it (`gridmod new`), in `folder`."""
    profile = choose_profile(root, filing, "ica-biannual", "1.1")
    made = new_filing(root, utility, filing, profile, filing_dates(profile, filing), folder=folder)
    return made.folder


def native(utility: str, tmp: Path | None = None) -> list[Path]:
    """The utility's native fixture files (copied to `tmp` when given, to edit them)."""
    folder = NATIVE / utility
    if tmp is not None:
        shutil.copytree(folder, tmp / utility)
        folder = tmp / utility
    files = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".geojson", ".shp", ".gdb"))
    return files


def complete(folder: Path) -> None:
    """Fill what an import does not: the metrics (computed from the imported results as the profile defines
    them), the report summary, the workshops and the (SAMPLE) officer's verification."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    filed = date.fromisoformat(descriptor["gridmod"]["filing_date"])
    results = pl.read_parquet(folder / "results.parquet")
    newest = results.group_by("feeder_id", "section_id").agg(pl.col("analysis_date").max())
    ages = newest.select((pl.lit(filed) - pl.col("analysis_date")).dt.total_days().alias("age"))["age"]
    rows = results.height
    reasons = dict(results["missing_reason"].value_counts().iter_rows())
    metrics = {
        "feeders": results["feeder_id"].n_unique(),
        "sections": newest.height,
        "result_rows": rows,
        "refreshed_30d_pct": 100 * float((ages <= 30).mean() or 0),
        "refreshed_90d_pct": 100 * float((ages <= 90).mean() or 0),
        "median_result_age_days": float(ages.median() or 0),
    }
    for reason in ("redacted_critical_infrastructure", "not_studied", "study_failed", "not_applicable"):
        name = "redacted" if reason.startswith("redacted") else reason
        metrics[f"missing_{name}_pct"] = 100 * reasons.get(reason, 0) / rows
    metrics.update(duplicate_rows=0, orphan_feeders=0)
    lines = ["metric,value,note", *(f"{k},{round(v, 2)}," for k, v in metrics.items())]
    (folder / "quality_metrics.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "workshops.csv").write_text(WORKSHOPS, encoding="utf-8")
    summary = folder / "narrative" / "summary.md"
    summary.write_text(
        summary.read_text(encoding="utf-8") + "\nResults imported from the native download.\n", encoding="utf-8"
    )
    descriptor["gridmod"]["is_sample"] = True
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    attest(folder)
    stamp_resources(folder)


def validate(folder: Path, root: Path) -> PackageResult:
    return validate_filing(folder, root).result
