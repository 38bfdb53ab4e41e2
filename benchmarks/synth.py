"""Synthetic ICA filings: the SAMPLE filings under data/, the test fixtures and the full-scale benchmark data.

Everything is drawn from a seeded generator and vectorised with polars, so the same call writes the same
bytes, and ten million hourly rows take seconds. Identifiers follow each utility's published conventions
(PG&E feeder IDs are nine digits starting with the five-digit substation ID; SDG&E line section numbers
repeat across feeders); names, values and dates are invented. The self-reported metrics written into
quality_metrics.csv are computed here independently of the validator, which then checks them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from gridmod.filing import stamp_resources

WORDS = (
    "Alder",
    "Birch",
    "Cedar",
    "Dunes",
    "Elm",
    "Fern",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Laurel",
    "Mesa",
    "Nopal",
    "Oak",
    "Poppy",
    "Quail",
    "Redwood",
    "Sage",
    "Tule",
    "Vista",
    "Willow",
    "Yucca",
)
PLACES = ("Creek", "Hill", "Valley", "Point", "Ridge", "Flat", "Canyon", "Park")
COUNTIES = {
    "pge": ("Alameda", "Fresno", "Kern", "Sacramento", "San Mateo", "Sonoma"),
    "sce": ("Los Angeles", "Orange", "Riverside", "San Bernardino", "Ventura"),
    "sdge": ("San Diego", "Orange"),
}
VOLTAGES = {"pge": (12.0, 21.0), "sce": (12.0, 16.0), "sdge": (12.0, 4.16)}
STATIC_WEIGHTS = (0.45, 0.25, 0.1, 0.15, 0.05)
OPFLEX_WEIGHTS = (0.2, 0.15, 0.05, 0.1, 0.5)
MEDIAN_KW = {"uniform_generation": 1800.0, "uniform_load": 3200.0, "pv": 2300.0}
NAMES = {
    "pge": "Pacific Gas and Electric Company",
    "sce": "Southern California Edison Company",
    "sdge": "San Diego Gas & Electric Company",
}
SHORT = {"pge": "PG&E", "sce": "SCE", "sdge": "SDG&E"}

# The values of ica-biannual 1.0's results.json, in its order (the generator draws from them).
SCENARIOS = ("uniform_generation", "uniform_load", "pv")
CRITERIA = ("thermal", "steady_state_voltage", "voltage_fluctuation", "protection", "safety_reliability")


@dataclass(frozen=True)
class Plan:
    utility: str
    filing_id: str
    filing_date: date
    period_start: date
    period_end: date
    substations: int = 4
    feeders_per_substation: int = 3
    sections_per_feeder: int = 10
    hourly_sections: int = 2
    seed: int = 1
    results_format: str = "csv"
    hourly_format: str = "csv"
    is_sample: bool = True
    workshops_held: tuple[date, ...] = ()
    workshops_scheduled: tuple[date, ...] = ()
    extra: dict = field(default_factory=dict)


def half_year(utility: str, year: int, half: int, **options) -> Plan:
    """The plan of a biannual filing: h1 filed at the end of January for July-December of the year before,
    h2 filed at the end of July for January-June."""
    if half == 1:
        start, end, filed = date(year - 1, 7, 1), date(year - 1, 12, 31), date(year, 1, 30)
    else:
        start, end, filed = date(year, 1, 1), date(year, 6, 30), date(year, 7, 31)
    held = tuple(d for d in WORKSHOPS if d <= filed)
    scheduled = tuple(d for d in WORKSHOPS if d > filed)[:1]
    return Plan(
        utility, f"ica-{year}-h{half}", filed, start, end, workshops_held=held, workshops_scheduled=scheduled, **options
    )


WORKSHOPS = (
    date(2025, 3, 7),
    date(2025, 6, 26),
    date(2025, 9, 25),
    date(2025, 12, 11),
    date(2026, 3, 26),
    date(2026, 6, 25),
    date(2026, 9, 24),
)


def network(plan: Plan) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Substations and feeders, with each utility's identifier conventions."""
    rng = np.random.default_rng(plan.seed)
    u = plan.utility
    subs, feeders = [], []
    for i in range(plan.substations):
        name = f"{WORDS[(i * 7 + plan.seed) % len(WORDS)]} {PLACES[(i * 3) % len(PLACES)]}"
        sid = {"pge": f"{24000 + 37 * i + 11:05d}", "sce": f"S{3100 + i}", "sdge": f"{200 + i:03d}"}[u]
        subs.append(
            {"substation_id": sid, "substation_name": name, "county": COUNTIES[u][int(rng.integers(len(COUNTIES[u])))]}
        )
        for j in range(plan.feeders_per_substation):
            fid = {
                "pge": f"{sid}{1101 + j:04d}",
                "sce": f"{name.split()[0].upper()}_{12 + j}",
                "sdge": f"C{1000 + 13 * i + j}",
            }[u]
            feeders.append(
                {
                    "feeder_id": fid,
                    "substation_id": sid,
                    "feeder_name": f"{name} {1101 + j}",
                    "nominal_voltage_kv": VOLTAGES[u][j % 2],
                }
            )
    return pl.DataFrame(subs), pl.DataFrame(feeders)


def section_ids(plan: Plan, feeders: pl.DataFrame) -> pl.DataFrame:
    n = plan.sections_per_feeder
    frame = feeders.select("feeder_id").join(pl.DataFrame({"k": np.arange(n, dtype=np.int64)}), how="cross")
    if plan.utility == "sdge":  # SDG&E line section numbers are not unique across feeders
        return frame.with_columns(section_id=(pl.col("k") + 1).cast(pl.String)).drop("k")
    prefix = "LS" if plan.utility == "pge" else ""
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    return frame.with_columns(section_id=pl.lit(prefix) + (index + 100001).cast(pl.String)).drop("k")


def results(plan: Plan, feeders: pl.DataFrame) -> pl.DataFrame:
    """One row per line section and scenario; a few values redacted, not studied or not applicable."""
    rng = np.random.default_rng(plan.seed + 101)
    sections = section_ids(plan, feeders)
    n = sections.height
    base = rng.lognormal(0.0, 0.55, n)
    rows = []
    for s, scenario in enumerate(SCENARIOS):
        static = np.round(MEDIAN_KW[scenario] * base * rng.uniform(0.85, 1.15, n), 1)
        opflex = np.round(static * rng.uniform(0.35, 0.9, n), 1)
        age = np.where(rng.random(n) < 0.7, rng.integers(3, 30, n), rng.integers(30, 200, n))
        draw = rng.random(n)
        reason = np.full(n, None, dtype=object)
        reason[draw < 0.02] = "redacted_critical_infrastructure"
        reason[(draw >= 0.02) & (draw < 0.03)] = "not_studied"
        no_static = np.isin(reason, ["redacted_critical_infrastructure", "not_studied"])
        if scenario == "uniform_load":
            reason[~no_static] = "not_applicable"
        no_opflex = reason != None  # noqa: E711 - numpy object comparison
        text = pl.String
        rows.append(
            pl.DataFrame(
                {
                    "feeder_id": sections["feeder_id"],
                    "section_id": sections["section_id"],
                    "scenario": pl.Series([scenario] * n, dtype=text),
                    "static_kw": pl.Series(np.where(no_static, np.nan, static)).fill_nan(None),
                    "static_criterion": pl.Series(
                        np.where(no_static, None, rng.choice(CRITERIA, n, p=STATIC_WEIGHTS)).tolist(), dtype=text
                    ),
                    "opflex_kw": pl.Series(np.where(no_opflex, np.nan, opflex)).fill_nan(None),
                    "opflex_criterion": pl.Series(
                        np.where(no_opflex, None, rng.choice(CRITERIA, n, p=OPFLEX_WEIGHTS)).tolist(), dtype=text
                    ),
                    "analysis_date": pl.Series([plan.filing_date - timedelta(days=int(a)) for a in age], dtype=pl.Date),
                    "missing_reason": pl.Series(reason.tolist(), dtype=text),
                }
            ).with_columns(s=pl.lit(s))
        )
    frame = pl.concat(rows).with_columns(k=pl.int_range(pl.len()) % n).sort("k", "s").drop("k", "s")
    return _reruns(plan, frame)


def _reruns(plan: Plan, frame: pl.DataFrame) -> pl.DataFrame:
    """PG&E's 2026 first half reran three feeders whose model changed: generation hosting capacity (uniform
    generation and PV) up 35 % on one (a new voltage regulator), down 20 % on one (new generation in the
    queue) and up 10 % on one (a corrected conductor model), so that the two PG&E samples differ as real
    half-years do. Every other filing keeps the values of its seed."""
    if plan.utility != "pge" or plan.filing_date < date(2026, 7, 1):
        return frame
    feeders = frame["feeder_id"].unique(maintain_order=True).to_list()
    factors = {feeders[i]: f for i, f in ((1, 1.35), (6, 0.8), (13, 1.1)) if i < len(feeders)}
    factor = pl.col("feeder_id").replace_strict(factors, default=1.0, return_dtype=pl.Float64)
    generation = pl.col("scenario").is_in(["uniform_generation", "pv"])
    return frame.with_columns(
        (pl.when(generation).then(pl.col(c) * factor).otherwise(pl.col(c))).round(1).alias(c)
        for c in ("static_kw", "opflex_kw")
    )


def hourly(plan: Plan, results_frame: pl.DataFrame, sections: int | None = None) -> pl.DataFrame:
    """576 values per line section and kind for the first `sections` line sections of the results."""
    count = plan.hourly_sections if sections is None else sections
    first = (
        results_frame.filter(pl.col("scenario") == "uniform_generation")
        .head(count)
        .select("feeder_id", "section_id", base=pl.col("static_kw").fill_null(900.0))
    )
    slots = (
        pl.DataFrame({"kind": ["generation", "load"]})
        .join(pl.DataFrame({"day_type": ["light", "high"]}), how="cross")
        .join(pl.DataFrame({"month": np.arange(1, 13, dtype=np.int64)}), how="cross")
        .join(pl.DataFrame({"hour": np.arange(24, dtype=np.int64)}), how="cross")
    )
    frame = first.with_row_index("i").join(slots, how="cross")
    midday = ((pl.col("hour") - 13).cast(pl.Float64) * (2 * np.pi / 24)).cos()
    noise = ((pl.col("i") * 7919 + pl.col("month") * 31 + pl.col("hour") * 17) % 101).cast(pl.Float64) / 1000
    load_day = pl.when(pl.col("day_type") == "high").then(0.8).otherwise(1.0)
    scale = pl.when(pl.col("kind") == "generation").then(1.0 - 0.35 * midday).otherwise(1.4 + 0.3 * midday)
    criterion = (
        pl.when(pl.col("hour") % 5 == 0)
        .then(pl.lit("steady_state_voltage"))
        .when(pl.col("hour") % 7 == 0)
        .then(pl.lit("protection"))
        .otherwise(pl.lit("thermal"))
    )
    return frame.select(
        "feeder_id",
        "section_id",
        "kind",
        "day_type",
        "month",
        "hour",
        value_kw=(pl.col("base") * scale * load_day * (0.95 + noise)).round(1),
        limiting_criterion=criterion,
    )


def metrics(plan: Plan, frame: pl.DataFrame) -> dict[str, float]:
    """The data-quality metrics as the profile defines them, computed independently of the validator."""
    newest = frame.group_by("feeder_id", "section_id").agg(pl.col("analysis_date").max())
    ages = np.array([(plan.filing_date - d).days for d in newest["analysis_date"].to_list()])
    rows = frame.height
    reasons = dict(frame["missing_reason"].value_counts().iter_rows())
    out = {
        "feeders": frame["feeder_id"].n_unique(),
        "sections": newest.height,
        "result_rows": rows,
        "refreshed_30d_pct": round(100 * float(np.mean((ages >= 0) & (ages <= 30))), 2),
        "refreshed_90d_pct": round(100 * float(np.mean((ages >= 0) & (ages <= 90))), 2),
        "median_result_age_days": float(np.median(ages)),
    }
    for reason in ("redacted_critical_infrastructure", "not_studied", "study_failed", "not_applicable"):
        name = "redacted" if reason.startswith("redacted") else reason
        out[f"missing_{name}_pct"] = round(100 * reasons.get(reason, 0) / rows, 2)
    out["duplicate_rows"] = 0
    out["orphan_feeders"] = 0
    return out


def issues_and_actions(plan: Plan) -> tuple[list[dict], list[dict]]:
    """Known ICA issues and remediation actions of the August 2025 Tier 3 plans, as of the filing date."""
    al = {"pge": "7654-E", "sce": "5588-E", "sdge": "4702-E"}[plan.utility]
    filed = plan.filing_date
    issues = [
        {
            "issue_id": "ica-001",
            "title": "Feeders without a substation mapping in the download",
            "category": "data_quality",
            "identified_date": "2024-11-15",
            "status": "resolved",
            "resolved_date": "2025-12-01",
            "affected_feeders": 41,
            "description": "Some feeders of the map download lacked their substation; the mapping is now "
            "generated from the same network model as the results.",
        },
        {
            "issue_id": "ica-002",
            "title": "Results stored as text in the hourly download",
            "category": "publication",
            "identified_date": "2025-01-20",
            "status": "remediating",
            "resolved_date": None,
            "affected_feeders": None,
            "description": "Numeric columns of the hourly profiles were exported as text with thousands separators.",
        },
        {
            "issue_id": "ica-003",
            "title": "Stale results on circuits with pending model updates",
            "category": "methodology",
            "identified_date": "2025-03-07",
            "status": "remediating",
            "resolved_date": None,
            "affected_feeders": 120,
            "description": "Circuits waiting for a model update kept results older than a year.",
        },
        {
            "issue_id": "ica-004",
            "title": "Operational flexibility results missing for load scenarios",
            "category": "methodology",
            "identified_date": "2025-06-26",
            "status": "open",
            "resolved_date": None,
            "affected_feeders": None,
            "description": "The operational flexibility limit is not computed for the uniform load scenario.",
        },
    ]
    actions = [
        {
            "issue_id": "ica-001",
            "action_id": "a1",
            "action": "Generate the feeder-substation mapping from the network model",
            "advice_letter": al,
            "status": "completed",
            "planned_date": "2025-10-31",
            "forecast_date": None,
            "actual_date": "2025-12-01",
        },
        {
            "issue_id": "ica-002",
            "action_id": "a1",
            "action": "Publish numeric columns as numbers in CSV and Parquet",
            "advice_letter": al,
            "status": "completed",
            "planned_date": "2025-12-31",
            "forecast_date": None,
            "actual_date": "2025-12-15",
        },
        {
            "issue_id": "ica-002",
            "action_id": "a2",
            "action": "Validate every download with the ED profile before release",
            "advice_letter": al,
            "status": "in_progress",
            "planned_date": "2026-03-31",
            "forecast_date": "2026-09-30",
            "actual_date": None,
        },
        {
            "issue_id": "ica-003",
            "action_id": "a1",
            "action": "Rerun the ICA on every circuit at least yearly",
            "advice_letter": al,
            "status": "in_progress",
            "planned_date": "2026-06-30",
            "forecast_date": None,
            "actual_date": None,
        },
        {
            "issue_id": "ica-004",
            "action_id": "a1",
            "action": "Add the operational flexibility study to the load scenario",
            "advice_letter": al,
            "status": "planned",
            "planned_date": "2027-01-31",
            "forecast_date": None,
            "actual_date": None,
        },
    ]
    for a in actions:
        if a["status"] == "completed" and date.fromisoformat(a["actual_date"]) > filed:
            a.update(status="in_progress", forecast_date=a["actual_date"], actual_date=None)
    # What an earlier half-year expected: the download validation was still due by mid-June (it slipped to
    # the end of September in 2026's first half), and the yearly reruns had not started.
    if filed < date(2026, 4, 1):
        actions[2].update(forecast_date="2026-06-15")
        actions[3].update(status="planned")
    issues = [i for i in issues if date.fromisoformat(i["identified_date"]) <= filed]
    for i in issues:
        if i["resolved_date"] and date.fromisoformat(i["resolved_date"]) > filed:
            i.update(status="remediating", resolved_date=None)
    known = {i["issue_id"] for i in issues}
    return issues, [a for a in actions if a["issue_id"] in known]


def summary_text(plan: Plan, previous: str | None) -> str:
    short = SHORT[plan.utility]
    since = f"since {previous}" if previous else "in this reporting period"
    return (
        f"This is a SAMPLE made of synthetic data; it is not {short}'s ICA report.\n\n"
        f"Between {plan.period_start.isoformat()} and {plan.period_end.isoformat()} the ICA was rerun on every "
        f"circuit whose model changed {since}. Results are published per line section for the uniform "
        "generation, uniform load and PV scenarios, under static grid assumptions and with operational "
        "flexibility.\n\n"
        "## Remediation\n\n"
        "The actions of the Tier 3 remediation plan are listed in the remediation tracker. The validation of "
        "downloads before release slipped to the end of September: the validation profile was published "
        "later than planned.\n"
    )


def write_filing(folder: Path, plan: Plan, previous: str | None = None) -> dict[str, pl.DataFrame]:
    """Write a complete, valid ICA filing into `folder` and stamp its sizes and hashes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "narrative").mkdir(exist_ok=True)
    substations, feeders = network(plan)
    res = results(plan, feeders)
    hours = hourly(plan, res)
    issues, actions = issues_and_actions(plan)
    tables = {
        "substations": substations,
        "feeders": feeders,
        "results": res,
        "hourly": hours,
        "quality_metrics": pl.DataFrame(
            [{"metric": k, "value": _number(v), "note": None} for k, v in metrics(plan, res).items()],
            schema={"metric": pl.String, "value": pl.String, "note": pl.String},
        ),
        "issues": pl.DataFrame(issues, schema=_schema(issues)),
        "remediation": pl.DataFrame(actions, schema=_schema(actions)),
        "workshops": pl.DataFrame(
            [
                {
                    "workshop_date": d.isoformat(),
                    "status": "held",
                    "topic": _topic(n),
                    "materials_url": f"https://example.org/ica-workshops/{d.isoformat()}",
                }
                for n, d in enumerate(plan.workshops_held)
            ]
            + [
                {
                    "workshop_date": d.isoformat(),
                    "status": "scheduled",
                    "topic": "Biannual report and remediation progress",
                    "materials_url": None,
                }
                for d in plan.workshops_scheduled
            ],
            schema={"workshop_date": pl.String, "status": pl.String, "topic": pl.String, "materials_url": pl.String},
        ),
        "explanations": pl.DataFrame(schema={"code": pl.String, "key": pl.String, "text": pl.String}),
    }
    resources = []
    for name, frame in tables.items():
        fmt = plan.results_format if name == "results" else plan.hourly_format if name == "hourly" else "csv"
        path = f"{name}.{fmt}"
        write_table(frame, folder / path)
        resources.append(
            {
                "name": name,
                "path": path,
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                **({"encoding": "utf-8"} if fmt == "csv" else {}),
                "schema": f"schemas/{name}.json",
            }
        )
    (folder / "narrative/summary.md").write_text(summary_text(plan, previous), encoding="utf-8")
    resources.append(
        {
            "name": "summary",
            "path": "narrative/summary.md",
            "format": "md",
            "mediatype": "text/markdown",
            "encoding": "utf-8",
        }
    )
    write_descriptor(folder, plan, resources)
    stamp_resources(folder)
    return tables


def write_table(frame: pl.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.write_parquet(path, compression="zstd", statistics=False)
    else:
        frame.write_csv(path, line_terminator="\n", float_precision=None, null_value="")


def write_descriptor(folder: Path, plan: Plan, resources: list[dict]) -> None:
    sample = " (SAMPLE, synthetic data)" if plan.is_sample else ""
    descriptor = {
        "name": f"{plan.utility}-{plan.filing_id}",
        "title": f"{SHORT[plan.utility]} Biannual ICA Report {plan.filing_id}{sample}",
        "description": (
            f"SAMPLE: synthetic data for demonstration; not {SHORT[plan.utility]}'s filing."
            if plan.is_sample
            else f"{NAMES[plan.utility]} biannual ICA report."
        ),
        "gridmod": {
            "profile": "ica-biannual",
            "profile_version": "1.0",
            "utility": plan.utility,
            "filing_id": plan.filing_id,
            "proceeding": "R.21-06-017",
            "reporting_period_start": plan.period_start.isoformat(),
            "reporting_period_end": plan.period_end.isoformat(),
            "filing_date": plan.filing_date.isoformat(),
            "is_sample": plan.is_sample,
            "workshop_cadence": "quarterly",
        },
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _number(value: float) -> str:
    """A metric as a person would write it: 240, not 240.0."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def _schema(rows: list[dict]) -> dict:
    return {k: (pl.Int64 if k == "affected_feeders" else pl.String) for k in rows[0]} if rows else {}


def _topic(n: int) -> str:
    topics = (
        "Kick-off: ICA issues and remediation plans",
        "Data quality of the ICA downloads",
        "Hourly profiles and operational flexibility",
        "Remediation plan progress",
    )
    return topics[n % len(topics)]


def previous_half(plan: Plan) -> Plan:
    """The half-year before `plan`, with the same network and slightly different results (for drift)."""
    year, half = int(plan.filing_id[4:8]), int(plan.filing_id[-1])
    earlier = half_year(plan.utility, year - 1 if half == 1 else year, 2 if half == 1 else 1)
    return replace(
        plan,
        filing_id=earlier.filing_id,
        filing_date=earlier.filing_date,
        period_start=earlier.period_start,
        period_end=earlier.period_end,
        workshops_held=earlier.workshops_held,
        workshops_scheduled=earlier.workshops_scheduled,
        seed=plan.seed,
    )
