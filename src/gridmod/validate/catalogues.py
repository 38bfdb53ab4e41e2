"""Content phase, controlled lists of the profile: technology codes of activities and benefit metrics of
use cases (profile.yaml `technologies:` and `benefit_metrics:`, from gmr-appendix-a 1.1).

A code not in the list is an error at its cell naming the codes allowed, with their titles, since the filer
chooses from them; a technology filed under another category than its own is a warning; a benefit_unit
that is not its metric's unit is an error naming the unit. A profile without the lists checks nothing here.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.spec import Profile


def check_catalogues(profile: Profile, filing: Filing, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    return check_technologies(profile, filing, frames) + check_metrics(profile, filing, frames)


def _place(profile: Profile, filing: Filing, table: str) -> tuple[str, list[str]]:
    return filing.rel_path(profile.table_path(table)), [f["name"] for f in profile.schemas[table]["fields"]]


def _listed(items: list[dict[str, Any]], key: str) -> str:
    return "; ".join(f"{item[key]} ({item['title']})" for item in items)


def check_technologies(profile: Profile, filing: Filing, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    """GMR-E101 (technology not in the list) and GMR-W102 (technology of another category)."""
    technologies = profile.meta.get("technologies")
    if not technologies or "activities" not in frames:
        return []
    by_id = {t["id"]: t for t in technologies}
    categories = {c["id"]: c["title"] for c in profile.categories}
    path, columns = _place(profile, filing, "activities")
    column = columns.index("technology") + 1
    findings = []
    for row in frames["activities"].iter_rows(named=True):
        code, key = row["technology"], row["activity_id"]
        if code is None:
            continue  # required: the structure phase said so
        where = dict(line=row["_line"], column=column, field="technology", value=code, key=key)
        if code not in by_id:
            findings.append(profile.rule("GMR-E101").finding(path, **where, allowed=_listed(technologies, "id")))
        elif by_id[code]["category"] != row["category_id"]:
            expected = by_id[code]["category"]
            findings.append(
                profile.rule("GMR-W102").finding(
                    path,
                    **where,
                    title=by_id[code]["title"],
                    category=row["category_id"],
                    expected=expected,
                    expected_title=categories.get(expected, expected),
                )
            )
    return findings


def check_metrics(profile: Profile, filing: Filing, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    """GMR-E104 (metric_id not in the catalogue) and GMR-E105 (benefit_unit not the metric's unit)."""
    metrics = profile.meta.get("benefit_metrics")
    if not metrics or "use_cases" not in frames:
        return []
    by_id = {m["metric_id"]: m for m in metrics}
    path, columns = _place(profile, filing, "use_cases")
    findings = []
    for row in frames["use_cases"].iter_rows(named=True):
        metric_id, key = row["metric_id"], f"{row['activity_id']}/{row['use_case_id']}"
        if metric_id is None:
            continue  # GMR-E103 where a value needs it
        if metric_id not in by_id:
            findings.append(
                profile.rule("GMR-E104").finding(
                    path,
                    line=row["_line"],
                    column=columns.index("metric_id") + 1,
                    field="metric_id",
                    value=metric_id,
                    key=key,
                    allowed=_listed(metrics, "metric_id"),
                )
            )
            continue
        metric = by_id[metric_id]
        unit = row["benefit_unit"]
        if unit is not None and unit.strip() != metric["unit"]:
            findings.append(
                profile.rule("GMR-E105").finding(
                    path,
                    line=row["_line"],
                    column=columns.index("benefit_unit") + 1,
                    field="benefit_unit",
                    value=unit,
                    key=key,
                    metric_id=metric_id,
                    title=metric["title"],
                    expected=metric["unit"],
                )
            )
    return findings
