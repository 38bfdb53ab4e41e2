"""Content and expectations phases of the ICA profile (engine `ica`, see gridmod.engines).

The small tables arrive checked by frictionless; the large ones (results, hourly) arrive scanned by the
validation stage's streaming pass (gridmod.validate.large), their cells reported, because at millions of rows
a malformed cell must be a finding at its line rather than a reason to skip the table. Here come their keys,
completeness and cross-table rules; checks that need a whole table (metrics, drift) run only on tables
without errors, and the notes say when they did not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Checked, Finding
from gridmod.ica.context import IcaContext
from gridmod.ica.crosswalk import check_crosswalk
from gridmod.ica.feeder_ids import check_feeder_ids
from gridmod.ica.forecast import check_forecast
from gridmod.ica.hourly import check_hourly
from gridmod.ica.metrics import compare_metrics, compute_metrics
from gridmod.ica.network import check_network, mapped_feeders
from gridmod.ica.plans import check_plan_lock
from gridmod.ica.results import Results, check_results, section_set, section_texts
from gridmod.ica.rows import check_rows
from gridmod.ica.scope import Scope, excluded_feeders, hourly_scope
from gridmod.ica.sections import check_line_sections
from gridmod.ica.workshops import authority, build_calendar
from gridmod.proceeding import load_register
from gridmod.spec import Profile
from gridmod.validate.content import load_frames
from gridmod.validate.explain import apply_explanations
from gridmod.validate.large import LargeTables
from gridmod.validate.large.stream import Capped

if TYPE_CHECKING:
    from gridmod.validate import Run, StructureOutcome


def check(filing: Filing, profile: Profile, structure: StructureOutcome, earlier: list[Finding], run: Run) -> Checked:
    notes: list[str] = []
    ctx = IcaContext.of(filing, profile)
    frames = load_frames(filing, profile, {n for n in structure.tables_ok if not profile.is_large(n)})
    out = Capped(profile.limits.get("max_findings_per_rule"))
    feeder_ids = set(frames["feeders"]["feeder_id"].to_list()) if "feeders" in frames else None
    results: Results | None = None
    # The validation stage has scanned the large tables and reported their cells (gridmod.validate.large);
    # feeder and section IDs are coded alike in both, so the hourly profiles' foreign key compares integers.
    large = structure.large or LargeTables()
    if "results" in large.scans:
        results = check_results(ctx, large.scans["results"], feeder_ids, out, "results" in large.with_errors)
    usable = results if results is not None and results.clean else None
    scope, scope_notes = _scope(ctx, large, usable, frames.get("feeders"))
    notes += scope_notes
    if "hourly" in large.parts:
        notes += check_hourly(
            ctx, large.parts["hourly"], section_set(usable) if usable else None, large.categories, out, scope
        ).notes
    elif "hourly" in large.distributed:  # --engine spark
        from gridmod.ica.spark import check_hourly_spark

        notes += check_hourly_spark(
            ctx, large.distributed["hourly"], section_texts(usable) if usable else None, out, scope
        ).notes
    notes += check_line_sections(ctx, large, results, out)
    notes += check_forecast(ctx, large, results, out)
    findings = list(out.findings)
    notes += out.notes()
    findings += check_network(ctx, frames, set(results.feeders["feeder"].to_list()) if results else None)
    findings += check_rows(ctx, frames)
    plans = check_plan_lock(ctx, frames)
    findings += plans.findings
    notes += plans.notes
    findings += check_feeder_ids(ctx, results) + check_crosswalk(ctx, frames)
    findings += _workshops(ctx, frames)
    findings += _summary(ctx, structure)
    if results is not None and results.clean:
        computed = compute_metrics(ctx, results, mapped_feeders(frames))
        findings += compare_metrics(ctx, computed, frames.get("quality_metrics"))
    elif "quality_metrics" in frames:
        notes.append(
            "Self-reported metrics not compared: the results have errors, so the metrics computed from "
            "them would not be reliable."
        )
    findings += apply_explanations(
        profile, ctx.path("explanations"), frames.get("explanations"), earlier + findings, structure.complete
    )
    if "expectations" not in run.phases:
        from gridmod.validate.expect import skipped

        notes.append(skipped("the drift checks against the previous ICA filing"))
    elif results is not None and results.clean:
        from gridmod.ica.drift import check_drift

        findings += _declared(ctx, frames, run)
        drift = check_drift(ctx, results.narrow, run.data_docs)
        findings += drift.findings
        notes += drift.notes
    elif results is not None:
        notes.append("Drift checks skipped: the results have errors.")
    return Checked(findings, notes)


def _scope(
    ctx: IcaContext, large: LargeTables, results: Results | None, feeders: pl.DataFrame | None
) -> tuple[Scope | None, list[str]]:
    """The hourly profiles the profile's hourly_scope requires, when hourly is filed and what decides the scope
    is clean; else None, and a note when the check could not run."""
    if "hourly_scope" not in ctx.profile.meta or not ({"hourly"} & (set(large.parts) | set(large.distributed))):
        return None, []
    sections = None
    if "line_sections" in ctx.filing.resources:
        sections = large.scans.get("line_sections")
        if sections is None or "line_sections" in large.with_errors:
            return None, [
                f"Which line sections need hourly profiles was not checked: "
                f"{ctx.file_name('line_sections')} has errors or could not be read."
            ]
    if results is None:
        return None, [
            f"Which line sections need hourly profiles was not checked: {ctx.file_name('results')} "
            "has errors or is missing."
        ]
    excluded = excluded_feeders(ctx, feeders)
    if excluded is None:
        return None, [
            f"Which line sections need hourly profiles was not checked: {ctx.file_name('feeders')} has errors "
            "or is missing, and it says which feeders' load profiles are redacted."
        ]
    return hourly_scope(ctx, results, sections, excluded), []


def _declared(ctx: IcaContext, frames: dict[str, pl.DataFrame], run: Run) -> list[Finding]:
    """The expectations the profile declares in rules.yaml, on the small tables (gridmod.validate.expect)."""
    from gridmod.validate.expect import declared, run_declared
    from gridmod.validate.gx import Suites
    from gridmod.validate.sql import context_values

    if not declared(ctx.profile):
        return []
    suites = Suites(f"{ctx.filing.head.stem}-expectations", run.data_docs, run.data_docs)
    values = context_values(ctx.filing_date, ctx.period_start, ctx.period_end, ctx.thresholds)
    findings = run_declared(ctx.filing, ctx.profile, frames, suites, values)
    suites.write_docs()
    return findings


def _workshops(ctx: IcaContext, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    """ICA-W151 for every period that ended before the filing without a workshop, under the cadence in force for
    it (the register of advice letters decides); ICA-W154 when the filing states another cadence than the one in
    force on its filing date."""
    if "workshops" not in frames:
        return []
    settings = ctx.profile.meta["workshops"]
    letters = load_register(ctx.filing.root)
    calendar = build_calendar(settings, None, frames["workshops"].to_dicts(), ctx.filing_date, letters)
    findings = [
        ctx.profile.rule("ICA-W151").finding(
            ctx.path("workshops"),
            value=p.start.isoformat(),
            start=p.start.isoformat(),
            end=p.end.isoformat(),
            tolerance=calendar.tolerance_days,
            cadence=p.cadence,
            authority=authority(calendar, p.start),
            first=calendar.first.isoformat(),
            key=f"{p.cadence}/{p.number}",
        )
        for p in calendar.periods
        if p.state == "missed"
    ]
    stated = ctx.filing.head.fields.get("workshop_cadence")
    if stated and stated != calendar.cadence:
        findings.append(
            ctx.profile.rule("ICA-W154").finding(
                ctx.filing.rel_path("datapackage.json"),
                field="workshop_cadence",
                value=stated,
                in_force=calendar.cadence,
                authority=authority(calendar, ctx.filing_date),
            )
        )
    return findings


def _summary(ctx: IcaContext, structure: StructureOutcome) -> list[Finding]:
    findings = []
    for spec in ctx.profile.narratives:
        if spec["name"] not in structure.narratives_ok:
            continue
        text = ctx.filing.file(spec["name"]).read_text(encoding="utf-8-sig")
        if not text.strip():
            findings.append(
                ctx.profile.rule("ICA-E161").finding(
                    ctx.filing.rel_path(spec["path"]),
                    line=1,
                    value=spec["section"],
                    title=spec["title"],
                    file=spec["path"],
                    key=spec["name"],
                )
            )
    return findings
