"""The hourly profiles: 576 values (12 months x 24 hours x 2 load days) per line section and kind.

At full scale this is the largest table of all (tens of millions of rows), so the pass keeps only dictionary
codes and the value per row; keys, completeness, the foreign key to the results and the MW-looking profiles
are then decided on arrays of 64-bit profile keys and slot numbers (gridmod.validate.large.keys).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np
import polars as pl

from gridmod.ica.context import IcaContext
from gridmod.ica.results import section_keys
from gridmod.ica.spec import column_of
from gridmod.validate.large.keys import KeyCheck, check_keys
from gridmod.validate.large.source import Source
from gridmod.validate.large.stream import Capped, Scan, run_scan

KEY = ["feeder_id", "section_id", "kind", "day_type", "month", "hour"]
PROFILE = ["feeder_id", "section_id", "kind"]
DAYS = ("light", "high")
SHOWN_MISSING = 6


@dataclass
class Hourly:
    scan: Scan
    keys: KeyCheck
    clean: bool
    notes: list[str]  # what was not checked, and why


def scan_hourly(ctx: IcaContext, source: Source, shared: dict[str, pl.Categories] | None = None) -> Scan:
    return run_scan("hourly", ctx.path("hourly"), source, ctx.profile.schemas["hourly"], shared)


def profile_keys(scan: Scan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the profile (line section and kind) as a 64-bit group, its slot 0..575 and whether both parse.

    The group is the line-section key of gridmod.ica.results shifted left by one, with the kind in the low bit.
    Each key cell's part of the slot comes from a table per distinct value, negative where the value is
    empty or out of range, so one sum gives both the slot and, by its sign, whether the key parsed.
    """
    group, present = section_keys(scan)
    slot = scan.mapped("day_type", lambda v: _part(v, 0, 1, 288), BAD, np.int16)
    slot += scan.mapped("month", lambda v: _part(v, 1, 12, 24), BAD, np.int16)
    slot += scan.mapped("hour", lambda v: _part(v, 0, 23, 1), BAD, np.int16)
    slot += scan.mapped("kind", lambda v: _part(v, 0, 1, 0), BAD, np.int16)
    group <<= np.uint64(1)
    group |= scan.mapped("kind", lambda v: np.clip(v, 0, 1), 0, np.uint8)
    present &= slot >= 0
    return group, slot, present


BAD = -2048  # a slot part for an invalid cell: four of them still fit in 16 bits, and any one makes the sum < 0


def _part(values: np.ndarray, low: int, high: int, scale: int) -> np.ndarray:
    return np.where((values >= low) & (values <= high), (values - low) * scale, BAD)


def check_hourly(ctx: IcaContext, scan: Scan, sections: np.ndarray | None, out: Capped) -> Hourly:
    """Key, completeness, foreign-key and unit findings (the validation stage reported the cells); `sections`
    from the results, if usable."""
    group, slot, ok = profile_keys(scan)
    slots = ctx.profile.meta.get("hourly_slots", 576)
    keys = check_keys(group, slot, ok, slots)
    first = keys.first_row
    orphans = (np.flatnonzero(~np.isin(keys.group >> np.uint64(1), sections)) if sections is not None
               else np.zeros(0, dtype=np.int64))
    notes = []
    if sections is None:
        notes.append(f"The hourly profiles were not matched with the results ({ctx.file_name('results')} has "
                     "errors or is missing).")
    largest = _largest(group, scan.frame["value_kw"].to_numpy(), ok, keys.group)
    mw = np.flatnonzero(np.isfinite(largest) & (largest < ctx.thresholds["mw_suspect_below_kw"]))
    incomplete = keys.incomplete()
    before = len(out.findings)
    name = scan.path.rsplit("/", 1)[-1]
    e015 = ctx.profile.structure_rule("E015")
    for row, earlier in keys.duplicates:
        out.add(e015.finding(scan.path, line=scan.line(row), column=1, field="feeder_id",
                             value=", ".join(scan.cell(row, k) or "" for k in KEY), key_fields=", ".join(KEY),
                             resource=name, variant="first_on_line", first=scan.line(earlier)))
    for _, row, present, missing in incomplete:
        out.add(ctx.profile.rule("ICA-E121").finding(
            scan.path, line=scan.line(row), column=column_of(ctx.profile, "hourly", "kind"), field="kind",
            value=present, key=scan.key(row, PROFILE), slots=slots, kind=scan.cell(row, "kind"),
            missing=describe_slots(missing)))
    for index in orphans:
        row = int(first[index])
        out.add(ctx.profile.rule("ICA-E122").finding(
            scan.path, line=scan.line(row), column=column_of(ctx.profile, "hourly", "section_id"), field="section_id",
            value=scan.cell(row, "section_id"), key=scan.key(row, PROFILE[:2]), rows=int(keys.rows[index])))
    for index in mw:
        row = int(first[index])
        out.add(ctx.profile.rule("ICA-X123").finding(
            scan.path, line=scan.line(row), column=column_of(ctx.profile, "hourly", "value_kw"), field="value_kw",
            value=round(float(largest[index]), 4), key=scan.key(row, PROFILE),
            limit=ctx.thresholds["mw_suspect_below_kw"]))
    clean = not any(f.severity == "error" for f in out.findings[before:])
    return Hourly(scan, keys, clean, notes)


def _largest(g: np.ndarray, v: np.ndarray, valid: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Largest non-zero value of each group (in the order of `groups`); -inf where it has none.

    Runs of equal groups are reduced first, so a table written group by group costs one linear pass.
    """
    out = np.full(len(groups), -np.inf)
    if not valid.any():
        return out
    gv, vv = (g, v) if valid.all() else (g[valid], v[valid])
    w = np.where(vv > 0, vv, -np.inf)
    starts = np.flatnonzero(np.concatenate(([True], gv[1:] != gv[:-1])))
    run_max = np.maximum.reduceat(w, starts)
    order = np.argsort(groups)
    position = order[np.searchsorted(groups, gv[starts], sorter=order)]
    np.maximum.at(out, position, run_max)
    return out


def describe_slots(slots: list[int]) -> str:
    """Missing slots in words: 'March 14:00 (high-load day), ...' and how many more."""
    words = []
    for slot in slots[:SHOWN_MISSING]:
        day, rest = divmod(slot, 288)
        month, hour = divmod(rest, 24)
        words.append(f"{calendar.month_name[month + 1]} {hour:02d}:00 ({DAYS[day]}-load day)")
    more = len(slots) - SHOWN_MISSING
    return ", ".join(words) + (f" and {more} more" if more > 0 else "")
