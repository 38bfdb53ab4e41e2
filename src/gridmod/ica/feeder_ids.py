"""PG&E feeder IDs in the results: nine digits, the first five the substation's (profile 1.1 on).

A spreadsheet that reads the column as numbers drops the leading zero, and the eight-digit ID then matches
no feeder of the utility's other publications. feeders.csv states the rule in SQL (rules.yaml); the results
are large, so here the rule runs once per distinct feeder of the pass and reports each feeder at its first row.
"""

from __future__ import annotations

from gridmod.findings import Finding
from gridmod.ica.context import IcaContext
from gridmod.ica.results import Results
from gridmod.ica.spec import column_of


def is_pge_feeder_id(feeder: str, digits: int) -> bool:
    return len(feeder) == digits and feeder.isascii() and feeder.isdigit()


def check_feeder_ids(ctx: IcaContext, results: Results | None) -> list[Finding]:
    """ICA-E111 at the first result row of every PG&E feeder whose ID is not nine digits."""
    if results is None or "ICA-E111" not in ctx.profile.rules or ctx.filing.head.utility != "pge":
        return []
    rule, digits = ctx.profile.rule("ICA-E111"), ctx.thresholds["pge_feeder_digits"]
    column = column_of(ctx.profile, "results", "feeder_id")
    scan = results.scan
    return [
        rule.finding(
            scan.path,
            line=scan.line(record["first"]),
            column=column,
            field="feeder_id",
            value=record["feeder"],
            key=record["feeder"],
            digits=len(record["feeder"]),
            limit=digits,
        )
        for record in results.feeders.iter_rows(named=True)
        if not is_pge_feeder_id(record["feeder"], digits)
    ]
