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

from gridmod.filing import Filing
from gridmod.ica.context import IcaContext
from gridmod.ica.results import section_keys
from gridmod.ica.scope import Scope, report_missing
from gridmod.spec import Profile
from gridmod.validate.large.keys import check_keys
from gridmod.validate.large.source import Source, open_source
from gridmod.validate.large.stream import Capped, Scan, run_scan

KEY = ["feeder_id", "section_id", "kind", "day_type", "month", "hour"]
PROFILE = ["feeder_id", "section_id", "kind"]
DAYS = ("light", "high")
SHOWN_MISSING = 6


@dataclass
class HourlyPart:
    """One file of the hourly table, summarised while its scan was in memory: one entry per profile (line
    section and kind) it holds. A part's own duplicate keys are reported when it is summarised."""

    path: str  # repo-relative, as findings name it
    group: np.ndarray  # profile key (see profile_keys)
    first_line: np.ndarray  # line (Parquet: row) of the profile's first row in this part
    rows: np.ndarray  # rows of the profile in this part
    slots: np.ndarray  # distinct slots of the profile in this part
    largest: np.ndarray  # largest non-zero value, -inf where none
    missing: dict[int, list[int]]  # profile key -> slots this part lacks, for profiles it holds incompletely
    columns: dict[str, int | None]  # field -> 1-based column in this part (None: given by its folder name)


@dataclass
class Hourly:
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


def summarize(filing: Filing, profile: Profile, scan: Scan, out: Capped) -> HourlyPart:
    """The engine's summary of one part of the hourly table (gridmod.validate.large.Summarize); its duplicate
    keys are reported here, where the rows are still at hand."""
    group, slot, ok = profile_keys(scan)
    keys = check_keys(group, slot, ok, profile.meta.get("hourly_slots", 576))
    largest = _largest(group, scan.frame["value_kw"].to_numpy(), ok, keys.group)
    e015 = profile.structure_rule("E015")
    name = scan.path.rsplit("/", 1)[-1]
    for row, earlier in keys.duplicates:
        out.add(
            e015.finding(
                scan.path,
                line=scan.line(row),
                column=scan.column("feeder_id"),
                field="feeder_id",
                value=", ".join(scan.cell(row, k) or "" for k in KEY),
                key_fields=", ".join(KEY),
                resource=name,
                variant="first_on_line",
                first=scan.line(earlier),
            )
        )
    assert scan.lines is not None
    return HourlyPart(
        scan.path,
        keys.group,
        scan.lines.lines(keys.first_row),
        keys.rows,
        keys.slots,
        largest,
        keys.missing,
        {name: scan.column(name) for name in scan.fields},
    )


def check_hourly(
    ctx: IcaContext,
    parts: list[HourlyPart],
    sections: np.ndarray | None,
    categories: dict[str, pl.Categories],
    out: Capped,
    scope: Scope | None = None,
) -> Hourly:
    """Completeness, foreign-key and unit findings of the hourly profiles from the summaries of their parts
    (the validation stage reported the cells, and each part its own duplicates); `sections` from the
    results, if usable. A profile that spans parts is put together from a second look at those parts; all
    else is decided on arrays of one entry per profile."""
    slots = ctx.profile.meta.get("hourly_slots", 576)
    before = len(out.findings)
    every = _Entries.of(parts)
    spanning = every.spanning()
    missing = {g: (i, m) for i, part in enumerate(parts) for g, m in part.missing.items() if g not in spanning}
    entries = every.first_of_each() if spanning else every
    if spanning:
        merged = _spanning(ctx, parts, categories, slots, spanning, out)
        entries.merge(merged)
        missing.update({g: (-1, m) for g, (_, _, m) in merged.items() if m})
    notes = []
    if sections is None:
        notes.append(
            f"The hourly profiles were not matched with the results ({ctx.file_name('results')} has "
            "errors or is missing)."
        )
    decode = _Decoder(ctx, categories)
    for at in entries.positions(np.fromiter(missing, dtype=np.uint64, count=len(missing))):
        group = int(entries.group[at])
        feeder, section, kind = decode(group)
        out.add(
            ctx.profile.rule("ICA-E121").finding(
                parts[entries.part[at]].path,
                line=int(entries.line[at]),
                column=parts[entries.part[at]].columns["kind"],
                field="kind",
                value=int(entries.slots[at]),
                key=f"{feeder}/{section}/{kind}",
                slots=slots,
                kind=kind,
                missing=describe_slots(missing[group][1]),
            )
        )
    if sections is not None:
        for at in np.flatnonzero(~np.isin(entries.group >> np.uint64(1), sections)):
            feeder, section, _ = decode(int(entries.group[at]))
            out.add(
                ctx.profile.rule("ICA-E122").finding(
                    parts[entries.part[at]].path,
                    line=int(entries.line[at]),
                    column=parts[entries.part[at]].columns["section_id"],
                    field="section_id",
                    value=section,
                    key=f"{feeder}/{section}",
                    rows=int(entries.rows[at]),
                )
            )
    if scope is not None:
        report_missing(ctx, scope, ~np.isin(scope.required(), entries.group), out)
    limit = ctx.thresholds["mw_suspect_below_kw"]
    for at in np.flatnonzero(np.isfinite(entries.largest) & (entries.largest < limit)):
        feeder, section, kind = decode(int(entries.group[at]))
        out.add(
            ctx.profile.rule("ICA-X123").finding(
                parts[entries.part[at]].path,
                line=int(entries.line[at]),
                column=parts[entries.part[at]].columns["value_kw"],
                field="value_kw",
                value=round(float(entries.largest[at]), 4),
                key=f"{feeder}/{section}/{kind}",
                limit=limit,
            )
        )
    clean = not any(f.severity == "error" for f in out.findings[before:])
    return Hourly(clean, notes)


@dataclass
class _Entries:
    """One entry per profile and part, as arrays (a million profiles cost no Python loop)."""

    group: np.ndarray
    part: np.ndarray
    line: np.ndarray
    slots: np.ndarray
    rows: np.ndarray
    largest: np.ndarray

    @classmethod
    def of(cls, parts: list[HourlyPart]) -> _Entries:
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return cls(np.zeros(0, dtype=np.uint64), empty, empty, empty, empty, np.zeros(0))
        return cls(
            np.concatenate([p.group for p in parts]),
            np.concatenate([np.full(len(p.group), i) for i, p in enumerate(parts)]),
            np.concatenate([p.first_line for p in parts]),
            np.concatenate([p.slots for p in parts]),
            np.concatenate([p.rows for p in parts]),
            np.concatenate([p.largest for p in parts]),
        )

    def spanning(self) -> set[int]:
        """Profiles with entries in more than one part."""
        if len(self.part) == 0 or self.part[-1] == 0:
            return set()
        ordered = np.sort(self.group)
        return set(np.unique(ordered[1:][ordered[1:] == ordered[:-1]]).tolist())

    def first_of_each(self) -> _Entries:
        """One entry per profile: its first part's."""
        _, first = np.unique(self.group, return_index=True)
        keep = np.sort(first)
        return _Entries(
            self.group[keep], self.part[keep], self.line[keep], self.slots[keep], self.rows[keep], self.largest[keep]
        )

    def merge(self, merged: dict[int, tuple[int, int, list[int]]]) -> None:
        """Totals of profiles put together from several parts: slots present, rows, missing slots; the largest
        value is the largest of the parts'."""
        every_largest: dict[int, float] = {}
        for g, value in zip(self.group.tolist(), self.largest.tolist(), strict=True):
            if g in merged:
                every_largest[g] = max(value, every_largest.get(g, -np.inf))
        at = self.positions(np.fromiter(merged, dtype=np.uint64, count=len(merged)))
        for position in at:
            g = int(self.group[position])
            self.slots[position], self.rows[position], _ = merged[g]
            self.largest[position] = every_largest[g]

    def positions(self, groups: np.ndarray) -> np.ndarray:
        """Positions of the entries of these profiles, in the order they appear."""
        return np.flatnonzero(np.isin(self.group, groups))


def _spanning(
    ctx: IcaContext,
    parts: list[HourlyPart],
    categories: dict[str, pl.Categories],
    slots: int,
    groups: set[int],
    out: Capped,
) -> dict[int, tuple[int, int, list[int]]]:
    """Profiles whose rows are in more than one part: their rows are read again, from those parts only, to
    find the keys repeated across parts (reported here) and the slots none of them holds."""
    from gridmod.validate.large import table_parts

    wanted = np.fromiter(groups, dtype=np.uint64, count=len(groups))
    files = {ctx.filing.rel_path(f.name): f for f in table_parts(ctx.filing, ctx.profile, "hourly")}
    found: list[tuple[np.ndarray, ...]] = []
    texts: list[str] = []  # each row's key as written, in the order of `found`
    for index, part in enumerate(parts):
        if not np.isin(part.group, wanted).any():
            continue
        file = files[part.path]
        scan = run_scan(
            "hourly", part.path, open_source(file.path, file.constants), ctx.profile.schemas["hourly"], categories
        )
        group, slot, ok = profile_keys(scan)
        rows = np.flatnonzero(ok & np.isin(group, wanted))
        assert scan.lines is not None
        found.append(
            (group[rows], slot[rows].astype(np.int64), np.full(len(rows), index), rows, scan.lines.lines(rows))
        )
        texts += [", ".join(scan.cell(row, k) or "" for k in KEY) for row in rows.tolist()]
        del scan
    g, s, p, r, line = (np.concatenate(column) for column in zip(*found, strict=True))
    order = np.lexsort((r, p, s, g))
    g, s, p, r, line = g[order], s[order], p[order], r[order], line[order]
    e015 = ctx.profile.structure_rule("E015")
    merged: dict[int, tuple[int, int, list[int]]] = {}
    bounds = [0, *(np.flatnonzero(g[1:] != g[:-1]) + 1).tolist(), len(g)]
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        first_of_slot: dict[int, int] = {}
        parts_of_slot: dict[int, set[int]] = {}
        for i in range(start, end):
            key_slot, where = int(s[i]), int(p[i])
            if key_slot in first_of_slot and where not in parts_of_slot[key_slot]:
                origin = first_of_slot[key_slot]  # a part's own repeats were reported with that part
                out.add(
                    e015.finding(
                        parts[where].path,
                        line=int(line[i]),
                        column=parts[where].columns["feeder_id"],
                        field="feeder_id",
                        value=texts[int(order[i])],
                        key_fields=", ".join(KEY),
                        resource=parts[where].path.rsplit("/", 1)[-1],
                        variant="first_on_line",
                        first=f"{int(line[origin])} of {parts[int(p[origin])].path}",
                    )
                )
            first_of_slot.setdefault(key_slot, i)
            parts_of_slot.setdefault(key_slot, set()).add(where)
        missing = [x for x in range(slots) if x not in first_of_slot]
        merged[int(g[start])] = (len(first_of_slot), end - start, missing)
    return merged


class _Decoder:
    """A profile key back to the feeder, line section and kind as written (the codes are the shared ones)."""

    def __init__(self, ctx: IcaContext, categories: dict[str, pl.Categories]) -> None:
        self.feeders = categories["feeder_id"].to_series().cast(pl.String)
        self.sections = categories["section_id"].to_series().cast(pl.String)
        kind = next(f for f in ctx.profile.schemas["hourly"]["fields"] if f["name"] == "kind")
        self.kinds = kind["constraints"]["enum"]

    def __call__(self, group: int) -> tuple[str, str, str]:
        section = group >> 1
        return (str(self.feeders[section >> 32]), str(self.sections[section & 0xFFFFFFFF]), str(self.kinds[group & 1]))


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
