"""Remediation plans held to the previous filing: a planned date is the plan's, not the filer's to move.

D.24-10-030 has each utility file its ICA remediation plans by Tier 3 advice letter; the biannual reports
then track the actions against the dates in those plans. A planned date that is later than in the utility's
previous ICA filing is therefore a change of the plan: it stands when the action now cites another advice
letter that the register records as an effective remediation plan of this utility (the plan was amended),
and otherwise needs an explanation (ICA-X148), so that moving a date can never make an overdue warning
disappear unnoticed. An action the previous filing had open cannot leave the plan without a closing status
(ICA-E149): it stays, completed or cancelled.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from gridmod.findings import Checked, Finding
from gridmod.ica.context import IcaContext
from gridmod.proceeding import load_register
from gridmod.spec import load_profile
from gridmod.validate.content import load_frames

KEY = ("issue_id", "action_id")
OPEN = ("planned", "in_progress")


def check_plan_lock(ctx: IcaContext, frames: dict[str, pl.DataFrame]) -> Checked:
    """ICA-X148 for each planned date moved later than the previous filing had it, unless an effective
    remediation-plan letter of the utility now carries the action; ICA-E149 for each open action dropped."""
    if "remediation" not in frames:
        return Checked()
    from gridmod.previous import find_previous

    previous = find_previous(ctx.filing)
    if previous is None:
        return Checked(
            notes=["Remediation plans not compared: there is no earlier ICA filing of this utility to compare with."]
        )
    name = str(previous.meta.get("filing_id"))
    try:
        profile = load_profile(previous.root, str(previous.meta["profile"]), str(previous.meta["profile_version"]))
        before = load_frames(previous, profile, {"remediation"})["remediation"]
    except Exception as exc:  # noqa: BLE001 - a broken earlier filing must not stop this one's checks
        return Checked(
            notes=[
                f"Remediation plans not compared with {name}: its remediation table cannot be read "
                f"({type(exc).__name__})."
            ]
        )
    amended = {
        letter.number
        for letter in load_register(ctx.filing.root)
        if letter.utility == ctx.filing.head.utility
        and letter.purpose == "ica_remediation_plan"
        and letter.disposition == "effective"
    }
    then = {_key(row): row for row in before.iter_rows(named=True)}
    now = frames["remediation"]
    columns = [f["name"] for f in ctx.profile.schemas["remediation"]["fields"]]
    path = ctx.path("remediation")
    findings: list[Finding] = []
    for row in now.iter_rows(named=True):
        old = then.get(_key(row))
        if old is None or row["planned_date"] is None or old["planned_date"] is None:
            continue
        if row["planned_date"] <= old["planned_date"]:
            continue
        if row["advice_letter"] != old["advice_letter"] and row["advice_letter"] in amended:
            continue
        findings.append(
            ctx.profile.rule("ICA-X148").finding(
                path,
                line=row["_line"],
                column=columns.index("planned_date") + 1,
                field="planned_date",
                value=row["planned_date"].isoformat(),
                key="/".join(_key(row)),
                before=old["planned_date"].isoformat(),
                previous=name,
                days=(row["planned_date"] - old["planned_date"]).days,
                letter=old["advice_letter"],
            )
        )
    kept = {_key(row) for row in now.iter_rows(named=True)}
    for key, old in then.items():
        if key in kept or old["status"] not in OPEN:
            continue
        findings.append(
            ctx.profile.rule("ICA-E149").finding(
                path,
                value="/".join(key),
                key="/".join(key),
                status=old["status"],
                planned=old["planned_date"].isoformat() if old["planned_date"] else "no date",
                previous=name,
                letter=old["advice_letter"],
            )
        )
    return Checked(findings)


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return str(row["issue_id"]), str(row["action_id"])
