"""Expectations phase: filing-level plausibility checked by great-expectations.

Great-expectations is slow to import (seconds), so it loads only when this phase runs.
"""

from __future__ import annotations

import os
from typing import Any

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.spec import Profile


def _batch(context: Any, name: str, frame: pl.DataFrame) -> Any:
    source = context.data_sources.add_pandas(f"{name}-source")
    asset = source.add_dataframe_asset(name)
    definition = asset.add_batch_definition_whole_dataframe("whole")
    return definition.get_batch(batch_parameters={"dataframe": frame.to_pandas()})


def _money(value: float) -> str:
    return f"${value:,.0f}"


def check_expectations(filing: Filing, profile: Profile, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    # In memory only: validation writes nothing outside the build folders (no temporary Data Docs site).
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False))
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    limits = profile.thresholds
    findings: list[Finding] = []
    if "costs" in frames:
        path = filing.rel_path(profile.table_path("costs"))
        costs = frames["costs"]
        recorded = costs.filter(pl.col("basis") == "recorded")
        low, high = limits["total_recorded_usd"]
        result = _batch(context, "recorded", recorded).validate(
            gxe.ExpectColumnSumToBeBetween(column="amount_usd", min_value=low, max_value=high))
        if not result.success:
            total = float(result.result.get("observed_value") or 0)
            findings.append(profile.rule("GMR-W090").finding(
                path, field="amount_usd", value=_money(total), low=_money(low), high=_money(high)))
        nonzero = costs.filter(pl.col("amount_usd") > 0)
        low, high = limits["row_amount_usd"]
        result = _batch(context, "amounts", nonzero).validate(
            gxe.ExpectColumnValuesToBeBetween(column="amount_usd", min_value=low, max_value=high),
            result_format="COMPLETE")
        column = [f["name"] for f in profile.schemas["costs"]["fields"]].index("amount_usd") + 1
        for index in result.result.get("unexpected_index_list") or []:
            row = nonzero.row(int(index), named=True)
            findings.append(profile.rule("GMR-W091").finding(
                path, line=row["_line"], column=column, field="amount_usd", value=row["amount_usd"],
                key=f"{row['activity_id']}/{row['year']}/{row['cost_type']}/{row['basis']}",
                low=_money(low), high=_money(high)))
        if not recorded.is_empty():
            share = limits["authorized_share_min"]
            result = _batch(context, "authorized", recorded).validate(
                gxe.ExpectColumnProportionOfNonNullValuesToBeBetween(column="authorized_usd", min_value=share))
            if not result.success:
                findings.append(profile.rule("GMR-W093").finding(
                    path, field="authorized_usd", value=f"{float(result.result['observed_value']) * 100:.0f}",
                    threshold=f"{share * 100:.0f}"))
    if "milestones" in frames and not frames["milestones"].is_empty():
        path = filing.rel_path(profile.table_path("milestones"))
        share = limits["delayed_milestone_share_max"]
        result = _batch(context, "milestones", frames["milestones"]).validate(
            gxe.ExpectColumnValuesToNotBeInSet(column="status", value_set=["delayed"], mostly=1 - share))
        if not result.success:
            findings.append(profile.rule("GMR-W092").finding(
                path, field="status", value=f"{result.result['unexpected_percent']:.0f}",
                threshold=f"{share * 100:.0f}"))
    return findings
