"""Expectations phase: filing-level plausibility checked by great-expectations.

Each group of expectations runs as a suite on one batch (a table or a slice of it), so the results can also
become great-expectations Data Docs for the reviewer (`gridmod validate --data-docs DIR`). Drift against
the utility's previous filing lives in gridmod.validate.drift. Great-expectations is slow to import
(seconds), so it loads only when this phase runs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.spec import Profile

# Where Data Docs go, when asked for: set around a validation run with `data_docs_into`.
DATA_DOCS: ContextVar[Path | None] = ContextVar("gridmod_data_docs", default=None)


@contextmanager
def data_docs_into(folder: Path | None) -> Iterator[None]:
    """Validation inside this block also writes Data Docs, one site per filing, under `folder`."""
    token = DATA_DOCS.set(folder)
    try:
        yield
    finally:
        DATA_DOCS.reset(token)


class Suites:
    """Runs expectation suites on polars frames in one in-memory great-expectations context."""

    def __init__(self, prefix: str, docs: Path | None) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self.gx = gx
        # In memory only: validation writes nothing unless Data Docs are asked for.
        config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False))
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.prefix = prefix
        top = DATA_DOCS.get()
        if docs is not None and top is not None and docs.resolve() == top.resolve():
            # Handed the folder of all Data Docs: this context's site goes in its own subfolder, so that
            # sites of several filings never overwrite each other's index.
            docs = top / re.sub(r"[^A-Za-z0-9._-]+", "-", prefix).strip(".-")
        self.docs = docs
        if docs is not None:
            docs.mkdir(parents=True, exist_ok=True)
            self.context.add_data_docs_site("gridmod", {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            })

    def run(self, name: str, frame: pl.DataFrame, expectations: list[Any], result_format: Any = "SUMMARY") -> list[Any]:
        """Results of `expectations` on `frame`, in the same order."""
        gx = self.gx
        asset = self.context.data_sources.add_pandas(f"{name}-source").add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe("whole")
        suite = self.context.suites.add(gx.ExpectationSuite(name=f"{self.prefix}.{name}", expectations=expectations))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{self.prefix}.{name}", data=batch, suite=suite))
        result = definition.run(batch_parameters={"dataframe": frame.to_pandas()}, result_format=result_format)
        by_id = {r.expectation_config.id: r for r in result.results if r.expectation_config is not None}
        return [by_id[e.id] for e in suite.expectations]

    def write_docs(self) -> None:
        """Build this context's Data Docs site, and refresh the index of all sites."""
        if self.docs is not None:
            from gridmod.validate.datadocs import write_index

            self.context.build_data_docs()
            top = DATA_DOCS.get()
            if top is not None:
                write_index(top)


def money(value: float) -> str:
    return f"${value:,.0f}"


def _costs(filing: Filing, profile: Profile, costs: pl.DataFrame, suites: Suites, gxe: Any) -> list[Finding]:
    limits = profile.thresholds
    path = filing.rel_path(profile.table_path("costs"))
    findings = []
    recorded = costs.filter(pl.col("basis") == "recorded")
    low, high = limits["total_recorded_usd"]
    share = limits["authorized_share_min"]
    checks = [gxe.ExpectColumnSumToBeBetween(column="amount_usd", min_value=low, max_value=high,
                                             meta={"rule": "GMR-W090"})]
    if not recorded.is_empty():
        checks.append(gxe.ExpectColumnProportionOfNonNullValuesToBeBetween(
            column="authorized_usd", min_value=share, meta={"rule": "GMR-W093"}))
    total, *authorized = suites.run("recorded-costs", recorded, checks)
    if not total.success:
        findings.append(profile.rule("GMR-W090").finding(
            path, field="amount_usd", value=money(float(total.result.get("observed_value") or 0)),
            low=money(low), high=money(high)))
    if authorized and not authorized[0].success:
        findings.append(profile.rule("GMR-W093").finding(
            path, field="authorized_usd", value=round(float(authorized[0].result["observed_value"]) * 100),
            threshold=f"{share * 100:.0f}"))
    nonzero = costs.filter(pl.col("amount_usd") > 0)
    low, high = limits["row_amount_usd"]
    (amounts,) = suites.run("cost-amounts", nonzero, [gxe.ExpectColumnValuesToBeBetween(
        column="amount_usd", min_value=low, max_value=high, meta={"rule": "GMR-W091"})], "COMPLETE")
    column = [f["name"] for f in profile.schemas["costs"]["fields"]].index("amount_usd") + 1
    for index in amounts.result.get("unexpected_index_list") or []:
        row = nonzero.row(int(index), named=True)
        findings.append(profile.rule("GMR-W091").finding(
            path, line=row["_line"], column=column, field="amount_usd", value=row["amount_usd"],
            key=f"{row['activity_id']}/{row['year']}/{row['cost_type']}/{row['basis']}",
            low=money(low), high=money(high)))
    return findings


def _milestones(filing: Filing, profile: Profile, milestones: pl.DataFrame, suites: Suites, gxe: Any) -> list[Finding]:
    share = profile.thresholds["delayed_milestone_share_max"]
    (delayed,) = suites.run("milestones", milestones, [gxe.ExpectColumnValuesToNotBeInSet(
        column="status", value_set=["delayed"], mostly=1 - share, meta={"rule": "GMR-W092"})])
    if delayed.success:
        return []
    return [profile.rule("GMR-W092").finding(
        filing.rel_path(profile.table_path("milestones")), field="status",
        value=round(delayed.result["unexpected_percent"]), threshold=f"{share * 100:.0f}")]


def check_expectations(filing: Filing, profile: Profile, frames: dict[str, pl.DataFrame],
                       notes: list[str] | None = None) -> list[Finding]:
    import great_expectations.expectations as gxe

    from gridmod.validate.datadocs import docs_folder
    from gridmod.validate.drift import check_drift

    docs = DATA_DOCS.get()
    suites = Suites(filing.rel.replace("/", "-"), docs_folder(docs, filing) if docs else None)
    findings: list[Finding] = []
    if "costs" in frames:
        findings += _costs(filing, profile, frames["costs"], suites, gxe)
    if "milestones" in frames and not frames["milestones"].is_empty():
        findings += _milestones(filing, profile, frames["milestones"], suites, gxe)
    findings += check_drift(filing, profile, frames, suites, gxe, notes if notes is not None else [])
    suites.write_docs()
    return findings
