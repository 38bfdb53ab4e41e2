"""Substations and feeders: the mapping that places every result on the grid.

Users of the published ICA data report feeders without a substation, substations under several names and
feeder lists that do not match the results; these checks look for exactly that.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from gridmod.findings import Finding
from gridmod.ica.context import IcaContext


def mapped_feeders(frames: dict[str, pl.DataFrame]) -> set[str] | None:
    """Feeders of feeders.csv whose substation is in substations.csv; None when either table is unusable."""
    if not {"feeders", "substations"} <= frames.keys():
        return None
    known = set(frames["substations"]["substation_id"].to_list())
    return {f for f, s in frames["feeders"].select("feeder_id", "substation_id").iter_rows() if s in known}


def check_network(ctx: IcaContext, frames: dict[str, pl.DataFrame], with_results: set[str] | None) -> list[Finding]:
    findings: list[Finding] = []
    if "feeders" in frames:
        path = ctx.path("feeders")
        digits = ctx.thresholds["pge_substation_digits"]
        for row in frames["feeders"].iter_rows(named=True):
            feeder, substation = row["feeder_id"], row["substation_id"]
            if with_results is not None and feeder not in with_results:
                findings.append(
                    ctx.profile.rule("ICA-W108").finding(
                        path, line=row["_line"], column=1, field="feeder_id", value=feeder, key=feeder
                    )
                )
            if ctx.filing.head.utility == "pge" and feeder[:digits] != substation:
                findings.append(
                    ctx.profile.rule("ICA-W109").finding(
                        path,
                        line=row["_line"],
                        column=2,
                        field="substation_id",
                        value=feeder,
                        key=feeder,
                        substation=substation,
                        digits=digits,
                    )
                )
    if "substations" in frames:
        names: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for row in frames["substations"].iter_rows(named=True):
            names[" ".join(row["substation_name"].casefold().split())].append((row["substation_id"], row["_line"]))
        for entries in names.values():
            if len(entries) < 2:
                continue
            ids = ", ".join(i for i, _ in entries)
            for substation, line in entries[1:]:
                name = frames["substations"].filter(pl.col("_line") == line)["substation_name"].item()
                findings.append(
                    ctx.profile.rule("ICA-W110").finding(
                        ctx.path("substations"),
                        line=line,
                        column=2,
                        field="substation_name",
                        value=name,
                        key=substation,
                        ids=ids,
                    )
                )
    return findings
