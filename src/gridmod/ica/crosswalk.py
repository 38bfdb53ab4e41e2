"""The crosswalk (crosswalk.csv, profile 1.1 on): the utility's native keys and the IDs the filing uses.

Its primary key (kind, native_key) says each native key has one ID; the other direction, each ID one native
key, is a unique key a row expression cannot say: two native keys under one ID would merge two feeders.
"""

from __future__ import annotations

import polars as pl

from gridmod.findings import Finding
from gridmod.ica.context import IcaContext
from gridmod.ica.spec import column_of


def check_crosswalk(ctx: IcaContext, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    """ICA-E113 at every row that gives an ID of its kind already given to another native key."""
    if "crosswalk" not in frames:
        return []
    rule = ctx.profile.rule("ICA-E113")
    column = column_of(ctx.profile, "crosswalk", "id")
    first: dict[tuple[str, str], tuple[int, str]] = {}
    findings = []
    for row in frames["crosswalk"].sort("_line").iter_rows(named=True):
        ident = (row["kind"], row["id"])
        if ident not in first:
            first[ident] = (row["_line"], row["native_key"])
            continue
        line, native = first[ident]
        findings.append(
            rule.finding(
                ctx.path("crosswalk"),
                line=row["_line"],
                column=column,
                field="id",
                value=row["id"],
                key=f"{row['kind']}/{row['native_key']}",
                kind=row["kind"],
                native_key=repr(row["native_key"]),
                first=line,
                first_key=repr(native),
            )
        )
    return findings
