"""Which line sections must have hourly profiles (`hourly_scope` in profile.yaml, profile 1.1 on).

When hourly profiles are filed, the profile declares which sections need them: every line section whose result
rows all have values (static_kw and opflex_kw in each scenario), of the line sections table when it is filed
and of the results otherwise, with a profile of each declared kind. A section with a missing value
(redacted, not studied, unavailable, ...) needs none, nor does a section of a feeder that `unless` names (in
1.1, a feeder whose load profile feeders.csv marks redacted, as PG&E's feeder list does). ICA-E124 names each
required profile the hourly table lacks, with the results line that makes it required; both engines
(gridmod.ica.hourly, gridmod.ica.spark) report it from the same Scope.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from gridmod.errors import SetupError
from gridmod.ica.context import IcaContext
from gridmod.ica.results import Results, section_keys
from gridmod.validate.large.stream import Capped, Scan

c = pl.col


@dataclass
class Scope:
    """The required profiles: per line section in scope (ordered by its first results line), its key, as
    written and as the streaming pass codes it, and the kinds it needs."""

    groups: np.ndarray  # line-section key (gridmod.ica.results.section_keys)
    feeders: list[str]
    sections: list[str]
    lines: list[int]  # first line of the section in the results
    kinds: list[tuple[int, str]]  # (position in the hourly kind enum, kind)

    def required(self) -> np.ndarray:
        """Profile keys (gridmod.ica.hourly.profile_keys) of every required profile, section by section."""
        shifted = self.groups.astype(np.uint64) << np.uint64(1)
        return np.stack([shifted | np.uint64(bit) for bit, _ in self.kinds], axis=1).ravel()


def hourly_scope(
    ctx: IcaContext, results: Results, line_sections: Scan | None, excluded: set[str] | None = None
) -> Scope | None:
    """The declared scope, from clean results (and line sections, when filed and clean), without the sections of
    the `excluded` feeders (excluded_feeders); None when the profile declares none."""
    declared = ctx.profile.meta.get("hourly_scope")
    if not declared:
        return None
    if declared.get("sections") != "complete_results":
        raise SetupError(
            f"Profile {ctx.profile.name} {ctx.profile.version} declares hourly_scope sections "
            f"{declared.get('sections')!r}; gridmod knows complete_results."
        )
    complete = (
        results.narrow.lazy()
        .filter(c("key_ok"))
        .group_by("g")
        .agg((c("static").is_not_null() & c("opflex").is_not_null()).all().alias("ok"))
        .filter(c("ok"))
        .select("g")
        .collect()["g"]
        .to_numpy()
    )
    if line_sections is not None:
        listed, present = section_keys(line_sections)
        complete = np.intersect1d(complete, listed[present])
    if excluded:
        names = results.scan.domains["feeder_id"].values
        codes = np.flatnonzero(names.is_in(sorted(excluded)).to_numpy()).astype(np.uint64)
        complete = complete[~np.isin(complete >> np.uint64(32), codes)]
    keys = results.keys
    order = np.argsort(keys.group, kind="stable")
    first = keys.first_row[order[np.searchsorted(keys.group, complete, sorter=order)]]
    by_line = np.argsort(first, kind="stable")
    complete, first = complete[by_line], first[by_line]
    domains = results.scan.domains
    feeders = domains["feeder_id"].values.gather(pl.Series((complete >> np.uint64(32)).astype(np.int64)))
    sections = domains["section_id"].values.gather(pl.Series((complete & np.uint64(0xFFFFFFFF)).astype(np.int64)))
    enum = next(f for f in ctx.profile.schemas["hourly"]["fields"] if f["name"] == "kind")["constraints"]["enum"]
    kinds = [(enum.index(k), k) for k in declared.get("kinds", enum)]
    assert results.scan.lines is not None  # the validation stage locates every row
    return Scope(complete, feeders.to_list(), sections.to_list(), results.scan.lines.lines(first).tolist(), kinds)


def report_missing(ctx: IcaContext, scope: Scope, missing: np.ndarray, out: Capped) -> None:
    """ICA-E124 for each required profile flagged in `missing` (aligned with Scope.required)."""
    rule = ctx.profile.rule("ICA-E124")
    path = ctx.path("hourly")
    results = ctx.file_name("results")
    per_section = len(scope.kinds)
    for at in np.flatnonzero(missing).tolist():
        index, kind = divmod(at, per_section)
        feeder, section = scope.feeders[index], scope.sections[index]
        name = scope.kinds[kind][1]
        out.add(
            rule.finding(
                path,
                field="section_id",
                value=section,
                key=f"{feeder}/{section}/{name}",
                kind=name,
                section=f"{feeder}/{section}",
                results_file=results,
                results_line=scope.lines[index],
            )
        )


def excluded_feeders(ctx: IcaContext, feeders: pl.DataFrame | None) -> set[str] | None:
    """The feeders whose sections need no hourly profiles, by the profile's `hourly_scope.unless` (for example a
    feeder whose load profile is redacted); None when the feeders table that decides it is not usable."""
    unless = (ctx.profile.meta.get("hourly_scope") or {}).get("unless") or {}
    if not unless:
        return set()
    if feeders is None:
        return None
    chosen = pl.lit(False)
    for field, values in unless.items():
        if field not in feeders.columns:
            continue  # an optional column the filing leaves out: no feeder is excluded by it
        chosen = chosen | c(field).is_in(list(values)).fill_null(False)
    return set(feeders.filter(chosen)["feeder_id"].to_list())
