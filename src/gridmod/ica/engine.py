"""Content and expectations phases of the ICA profile (engine `ica`, see gridmod.engines).

The small tables arrive checked by frictionless; the large ones (results, hourly) are checked here in one
streaming pass each, structure and content together, because at millions of rows a malformed cell must be
a finding at its line rather than a reason to skip the table. Checks that need a whole table (metrics,
drift) run only on tables without errors, and the notes say when they did not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Checked, Finding
from gridmod.ica.context import IcaContext
from gridmod.ica.hourly import check_hourly, scan_hourly
from gridmod.ica.metrics import compare_metrics, compute_metrics
from gridmod.ica.network import check_network, mapped_feeders
from gridmod.ica.results import Results, check_results, scan_results, section_set
from gridmod.ica.rows import check_rows
from gridmod.ica.source import header_problem, open_source, unclosed_quote
from gridmod.ica.spec import is_large, table_spec
from gridmod.ica.stream import Capped, Scan
from gridmod.ica.workshops import build_calendar
from gridmod.spec import Profile
from gridmod.validate.content import load_frames
from gridmod.validate.explain import apply_explanations

if TYPE_CHECKING:
    from gridmod.validate import Run, StructureOutcome


def check(filing: Filing, profile: Profile, structure: StructureOutcome, earlier: list[Finding],
          run: Run) -> Checked:
    notes: list[str] = []
    ctx = IcaContext.of(filing, profile)
    frames = load_frames(filing, profile, {n for n in structure.tables_ok if not is_large(profile, n)})
    out = Capped(profile.limits.get("max_findings_per_rule"))
    feeder_ids = set(frames["feeders"]["feeder_id"].to_list()) if "feeders" in frames else None
    results: Results | None = None
    # Feeder and section IDs are coded alike in both large tables, so the hourly profiles' foreign key is a
    # comparison of integers.
    shared = {"feeder_id": pl.Categories.random(), "section_id": pl.Categories.random()}
    scan = _scan(ctx, "results", structure, out, notes, shared)
    if scan is not None:
        results = check_results(ctx, scan, feeder_ids, out)
    scan = _scan(ctx, "hourly", structure, out, notes, shared)
    if scan is not None:
        sections = section_set(results) if results is not None and results.clean else None
        check_hourly(ctx, scan, sections, out, notes)
    findings = list(out.findings)
    notes += out.notes()
    findings += check_network(ctx, frames, set(results.feeders["feeder"].to_list()) if results else None)
    findings += check_rows(ctx, frames)
    findings += _workshops(ctx, frames)
    findings += _summary(ctx, structure)
    if results is not None and results.clean:
        computed = compute_metrics(ctx, results, mapped_feeders(frames))
        findings += compare_metrics(ctx, computed, frames.get("quality_metrics"))
    elif "quality_metrics" in frames:
        notes.append("Self-reported metrics not compared: the results have errors, so the metrics computed from "
                     "them would not be reliable.")
    findings += apply_explanations(profile, ctx.path("explanations"), frames.get("explanations"), earlier + findings,
                                   structure.complete)
    if "expectations" not in run.phases:
        notes.append("Expectations phase skipped (quick mode): run without --quick for the drift checks "
                     "against the previous ICA filing.")
    elif results is not None and results.clean:
        from gridmod.ica.drift import check_drift

        findings += check_drift(ctx, results.narrow, notes, run.data_docs)
    elif results is not None:
        notes.append("Drift checks skipped: the results have errors.")
    return Checked(findings, notes)


def _scan(ctx: IcaContext, table: str, structure: StructureOutcome, out: Capped, notes: list[str],
          shared: dict[str, pl.Categories]) -> Scan | None:
    """Open and scan a large table; None when it is absent, broken, or cannot be read as a table."""
    if table not in structure.tables_ok:
        return None
    path = ctx.path(table)
    name = ctx.file_name(table)
    schema = ctx.profile.schemas[table]
    try:
        source = open_source(ctx.filing.folder / name)
    except (pl.exceptions.PolarsError, OSError) as exc:
        out.add(_unreadable(ctx, table, exc))
        return None
    problem = header_problem(source, schema)
    if problem:
        variant, column, label, params = problem
        out.add(ctx.profile.structure_rule("E009").finding(
            path, line=1, column=column, value=label, resource=name, variant=variant, label=label, **params,
            expected=",".join(f["name"] for f in schema["fields"])))
        notes.append(f"Content checks of {name} skipped: its header does not match the profile.")
        return None
    scanner = scan_results if table == "results" else scan_hourly
    try:
        scan = scanner(ctx, source, shared)
    except (pl.exceptions.PolarsError, OSError) as exc:
        out.add(_unreadable(ctx, table, exc))
        return None
    if scan.row_count == 0 and table_spec(ctx.profile, table).get("min_rows"):
        out.add(ctx.profile.structure_rule("E026").finding(
            path, line=1, resource=name, description=schema.get("description", "")))
        return None
    return scan


def _unreadable(ctx: IcaContext, table: str, exc: Exception) -> Finding:
    """E017 for a file the reader gave up on: at the unclosed quote, when that is why a CSV file failed."""
    path = ctx.filing.folder / ctx.file_name(table)
    opened = unclosed_quote(path) if path.suffix == ".csv" else None
    rule = ctx.profile.structure_rule("E017")
    if opened is not None:
        return rule.finding(ctx.path(table), line=opened, resource=ctx.file_name(table), variant="unclosed_quote",
                            opened=opened)
    return rule.finding(ctx.path(table), resource=ctx.file_name(table), variant="unreadable",
                        reason=str(exc).splitlines()[0])


def _workshops(ctx: IcaContext, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    """ICA-W151 for every period of the cadence in force that ended before the filing without a workshop."""
    if "workshops" not in frames:
        return []
    settings = ctx.profile.meta["workshops"]
    cadence = ctx.filing.meta.get("workshop_cadence") or settings["default_cadence"]
    calendar = build_calendar(settings, cadence, frames["workshops"].to_dicts(), ctx.filing_date)
    return [ctx.profile.rule("ICA-W151").finding(
        ctx.path("workshops"), value=p.start.isoformat(), end=p.end.isoformat(), cadence=cadence,
        first=calendar.first.isoformat(), key=f"{cadence}/{p.number}") for p in calendar.periods if p.state == "missed"]


def _summary(ctx: IcaContext, structure: StructureOutcome) -> list[Finding]:
    findings = []
    for spec in ctx.profile.narratives:
        if spec["name"] not in structure.narratives_ok:
            continue
        text = ctx.filing.file(spec["name"]).read_text(encoding="utf-8-sig")
        if not text.strip():
            findings.append(ctx.profile.rule("ICA-E161").finding(
                ctx.filing.rel_path(spec["path"]), line=1, value=spec["section"], title=spec["title"],
                file=spec["path"], key=spec["name"]))
    return findings
