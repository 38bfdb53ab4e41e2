"""Tables computed from the filed ones for the row rules that need a total (profile.yaml `derived_tables`).

A rule about a sum (recorded cost against the authorized amount, allocations against an authorization) is a
row check on one of these tables; its findings point at the filed table it is derived `from`, at the line of
the row it came from. Only the tables a profile declares are built, from the tables whose structure passed.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

c = pl.col
GROUP = ("activity_id", "year", "cost_type")


def cost_groups(frames: dict[str, pl.DataFrame]) -> pl.DataFrame | None:
    """One row per activity, year and cost type: recorded total and the authorized amount(s)."""
    if "costs" not in frames:
        return None
    return (
        frames["costs"]
        .sort("_line")
        .group_by(list(GROUP), maintain_order=True)
        .agg(
            c("_line").first(),
            c("amount_usd").filter(c("basis") == "recorded").sum().alias("recorded_usd"),
            c("authorized_usd").drop_nulls().first().alias("authorized_usd"),
            c("amount_usd").sum(),
        )
    )


def authorization_allocations(frames: dict[str, pl.DataFrame]) -> pl.DataFrame | None:
    """One row per authorization with allocated_usd: the costs.authorized_usd the filer allocated to the
    activities it covers (authorized_activities), in the years of its period and its cost type (both for
    total), each activity, year and cost type counted once. Empty (NULL) where nothing is allocated."""
    if not {"authorizations", "authorized_activities", "costs"} <= frames.keys():
        return None
    groups = cost_groups(frames)
    assert groups is not None
    allocated = (
        frames["authorizations"]
        .select("authorization_id", "cost_type", "period_start_year", "period_end_year")
        .join(frames["authorized_activities"].select("authorization_id", "activity_id"), on="authorization_id")
        .join(
            groups.select("activity_id", "year", c("cost_type").alias("group_type"), "authorized_usd"),
            on="activity_id",
        )
        .filter(
            c("year").is_between(c("period_start_year"), c("period_end_year"))
            & ((c("cost_type") == "total") | (c("cost_type") == c("group_type")))
        )
        .group_by("authorization_id")
        .agg(c("authorized_usd").sum().alias("allocated_usd"))
    )
    return frames["authorizations"].join(allocated, on="authorization_id", how="left")


BUILDERS: dict[str, Callable[[dict[str, pl.DataFrame]], pl.DataFrame | None]] = {
    "cost_groups": cost_groups,
    "authorization_allocations": authorization_allocations,
}


def derive(declared: dict[str, dict[str, str]], frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The derived tables a profile declares, built from `frames` where the tables they need are there."""
    out = {}
    for name in declared:
        if name not in BUILDERS:
            from gridmod.errors import SetupError

            raise SetupError(
                f"derived_tables in profile.yaml names {name}, which gridmod cannot compute "
                f"(it computes {', '.join(BUILDERS)})."
            )
        table = BUILDERS[name](frames)
        if table is not None:
            out[name] = table
    return out
