"""The results table: hosting capacity per line section and scenario, checked in one streaming pass.

Besides the Table Schema's cell checks, every row must pass the row rules below (a missing value needs a
reason, a value needs its limiting criterion, no analysis after the filing date). Across rows: keys and the
three scenarios of every line section, feeders that feeders.csv does not know, feeders whose newest result is
stale and feeders whose values look like MW.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from gridmod.ica.context import IcaContext
from gridmod.ica.spec import column_of, scenarios
from gridmod.validate.large.keys import KeyCheck, check_keys
from gridmod.validate.large.source import Source
from gridmod.validate.large.stream import Capped, Scan, run_scan

KEY = ["feeder_id", "section_id", "scenario"]
c = pl.col


def section_keys(scan: Scan) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a 64-bit line-section key from the feeder and section codes (section IDs repeat across
    feeders, so both are needed), and whether both cells are there."""
    key = scan.codes("feeder_id").astype(np.uint64)
    key <<= np.uint64(32)
    key |= scan.codes("section_id")
    return key, scan.present("feeder_id") & scan.present("section_id")


def narrow(scan: Scan) -> pl.DataFrame:
    """The typed columns every later use of the results needs (metrics, drift, report, site)."""
    g, present = section_keys(scan)
    scenario = pl.Series(scan.numeric("scenario", -1, np.int8)).replace(-1, None)
    return pl.DataFrame(
        {
            "g": g,
            "scenario": scenario,
            "feeder": scan.typed("feeder_id"),
            "static": scan.typed("static_kw"),
            "opflex": scan.typed("opflex_kw"),
            "criterion": scan.typed("static_criterion").cast(pl.String),
            "analysed": scan.typed("analysis_date"),
            "reason": scan.typed("missing_reason").cast(pl.String),
            "key_ok": pl.Series(present) & scenario.is_not_null(),
        }
    )


def row_rules(scan: Scan, frame: pl.DataFrame, filed: date) -> dict[tuple[str, str], pl.Series]:
    """Content rules of one row: (code, field) -> failing per row."""
    no_reason = pl.Series(~scan.present("missing_reason"))
    no_static = pl.Series(~scan.present("static_criterion"))
    no_opflex = pl.Series(~scan.present("opflex_criterion"))
    return {
        ("ICA-E101", "static_kw"): scan.frame["static_kw:null"] & no_reason,
        ("ICA-E101", "opflex_kw"): scan.frame["opflex_kw:null"] & no_reason,
        ("ICA-E102", "missing_reason"): ~no_reason & frame["static"].is_not_null() & frame["opflex"].is_not_null(),
        ("ICA-E103", "static_criterion"): frame["static"].is_not_null() & no_static,
        ("ICA-E103", "opflex_criterion"): frame["opflex"].is_not_null() & no_opflex,
        ("ICA-E104", "analysis_date"): (frame["analysed"] > filed).fill_null(False),
    }


@dataclass
class Results:
    """What later checks (hourly, metrics, drift) need from the results pass."""

    scan: Scan
    narrow: pl.DataFrame
    keys: KeyCheck
    feeders: pl.DataFrame  # one row per feeder_id: first row, rows, newest analysis, largest value
    clean: bool  # no error in the table


def scan_results(ctx: IcaContext, source: Source, shared: dict[str, pl.Categories] | None = None) -> Scan:
    return run_scan("results", ctx.path("results"), source, ctx.profile.schemas["results"], shared)


def read_narrow(source: Source, schema: dict) -> pl.DataFrame:
    """The narrow columns alone, leniently (a previous filing, or a valid one being rendered)."""
    return narrow(run_scan("results", source.path.name, source, schema, locate=False))


def check_results(
    ctx: IcaContext, scan: Scan, feeder_ids: set[str] | None, out: Capped, cells_broken: bool = False
) -> Results:
    """Row, key and feeder findings of the results (the validation stage reported their cells: `cells_broken`
    when a cell has an error); `feeder_ids` from feeders.csv when it is usable."""
    frame = narrow(scan)
    keys = check_keys(
        frame["g"].to_numpy(),
        frame["scenario"].fill_null(-1).to_numpy(),
        frame["key_ok"].to_numpy(),
        len(scenarios(ctx.profile)),
    )
    rules = row_rules(scan, frame, ctx.filing_date)
    feeders = _feeders(frame)
    orphans = feeders.filter(~c("feeder").is_in(sorted(feeder_ids))) if feeder_ids is not None else feeders.clear()
    stale, mw = _stale(ctx, feeders), _mw_like(ctx, feeders)
    broken = np.zeros(scan.row_count, dtype=bool)
    for flags in rules.values():
        broken |= flags.to_numpy()
    rule_rows = np.flatnonzero(broken)
    before = len(out.findings)
    rule_findings(ctx, scan, rules, rule_rows, out)
    _key_findings(ctx, scan, keys, out)
    for record in orphans.iter_rows(named=True):
        out.add(
            ctx.profile.structure_rule("E016").finding(
                scan.path,
                line=scan.line(record["first"]),
                column=1,
                field="feeder_id",
                value=record["feeder"],
                target="feeders.csv",
            )
        )
    limit = ctx.thresholds["stale_after_days"]
    for record in stale.iter_rows(named=True):
        out.add(
            ctx.profile.rule("ICA-X106").finding(
                scan.path,
                line=scan.line(record["first"]),
                column=column_of(ctx.profile, "results", "analysis_date"),
                field="analysis_date",
                value=record["newest"].isoformat(),
                key=record["feeder"],
                days=(ctx.filing_date - record["newest"]).days,
                limit=limit,
            )
        )
    for record in mw.iter_rows(named=True):
        out.add(
            ctx.profile.rule("ICA-X107").finding(
                scan.path,
                line=scan.line(record["first"]),
                column=column_of(ctx.profile, "results", "static_kw"),
                field="static_kw",
                value=round(record["largest"], 4),
                key=record["feeder"],
                limit=ctx.thresholds["mw_suspect_below_kw"],
            )
        )
    clean = not cells_broken and not any(f.severity == "error" for f in out.findings[before:])
    return Results(scan, frame, keys, feeders, clean)


def rule_findings(
    ctx: IcaContext,
    scan: Scan,
    rules: dict[tuple[str, str], pl.Series],
    rows: np.ndarray,
    out: Capped,
    table: str = "results",
    key_fields: list[str] = KEY,
) -> None:
    """The findings of `row_rules` at the given rows of `table` (results, or a table with its columns), each
    row named by its `key_fields`."""
    flags = {rule: series.to_numpy()[rows] for rule, series in rules.items()}
    for position, row in enumerate(rows.tolist()):
        line = scan.line(row)
        for (code, name), failed in flags.items():
            if not failed[position]:
                continue
            params = {"key": scan.key(row, key_fields), "filing_date": ctx.filing_date.isoformat()}
            value = scan.cell(row, name)
            if code == "ICA-E103":
                params["value_field"] = name.replace("_criterion", "_kw")
                value = scan.cell(row, params["value_field"])
            out.add(
                ctx.profile.rule(code).finding(
                    scan.path,
                    line=line,
                    column=column_of(ctx.profile, table, name),
                    field=name,
                    value=value,
                    **params,
                )
            )


def _feeders(frame: pl.DataFrame) -> pl.DataFrame:
    values = pl.concat_list(c("static"), c("opflex")).list.eval(pl.element().filter(pl.element() > 0)).list.max()
    return (
        frame.lazy()
        .with_row_index("_row")
        .filter(c("feeder").is_not_null())
        .group_by("feeder")
        .agg(first=c("_row").min(), rows=pl.len(), newest=c("analysed").max(), largest=values.max())
        .sort("first")
        .collect()
    )


def _stale(ctx: IcaContext, feeders: pl.DataFrame) -> pl.DataFrame:
    cutoff = date.fromordinal(ctx.filing_date.toordinal() - ctx.thresholds["stale_after_days"])
    return feeders.filter(c("newest").is_not_null() & (c("newest") < cutoff))


def _mw_like(ctx: IcaContext, feeders: pl.DataFrame) -> pl.DataFrame:
    return feeders.filter(c("largest").is_not_null() & (c("largest") < ctx.thresholds["mw_suspect_below_kw"]))


def _key_findings(ctx: IcaContext, scan: Scan, keys: KeyCheck, out: Capped) -> None:
    e015 = ctx.profile.structure_rule("E015")
    for row, first in keys.duplicates:
        out.add(
            e015.finding(
                scan.path,
                line=scan.line(row),
                column=1,
                field="feeder_id",
                value=", ".join(scan.cell(row, k) or "" for k in KEY),
                key_fields=", ".join(KEY),
                resource=scan.path.rsplit("/", 1)[-1],
                variant="first_on_line",
                first=scan.line(first),
            )
        )
    e105 = ctx.profile.rule("ICA-E105")
    for _, row, slots, missing in keys.incomplete():
        out.add(
            e105.finding(
                scan.path,
                line=scan.line(row),
                column=column_of(ctx.profile, "results", "scenario"),
                field="scenario",
                value=slots,
                key=scan.key(row, KEY[:2]),
                missing=", ".join(scenarios(ctx.profile)[m] for m in missing),
            )
        )


def section_set(results: Results) -> np.ndarray:
    """The distinct line sections of the results, as the hourly table's foreign key needs them."""
    return np.unique(results.keys.group)


def section_texts(results: Results) -> pl.DataFrame:
    """The distinct line sections of the results as written (feeder, section), for an engine that does not
    share the streaming pass's codes (gridmod.ica.spark)."""
    keys = section_set(results)
    feeders = results.scan.domains["feeder_id"].values
    sections = results.scan.domains["section_id"].values
    return pl.DataFrame(
        {
            "feeder": feeders.gather(pl.Series((keys >> np.uint64(32)).astype(np.int64))),
            "section": sections.gather(pl.Series((keys & np.uint64(0xFFFFFFFF)).astype(np.int64))),
        }
    )
