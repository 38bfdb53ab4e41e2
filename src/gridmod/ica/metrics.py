"""Data-quality metrics measured from the results, and compared with the ones the utility reports.

Until now ICA quality metrics were self-reported. Each metric of the profile is computed here from the
results themselves, with the definition the data dictionary gives; a reported value further from it than
the profile's tolerance is a finding at its line of quality_metrics.csv.
"""

from __future__ import annotations

from typing import Any, cast

import polars as pl

from gridmod.findings import Finding
from gridmod.ica.context import IcaContext
from gridmod.ica.quality import Metric, show
from gridmod.ica.results import Results

c = pl.col


def compute_metrics(ctx: IcaContext, results: Results, mapped_feeders: set[str] | None) -> dict[str, float]:
    """Every metric of the profile, from the results pass (see the profile's `metrics` for the definitions)."""
    return compute_metrics_from(ctx, results.narrow, mapped_feeders, len(results.keys.duplicates))


def compute_metrics_from(
    ctx: IcaContext, frame: pl.DataFrame, mapped_feeders: set[str] | None, duplicates: int | None = None
) -> dict[str, float]:
    """The metrics from the narrow typed columns of the results (gridmod.ica.results.narrow)."""
    rows = frame.height
    keyed = frame.lazy().filter(c("key_ok"))  # lazy: a whole-system results table is not copied for it
    newest = (
        keyed.group_by("g")
        .agg(c("analysed").max())
        .select((pl.lit(ctx.filing_date) - c("analysed")).dt.total_days().alias("age"))
        .collect()["age"]
    )
    ages = newest.drop_nulls()
    short, long = ctx.thresholds["refreshed_windows_days"]
    reasons = dict(frame.lazy().filter(c("reason").is_not_null()).group_by("reason").len().collect().iter_rows())
    if duplicates is None:
        duplicates = keyed.select(pl.len() - pl.struct("g", "scenario").n_unique()).collect().item()
    values: dict[str, float] = {
        "feeders": frame["feeder"].drop_nulls().n_unique(),
        "sections": newest.len(),
        "result_rows": rows,
        f"refreshed_{short}d_pct": _share(int(((ages >= 0) & (ages <= short)).sum()), len(ages)),
        f"refreshed_{long}d_pct": _share(int(((ages >= 0) & (ages <= long)).sum()), len(ages)),
        "median_result_age_days": float(cast(float, ages.median())) if len(ages) else 0.0,
        "duplicate_rows": duplicates,
    }
    for reason in ("redacted_critical_infrastructure", "not_studied", "study_failed", "not_applicable"):
        short_name = "redacted" if reason.startswith("redacted") else reason
        values[f"missing_{short_name}_pct"] = _share(reasons.get(reason, 0), rows)
    present = set(frame["feeder"].drop_nulls().unique().to_list())
    values["orphan_feeders"] = len(present - mapped_feeders) if mapped_feeders is not None else 0
    return values


def _share(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def compare_metrics(ctx: IcaContext, computed: dict[str, float], reported: pl.DataFrame | None) -> list[Finding]:
    """ICA-E131 for each reported metric beyond tolerance, ICA-E132 for each metric not reported."""
    if reported is None:
        return []
    profile = ctx.profile
    path = ctx.path("quality_metrics")
    tolerance = ctx.thresholds["metric_tolerance"]
    rows = {r["metric"]: r for r in reported.iter_rows(named=True)}
    findings = []
    for spec in profile.meta["metrics"]:
        metric, kind = spec["id"], spec["kind"]
        row = rows.get(metric)
        if row is None:
            findings.append(profile.rule("ICA-E132").finding(path, value=metric, title=spec["title"], key=metric))
            continue
        value = computed.get(metric)
        if value is None:
            continue
        if abs(float(row["value"]) - value) > tolerance[kind] + 1e-9:
            findings.append(
                profile.rule("ICA-E131").finding(
                    path,
                    line=row["_line"],
                    column=2,
                    field="value",
                    value=_plain(row["value"]),
                    key=metric,
                    title=spec["title"],
                    computed=show(value, kind),
                    tolerance=_tolerance(kind, tolerance[kind]),
                )
            )
    return findings


def metric_table(ctx: IcaContext, computed: dict[str, float], reported: pl.DataFrame | None) -> list[Metric]:
    """Computed and reported side by side, in the profile's order (for the report and the site)."""
    given: dict[str, Any] = {}
    if reported is not None:
        given = {r["metric"]: r["value"] for r in reported.iter_rows(named=True)}
    return [
        Metric(m["id"], m["title"], m["kind"], computed.get(m["id"], 0.0), given.get(m["id"]))
        for m in ctx.profile.meta["metrics"]
    ]


def _plain(value: float) -> str:
    return f"{value:g}"


def _tolerance(kind: str, amount: float) -> str:
    if kind == "count":
        return "exact" if amount == 0 else f"±{amount:g}"
    if kind == "pct":
        return f"±{amount:g} percentage points"
    return f"±{amount:g} days"
