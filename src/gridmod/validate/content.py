"""Content phase: business rules across rows and tables (pandera on polars) and the narrative."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.narrative import is_written, normalise, split_sections
from gridmod.spec import Profile
from gridmod.tables import read_table, to_polars
from gridmod.validate.catalogues import check_catalogues
from gridmod.validate.derived import derive
from gridmod.validate.rows import Context, Where, check_row_rules


@dataclass
class ContentInput:
    filing: Filing
    profile: Profile
    tables_ok: set[str]  # tables whose structure passed
    narratives_ok: set[str]  # narrative resources that can be read
    activity_narratives: dict[str, str]  # activity_id -> resource name
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    # (narrative resource, element id) withheld as confidential: covered, though the public text is empty
    withheld_sections: set[tuple[str, str]] = field(default_factory=set)


def context_of(filing: Filing, profile: Profile) -> Context:
    head = filing.head
    return Context(
        filing_date=head.filing_date,
        period_start=head.period_start,
        period_end=head.period_end,
        thresholds=profile.thresholds,
        utility=head.utility,
    )


def load_frames(filing: Filing, profile: Profile, names: set[str]) -> dict[str, pl.DataFrame]:
    frames = {}
    for name in sorted(names):
        schema = profile.schemas[name]
        frames[name] = to_polars(read_table(filing.file(name), schema), schema)
    return frames


def check_content(data: ContentInput, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    findings += _row_rules(data, ctx)
    findings += _categories(data)
    findings += _narratives(data)
    findings += _elements(data)
    findings += check_catalogues(data.profile, data.filing, data.frames)
    return findings


def _row_rules(data: ContentInput, ctx: Context) -> list[Finding]:
    """The SQL row checks of rules.yaml, on the tables and on the derived tables the profile declares
    (cost_groups: costs summed per activity, year and cost type, pointing at costs.csv; gridmod.validate.derived)."""
    derived = data.profile.meta.get("derived_tables") or {}
    frames = dict(data.frames) | derive(derived, data.frames)

    def where(table: str) -> Where:
        source = derived[table]["from"] if table in derived else table
        return Where(
            data.filing.rel_path(data.profile.table_path(source)),
            [f["name"] for f in data.profile.schemas[source]["fields"]],
        )

    return check_row_rules(data.profile, frames, ctx, where)


def _categories(data: ContentInput) -> list[Finding]:
    if not {"categories", "activities"} <= data.frames.keys():
        return []
    profile = data.profile
    counts = dict(data.frames["activities"].group_by("category_id").len().iter_rows())
    path = data.filing.rel_path(profile.table_path("categories"))
    findings = []
    for row in data.frames["categories"].iter_rows(named=True):
        count = counts.get(row["category_id"], 0)
        if not row["has_activities"] and not (row["no_activity_reason"] or "").strip():
            findings.append(
                profile.rule("GMR-E035").finding(
                    path,
                    line=row["_line"],
                    column=3,
                    field="no_activity_reason",
                    value=row["category_id"],
                    key=row["category_id"],
                )
            )
        if bool(row["has_activities"]) != (count > 0):
            findings.append(
                profile.rule("GMR-E036").finding(
                    path,
                    line=row["_line"],
                    column=2,
                    field="has_activities",
                    value=row["category_id"],
                    key=row["category_id"],
                    flag=str(row["has_activities"]).lower(),
                    count=count,
                    expected_flag=str(count > 0).lower(),
                )
            )
    return findings


def _narratives(data: ContentInput) -> list[Finding]:
    profile, filing = data.profile, data.filing
    findings = []
    for spec in profile.narratives:
        if spec["name"] not in data.narratives_ok:
            continue
        text = filing.file(spec["name"]).read_text(encoding="utf-8-sig")
        if not any(is_written(line) for line in text.split("\n")):
            findings.append(
                profile.rule("GMR-E033").finding(
                    filing.rel_path(spec["path"]),
                    line=1,
                    value=spec["section"],
                    title=spec["title"],
                    file=spec["path"],
                    key=spec["name"],
                )
            )
    if "activities" not in data.frames:
        return findings
    ids = set(data.frames["activities"]["activity_id"].to_list())
    for activity_id, resource in sorted(data.activity_narratives.items()):
        if activity_id not in ids:
            findings.append(
                profile.rule("GMR-E031").finding(
                    filing.rel_path(profile.activity_path(activity_id)), line=1, value=activity_id, resource=resource
                )
            )
    path = filing.rel_path(profile.table_path("activities"))
    for row in data.frames["activities"].iter_rows(named=True):
        if row["activity_id"] not in data.activity_narratives:
            findings.append(
                profile.rule("GMR-E030").finding(
                    path,
                    line=row["_line"],
                    column=1,
                    field="activity_id",
                    value=row["activity_id"],
                    key=row["activity_id"],
                    expected=profile.activity_resource(row["activity_id"]),
                )
            )
    return findings


def _elements(data: ContentInput) -> list[Finding]:
    """Every activity covers the six elements: narrative sections, milestone rows, cost rows."""
    profile, filing = data.profile, data.filing
    if "activities" not in data.frames:
        return []
    expected = [e["heading"] for e in profile.elements]
    findings = []
    table_rows = {
        name: set(data.frames[name]["activity_id"].to_list()) for name in ("milestones", "costs") if name in data.frames
    }
    activities_path = filing.rel_path(profile.table_path("activities"))
    for row in data.frames["activities"].iter_rows(named=True):
        activity_id = row["activity_id"]
        resource = data.activity_narratives.get(activity_id)
        sections = {}
        narrative_path = filing.rel_path(profile.activity_path(activity_id))
        if resource in data.narratives_ok:
            _, parsed = split_sections(filing.file(resource))
            sections = {normalise(s.heading): s for s in parsed}
            findings += _headings(profile, narrative_path, parsed, expected, activity_id)
        for element in profile.elements:
            key = f"{activity_id}/{element['id']}"
            params = dict(activity_id=activity_id, number=element["number"], heading=element["heading"], key=key)
            if element["source"] == "table":
                table = element["table"]
                if table in table_rows and activity_id not in table_rows[table]:
                    findings.append(
                        profile.rule("GMR-X032").finding(
                            activities_path,
                            line=row["_line"],
                            column=1,
                            field="activity_id",
                            value=activity_id,
                            how=f"Add rows for {activity_id} to {profile.table_path(table)}",
                            **params,
                        )
                    )
            elif resource in data.narratives_ok and (resource, element["id"]) not in data.withheld_sections:
                section = sections.get(normalise(element["heading"]))
                if section is None or not section.has_text:
                    findings.append(
                        profile.rule("GMR-X032").finding(
                            narrative_path,
                            line=section.line if section else 1,
                            value=activity_id,
                            how=f"Write the section '## {element['heading']}' in {profile.activity_path(activity_id)}",
                            **params,
                        )
                    )
    return findings


def _headings(profile: Profile, path: str, parsed: list, expected: list[str], activity_id: str) -> list[Finding]:
    findings = []
    wanted = [normalise(h) for h in expected]
    position = -1
    for section in parsed:
        name = normalise(section.heading)
        if name in wanted and wanted.index(name) > position:
            position = wanted.index(name)
            continue
        findings.append(
            profile.rule("GMR-W034").finding(
                path,
                line=section.line,
                value=section.heading,
                key=f"{activity_id}/{name}",
                expected="; ".join(expected),
            )
        )
    return findings
