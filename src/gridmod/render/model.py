"""The report model: everything the templates show, computed from one validated filing.

Templates only lay out; reading files, splitting narratives, adding up costs and matching
explanations to findings happen here, where they can be tested without rendering anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gridmod.confidential import DECLARATION, Eligibility, read_declaration
from gridmod.filing import Filing
from gridmod.findings import Finding, PackageResult
from gridmod.render.costs import CostLine, CostSummary, activity_cost_lines, summarize_costs
from gridmod.render.header import (
    Explanation,
    ReportHeader,
    Validation,
    explanations,
    report_header,
    validation_summary,
)
from gridmod.render.narrative import prepare_narrative, split_activity_narrative
from gridmod.spec import Profile
from gridmod.tables import read_table

# Heading levels of the report outline: I. → a. → activity → element → the filer's own headings.
SECTION_LEVEL, PART_LEVEL, ACTIVITY_LEVEL, ELEMENT_LEVEL = 1, 2, 3, 4


@dataclass
class Part:
    """A lettered part of section I or III, carrying one narrative."""

    section: str
    letter: str
    title: str
    anchor: str
    text: str


@dataclass
class Element:
    """One of the six Appendix A elements of an activity: its narrative and whether anything covers it."""

    id: str
    number: int
    heading: str
    anchor: str
    text: str
    has_table_rows: bool
    explanations: list[Finding] = field(default_factory=list)
    # the legal basis (in words) when the filer withheld this element's text as confidential
    withheld: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.has_table_rows and self.withheld is None


@dataclass
class Milestone:
    name: str
    status: str
    baseline: date
    forecast: date | None
    actual: date | None
    slip_days: int | None

    @property
    def state(self) -> str:
        """on_time, late, on_track, delayed or cancelled, by the one definition (milestone_state)."""
        return milestone_state(self.status, self.baseline, self.actual, self.forecast)


def milestone_state(status: str, baseline: date, actual: date | None, forecast: date | None) -> str:
    """Where a milestone stands, by the dates, for every page, chart and figure that counts milestones:
    achieved on time, or late (actual after baseline); cancelled; delayed when it is not achieved and its
    forecast is after the baseline, or the filer marks it delayed; otherwise on track. A milestone the filer
    labels on_track with a forecast after its baseline is delayed here: the label does not move the dates."""
    if status == "achieved":
        return "late" if actual is not None and actual > baseline else "on_time"
    if status == "cancelled":
        return "cancelled"
    if status == "delayed" or (forecast is not None and forecast > baseline):
        return "delayed"
    return "on_track"


@dataclass
class UseCase:
    use_case: str
    benefit_metric: str | None
    benefit_value: float | None
    benefit_unit: str | None
    metric: str | None = None  # the title of its metric in the profile's catalogue (profile 1.1 on)


@dataclass
class Activity:
    id: str
    name: str
    status: str
    start_date: date
    completion_date: date | None
    grc_reference: str | None
    preamble: str
    elements: list[Element]
    milestones: list[Milestone]
    current_use_cases: list[UseCase]
    planned_use_cases: list[UseCase]
    cost_lines: list[CostLine]
    use_cases_withheld: str | None = None  # the legal basis (in words) when use_cases is withheld whole
    technology: str | None = None  # the title of its technology code (profile 1.1 on)


@dataclass(frozen=True)
class Authorization:
    """An amount a decision or rate case requested, authorized or deferred (authorizations.csv, 1.1 on)."""

    id: str
    source: str
    program: str
    kind: str
    cost_type: str
    period: str
    amount_usd: float
    dollar_basis_year: int | None
    activities: list[str]  # names of the activities it covers
    note: str | None


@dataclass
class Category:
    id: str
    title: str
    anchor: str
    activities: list[Activity]
    no_activity_reason: str | None


@dataclass
class ReportModel(ReportHeader):
    sections: dict[str, str]
    introduction: Part
    categories: list[Category]
    cost_summary: CostSummary
    conclusion: list[Part]
    explanations: list[Explanation]
    validation: Validation
    authorizations: list[Authorization] = field(default_factory=list)


def _read_text(filing: Filing, resource: str) -> str:
    return filing.file(resource).read_bytes().decode("utf-8-sig")


def _slip_days(row: dict[str, Any]) -> int | None:
    """Days from the baseline to the actual (achieved) or forecast date; positive means late."""
    if row["status"] == "cancelled":
        return None
    other = row.get("actual_date") if row["status"] == "achieved" else row.get("forecast_date")
    return (other - row["baseline_date"]).days if other else None


def _use_case(row: dict[str, Any], metrics: dict[str, str]) -> UseCase:
    metric = metrics.get(row.get("metric_id") or "")
    return UseCase(
        row["use_case"], row.get("benefit_metric"), row.get("benefit_value"), row.get("benefit_unit"), metric
    )


def _element_explanations(
    findings: list[Finding], profile: Profile, activity_id: str, element: dict[str, Any]
) -> list[Finding]:
    """Explained findings a reader of this element should see next to it.

    GMR-X032 (element not covered) has the key <activity>/<element>; findings on the element's
    table (a slipped milestone, a cost above the authorized amount) have keys that start with the
    activity and come from that table's file.
    """
    table_path = profile.table_path(element["table"]) if element.get("table") else None
    out = []
    for f in findings:
        if f.severity != "explain" or f.explanation is None or not f.key:
            continue
        parts = f.key.split("/")
        if parts[0] != activity_id:
            continue
        if f.code == "GMR-X032":
            if parts[1:] == [element["id"]]:
                out.append(f)
        elif table_path and f.path.endswith("/" + table_path):
            out.append(f)
    return out


@dataclass
class Withheld:
    """What the public edition of a filing leaves out as confidential, each with its legal basis in words."""

    sections: dict[tuple[str, str], str] = field(default_factory=dict)  # (narrative resource, element id)
    tables: dict[str, str] = field(default_factory=dict)


def _withheld(filing: Filing, profile: Profile) -> Withheld:
    out = Withheld()
    eligible = Eligibility.of(profile.meta)
    if eligible is None or DECLARATION not in filing.resources:
        return out
    items, _ = read_declaration(filing.file(DECLARATION))
    for item in items:
        basis = profile.label(item.legal_basis)
        kind = eligible.kind(item)
        if kind == "section":
            out.sections[(item.resource, item.key)] = basis
        elif kind == "table":
            out.tables[item.resource] = basis
    return out


def _activity(
    row: dict[str, Any],
    filing: Filing,
    profile: Profile,
    tables: dict[str, list[dict[str, Any]]],
    findings: list[Finding],
    withheld: Withheld,
) -> Activity:
    activity_id = row["activity_id"]
    resource = profile.activity_resource(activity_id)
    text = _read_text(filing, resource) if resource in filing.resources else ""
    narrative = split_activity_narrative(text, profile.elements, ELEMENT_LEVEL + 1, activity_id)
    technologies = {t["id"]: t["title"] for t in profile.meta.get("technologies") or []}
    metrics = {m["metric_id"]: m["title"] for m in profile.meta.get("benefit_metrics") or []}
    milestones = [m for m in tables["milestones"] if m["activity_id"] == activity_id]
    use_cases = [u for u in tables["use_cases"] if u["activity_id"] == activity_id]
    costs = [c for c in tables["costs"] if c["activity_id"] == activity_id]
    rows_by_element = {
        "description": True,
        "milestones": bool(milestones),
        "benefits": any(u["timing"] == "current" for u in use_cases),
        "future": any(u["timing"] == "planned" for u in use_cases),
        "costs": bool(costs),
    }
    elements = [
        Element(
            id=e["id"],
            number=e["number"],
            heading=e["heading"],
            anchor=f"{activity_id}-{e['id']}",
            text=narrative.sections.get(e["id"], ""),
            has_table_rows=rows_by_element.get(e["id"], False),
            explanations=_element_explanations(findings, profile, activity_id, e),
            withheld=withheld.sections.get((resource, e["id"])),
        )
        for e in profile.elements
    ]
    return Activity(
        id=activity_id,
        name=row["activity_name"],
        status=row["status"],
        start_date=row["start_date"],
        completion_date=row.get("completion_date"),
        grc_reference=row.get("grc_reference"),
        preamble=narrative.preamble,
        elements=elements,
        milestones=[
            Milestone(
                m["milestone_name"],
                m["status"],
                m["baseline_date"],
                m.get("forecast_date"),
                m.get("actual_date"),
                _slip_days(m),
            )
            for m in milestones
        ],
        current_use_cases=[_use_case(u, metrics) for u in use_cases if u["timing"] == "current"],
        planned_use_cases=[_use_case(u, metrics) for u in use_cases if u["timing"] == "planned"],
        cost_lines=activity_cost_lines(costs),
        use_cases_withheld=withheld.tables.get("use_cases"),
        technology=technologies.get(row.get("technology") or ""),
    )


def _part(filing: Filing, narrative: dict[str, Any]) -> Part:
    section, letter = narrative["section"].split(".")
    text = _read_text(filing, narrative["name"]) if narrative["name"] in filing.resources else ""
    return Part(
        section=section,
        letter=letter.lower(),
        title=narrative["title"],
        anchor=narrative["name"],
        text=prepare_narrative(text, PART_LEVEL + 1, narrative["name"]),
    )


def build_model(filing: Filing, profile: Profile, result: PackageResult) -> ReportModel:
    """Read a validated filing into the report model."""
    # An optional table the filing leaves out reads as no rows.
    tables = {
        t["name"]: read_table(filing.file(t["name"]), profile.schemas[t["name"]])
        if t["name"] in filing.resources
        else []
        for t in profile.tables
    }
    categories_csv = {c["category_id"]: c for c in tables["categories"]}
    withheld = _withheld(filing, profile)
    category_of = {a["activity_id"]: a["category_id"] for a in tables["activities"]}
    categories = []
    for spec in profile.categories:
        rows = [a for a in tables["activities"] if a["category_id"] == spec["id"]]
        declared = categories_csv.get(spec["id"], {})
        categories.append(
            Category(
                id=spec["id"],
                title=spec["title"],
                anchor=f"category-{spec['id']}",
                activities=[_activity(a, filing, profile, tables, result.findings, withheld) for a in rows],
                no_activity_reason=declared.get("no_activity_reason"),
            )
        )
    parts = {n["section"]: _part(filing, n) for n in profile.narratives}
    return ReportModel(
        **report_header(filing, profile),
        sections={s["number"]: s["title"] for s in profile.meta["sections"]},
        introduction=parts["I.a"],
        categories=categories,
        cost_summary=summarize_costs(tables["costs"], category_of, [c["id"] for c in profile.categories]),
        conclusion=[p for key, p in sorted(parts.items()) if key.startswith("III.")],
        explanations=explanations(tables["explanations"], profile),
        validation=validation_summary(result, profile, filing),
        authorizations=_authorizations(tables),
    )


def _authorizations(tables: dict[str, list[dict[str, Any]]]) -> list[Authorization]:
    names = {a["activity_id"]: a["activity_name"] for a in tables["activities"]}
    covered: dict[str, list[str]] = {}
    for link in tables.get("authorized_activities", []):
        covered.setdefault(link["authorization_id"], []).append(names.get(link["activity_id"], link["activity_id"]))
    return [
        Authorization(
            id=a["authorization_id"],
            source=a["source"],
            program=a["program"],
            kind=a["kind"],
            cost_type=a["cost_type"],
            period=str(a["period_start_year"])
            if a["period_start_year"] == a["period_end_year"]
            else f"{a['period_start_year']}\N{EN DASH}{a['period_end_year']}",
            amount_usd=a["amount_usd"],
            dollar_basis_year=a.get("dollar_basis_year"),
            activities=covered.get(a["authorization_id"], []),
            note=a.get("note"),
        )
        for a in tables.get("authorizations", [])
    ]
