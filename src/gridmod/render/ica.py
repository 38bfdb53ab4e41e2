"""The ICA report model: everything the ICA report templates show, computed from one validated filing.

As for the Appendix A report (gridmod.render.model), templates only lay out: the numbers (metrics measured
from the data, the hosting-capacity distribution, the remediation tracker, the workshop calendars) are
computed here, where they can be tested without rendering anything. The model's classes import no data
library (polars loads inside the functions that read the results), so the site stage can hold a model
without loading one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.ica import spec as ica_spec
from gridmod.ica.context import IcaContext
from gridmod.ica.quality import Metric
from gridmod.ica.spec import resource_path
from gridmod.ica.tracker import Action, tally, track
from gridmod.ica.workshops import Calendar, calendars
from gridmod.proceeding import ProceedingEvent, load_register
from gridmod.render.header import Explanation, ReportHeader, Validation, explanations, report_header, validation_summary
from gridmod.render.narrative import prepare_narrative
from gridmod.spec import Profile
from gridmod.tables import read_table

if TYPE_CHECKING:
    import polars as pl

# The summary narrative sits under a level-1 heading, so its own headings start at level 2.
NARRATIVE_LEVEL = 2
FEEDER_FACTS = (
    "existing_dg_kw",
    "queued_dg_kw",
    "total_dg_kw",
    "customers_residential",
    "customers_commercial",
    "customers_industrial",
    "customers_agricultural",
    "customers_other",
    "customers_total",
    "load_profile",
)


@dataclass
class Figures:
    substations: int
    feeders: int
    sections: int
    result_rows: int
    hourly_profiles: int
    mapped_sections: int | None = None  # rows of line_sections (1.1 on: line sections with a route)
    forecast_rows: int = 0  # rows of forecast_results (1.1 on, optional)
    forecast_years: list[int] = field(default_factory=list)  # the forecast years those rows cover


@dataclass
class IcaReportModel(ReportHeader):
    summary_title: str
    summary: str
    figures: Figures
    metrics: list[Metric]
    criteria: list[dict[str, Any]]
    substations: list[dict[str, Any]]
    # one row per feeder of the results: its facts from feeders.csv and its line sections' medians
    feeders: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    remediation: list[dict[str, Any]]  # the plan's actions as filed; `actions` are their states on the filing date
    actions: list[Action]
    action_counts: dict[str, int]
    cadence: str
    calendars: list[Calendar]
    workshops: list[dict[str, Any]]
    explanations: list[Explanation]
    validation: Validation

    @property
    def calendar(self) -> Calendar:
        """The calendar in force (the default cadence as the register of advice letters changes it)."""
        return self.calendars[0]

    def calendar_events(self) -> list[ProceedingEvent]:
        """The ICA workshops this filing lists (held and scheduled), for the proceeding's calendar."""
        events = []
        for w in self.workshops:
            day = w.get("workshop_date")
            if day is None:
                continue
            topic = str(w.get("topic") or "").strip()
            status = "" if w.get("status") == "held" else f" ({w.get('status')})"
            events.append(
                ProceedingEvent(
                    day,
                    f"{self.utility_short} ICA workshop{': ' + topic if topic else ''}{status}",
                    "workshop",
                    f"{self.utility_short} ICA filing {self.filing_id}, workshops.csv (D.24-10-030 OP 35)",
                    None,
                    utility=self.utility,
                    url=str(w.get("materials_url") or "") or None,
                    sample=self.is_sample,
                )
            )
        return events


def read_results(filing: Filing, profile: Profile) -> pl.DataFrame:
    """The narrow typed columns of the filing's results (gridmod.ica.results.narrow)."""
    from gridmod.ica.results import read_narrow
    from gridmod.validate.large.source import open_source

    path = filing.folder / resource_path(filing, profile, "results")
    return read_narrow(open_source(path), profile.schemas["results"])


def build_ica_model(filing: Filing, profile: Profile, result: PackageResult) -> IcaReportModel:
    """Read a validated ICA filing into the report model."""
    import polars as pl

    from gridmod.ica.metrics import compute_metrics_from, metric_table
    from gridmod.ica.summary import criterion_counts, feeder_summary, substation_summary

    ctx = IcaContext.of(filing, profile)
    small = {
        t["name"]: read_table(filing.file(t["name"]), profile.schemas[t["name"]])
        for t in profile.tables
        if not t.get("large") and t["name"] in filing.resources
    }
    narrow = read_results(filing, profile)
    feeders = pl.DataFrame(small["feeders"]).drop("_line")
    substations = pl.DataFrame(small["substations"]).drop("_line")
    reported = pl.DataFrame(small["quality_metrics"]) if small["quality_metrics"] else None
    computed = compute_metrics_from(ctx, narrow, set(feeders["feeder_id"].to_list()))
    schedules = calendars(profile.meta["workshops"], small["workshops"], ctx.filing_date, load_register(filing.root))
    spec = profile.narratives[0]
    text = filing.file(spec["name"]).read_bytes().decode("utf-8-sig") if spec["name"] in filing.resources else ""
    hourly = 0
    if "hourly" in filing.resources:
        hourly = int(round(_rows(filing, profile, "hourly") / profile.meta.get("hourly_slots", 576)))
    scenarios = ica_spec.scenarios(profile)
    per_feeder = feeder_summary(narrow, scenarios)
    actions = track(small["remediation"], small["issues"], ctx.filing_date)
    return IcaReportModel(
        **report_header(filing, profile),
        summary_title=spec["title"],
        summary=prepare_narrative(text, NARRATIVE_LEVEL, spec["name"]),
        figures=Figures(
            substations.height,
            per_feeder.height,
            int(narrow["g"].n_unique()),
            narrow.height,
            hourly,
            _mapped_sections(filing, profile),
            *_forecast(filing, profile),
        ),
        metrics=metric_table(ctx, computed, reported),
        criteria=criterion_counts(narrow, scenarios, ica_spec.criteria(profile)).to_dicts(),
        substations=substation_summary(narrow, feeders, substations, scenarios).to_dicts(),
        feeders=_feeder_rows(per_feeder, small["feeders"], small["substations"], _feeder_facts(profile)),
        issues=small["issues"],
        remediation=small["remediation"],
        actions=actions,
        action_counts=tally(actions),
        cadence=schedules[0].cadence,
        calendars=schedules,
        workshops=sorted(small["workshops"], key=lambda w: w["workshop_date"]),
        explanations=explanations(small["explanations"], profile),
        validation=validation_summary(result, profile, filing),
    )


def _feeder_facts(profile: Profile) -> list[str]:
    """The columns of feeders.csv (1.1 on) that the feeder table and ica-feeders.csv show after the results'
    medians, as filed: distributed generation, customers, whether the load profile is published."""
    fields = {f["name"] for f in profile.schemas["feeders"]["fields"]}
    return [name for name in FEEDER_FACTS if name in fields]


def _feeder_rows(
    per_feeder: pl.DataFrame, feeders: list[dict[str, Any]], substations: list[dict[str, Any]], facts_shown: list[str]
) -> list[dict[str, Any]]:
    """The per-feeder summary of the results with each feeder's name, substation and voltage, then the
    feeder's own facts where the profile has them (`facts_shown`)."""
    info = {f["feeder_id"]: f for f in feeders}
    names = {s["substation_id"]: s["substation_name"] for s in substations}
    rows = []
    for r in per_feeder.iter_rows(named=True):
        facts = info.get(r["feeder"], {})
        substation = facts.get("substation_id")
        rows.append(
            {
                "feeder_id": r["feeder"],
                "feeder_name": facts.get("feeder_name"),
                "substation_id": substation,
                "substation_name": names.get(substation),
                "nominal_voltage_kv": facts.get("nominal_voltage_kv"),
                "line_sections": r["sections"],
                "uniform_generation_kw": r["gen_kw"],
                "uniform_load_kw": r["load_kw"],
                "pv_kw": r["pv_kw"],
                "limiting_criterion": r["criterion"],
                "newest_analysis": r["newest"].isoformat() if r["newest"] else None,
                "missing_share_pct": round(100 * r["missing_rows"] / r["rows"], 1) if r["rows"] else None,
                **{name: facts.get(name) for name in facts_shown},
            }
        )
    return rows


def _mapped_sections(filing: Filing, profile: Profile) -> int | None:
    """Line sections filed with a route; None for a profile without line sections (1.0)."""
    if "line_sections" not in profile.schemas:
        return None
    return _rows(filing, profile, "line_sections") if "line_sections" in filing.resources else 0


def _forecast(filing: Filing, profile: Profile) -> tuple[int, list[int]]:
    """Rows of forecast_results and the years they cover, read from the forecast_year column alone; no rows
    when the filing has none or the profile no such table."""
    if "forecast_results" not in profile.schemas or "forecast_results" not in filing.resources:
        return 0, []
    import polars as pl

    path = filing.folder / resource_path(filing, profile, "forecast_results")
    frame = (
        pl.scan_parquet(path, glob=False)
        if path.suffix == ".parquet"
        else pl.scan_csv(path, glob=False, schema_overrides={"forecast_year": pl.Int64}, infer_schema=False)
    )
    years = frame.select(pl.col("forecast_year").cast(pl.Int64)).collect()["forecast_year"]
    return years.len(), sorted(years.drop_nulls().unique().to_list())


def _rows(filing: Filing, profile: Profile, table: str) -> int:
    import polars as pl

    from gridmod.datasets import dataset_parts, is_dataset

    filed = resource_path(filing, profile, table)
    path = filing.folder / filed
    total = 0
    for part in dataset_parts(path) if is_dataset(filed) else [path]:
        frame = (
            pl.scan_parquet(part, glob=False)
            if part.suffix == ".parquet"
            else pl.scan_csv(part, glob=False, infer_schema=False)
        )
        total += int(frame.select(pl.len()).collect().item())
    return total
