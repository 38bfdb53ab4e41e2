"""Expectations phase: drift of the ICA results against the utility's previous ICA filing.

A reviewer's first question about a new half-year is what moved: did feeders drop out, did hosting capacity
shift (as it would if a feeder's values were suddenly in MW), did the limiting criteria or the share of
missing values change. Great-expectations checks each on small per-feeder frames, with the previous filing's
distributions as the expected partitions (KL divergence), so the check costs the same at any scale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import numpy as np
import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Checked, Finding
from gridmod.ica import spec as ica_spec
from gridmod.ica.context import IcaContext
from gridmod.ica.results import read_narrow
from gridmod.ica.spec import resource_path
from gridmod.ica.summary import feeder_summary
from gridmod.spec import Profile, load_profile
from gridmod.validate.large.source import open_source

SHOWN = 5


def _previous(filing: Filing) -> tuple[Filing, Profile, pl.DataFrame] | None:
    from gridmod.previous import find_previous

    previous = find_previous(filing)
    if previous is None:
        return None
    meta = previous.meta
    profile = load_profile(previous.root, str(meta["profile"]), str(meta["profile_version"]))
    path = previous.folder / resource_path(previous, profile, "results")
    return previous, profile, read_narrow(open_source(path), profile.schemas["results"])


def check_drift(ctx: IcaContext, narrow: pl.DataFrame, data_docs: Path | None = None) -> Checked:
    """Drift of the results against the utility's previous ICA filing; the notes say when there is none."""
    try:
        found = _previous(ctx.filing)
    except Exception as exc:  # noqa: BLE001 - a broken earlier filing must not stop this one's checks
        return Checked(
            notes=[f"Drift against the previous ICA filing skipped: it cannot be read ({type(exc).__name__})."]
        )
    if found is None:
        return Checked(notes=["Drift checks skipped: there is no earlier ICA filing of this utility to compare with."])
    previous, previous_profile, before = found
    import great_expectations.expectations as gxe

    from gridmod.validate.gx import Suites

    name = str(previous.meta.get("filing_id"))
    now = feeder_summary(narrow, ica_spec.scenarios(ctx.profile))
    then = feeder_summary(before, ica_spec.scenarios(previous_profile))
    suites = Suites(f"{ctx.filing.head.stem}-drift", data_docs, data_docs)
    t = ctx.thresholds
    path = ctx.path("results")
    findings: list[Finding] = []
    change = t["drift_feeder_change_pct"] / 100
    low, high = then.height * (1 - change), then.height * (1 + change)
    gen = now.filter(pl.col("gen_kw").is_not_null())
    criteria = now.filter(pl.col("criterion").is_not_null()).select("criterion")
    expectations = [gxe.ExpectTableRowCountToBeBetween(min_value=int(np.floor(low)), max_value=int(np.ceil(high)))]
    current = suites.run(
        "feeders",
        now.select("feeder", "rows", "missing_rows"),
        expectations
        + [
            gxe.ExpectColumnSumToBeBetween(
                column="missing_rows",
                min_value=0,
                max_value=_missing_cap(before, narrow.height, t["drift_missing_points"]),
            )
        ],
    )
    if not current[0].success:
        findings.append(
            ctx.profile.rule("ICA-W190").finding(
                path,
                value=now.height,
                previous=name,
                before=then.height,
                change=f"{100 * (now.height - then.height) / max(then.height, 1):+.0f}",
                limit=t["drift_feeder_change_pct"],
            )
        )
    if not current[1].success:
        findings.append(
            ctx.profile.rule("ICA-W194").finding(
                path,
                value=f"{100 * _missing(narrow):.1f}",
                before=f"{100 * _missing(before):.1f}",
                previous=name,
                limit=t["drift_missing_points"],
            )
        )
    partition = _bins(then["gen_kw"].drop_nulls().to_numpy())
    if partition and gen.height:
        [result] = suites.run(
            "hosting-capacity",
            gen.select("gen_kw"),
            [
                gxe.ExpectColumnKLDivergenceToBeLessThan(
                    column="gen_kw",
                    partition_object=partition,
                    threshold=t["drift_kl_max"],
                    internal_weight_holdout=0.01,
                    tail_weight_holdout=0.01,
                )
            ],
        )
        if not result.success:
            findings.append(
                ctx.profile.rule("ICA-W191").finding(
                    path,
                    value=_kl(result),
                    scenario="uniform generation, static grid",
                    previous=name,
                    limit=t["drift_kl_max"],
                )
            )
    shares = _shares(then["criterion"].drop_nulls().to_list(), ica_spec.criteria(ctx.profile))
    if shares and criteria.height:
        [result] = suites.run(
            "criteria",
            criteria,
            [
                gxe.ExpectColumnKLDivergenceToBeLessThan(
                    column="criterion", partition_object=shares, threshold=t["drift_kl_max"]
                )
            ],
        )
        if not result.success:
            findings.append(
                ctx.profile.rule("ICA-W192").finding(
                    path, value=_kl(result), scenario="uniform generation", previous=name, limit=t["drift_kl_max"]
                )
            )
    findings += _dropped(ctx, suites, now, then, name, path)
    suites.write_docs()
    return Checked(findings)


def _dropped(
    ctx: IcaContext, suites: Any, now: pl.DataFrame, then: pl.DataFrame, name: str, path: str
) -> list[Finding]:
    import great_expectations.expectations as gxe

    limit = ctx.thresholds["drift_dropped_feeders_pct"]
    [result] = suites.run(
        "previous-feeders",
        then.select("feeder"),
        [gxe.ExpectColumnValuesToBeInSet(column="feeder", value_set=now["feeder"].to_list(), mostly=1 - limit / 100)],
        result_format="COMPLETE",
    )
    if result.success:
        return []
    dropped = sorted(set(result.result.get("unexpected_list") or []))
    return [
        ctx.profile.rule("ICA-W193").finding(
            path,
            value=len(dropped),
            previous=name,
            share=f"{100 * len(dropped) / max(then.height, 1):.0f}",
            examples=", ".join(dropped[:SHOWN]) + (" ..." if len(dropped) > SHOWN else ""),
        )
    ]


def _missing(narrow: pl.DataFrame) -> float:
    return float(cast(float, narrow["reason"].is_not_null().mean()) or 0.0) if narrow.height else 0.0


def _missing_cap(before: pl.DataFrame, rows: int, points: float) -> int:
    """Most result rows that may lack a value before the share rose more than `points` percentage points."""
    return int(np.floor((_missing(before) + points / 100) * rows))


def _bins(values: np.ndarray) -> dict[str, Any] | None:
    """A partition of the previous distribution at its deciles, the expected side of the KL divergence."""
    if len(values) < 10:
        return None
    edges = np.unique(np.quantile(values, np.linspace(0, 1, 11)))
    if len(edges) < 3:
        return None
    counts, _ = np.histogram(values, bins=edges)
    weights = counts / counts.sum()
    return {"bins": [float(e) for e in edges], "weights": [float(w) for w in weights]}


def _shares(values: list[str], criteria: list[str]) -> dict[str, Any] | None:
    if not values:
        return None
    # Half a feeder of pseudo-count per criterion: a criterion absent last time gives a large divergence,
    # not an infinite one.
    counts = [values.count(c) + 0.5 for c in criteria]
    return {"values": list(criteria), "weights": [n / sum(counts) for n in counts]}


def _kl(result: Any) -> str:
    value = result.result.get("observed_value")
    return "infinite" if value is None or not np.isfinite(value) else f"{float(value):.2f}"
