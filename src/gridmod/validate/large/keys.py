"""Key uniqueness and completeness over millions of rows, in a few vectorised passes.

A key is split into a group (e.g. one line section's generation profile, as a 64-bit hash of its
identifiers) and a slot within it (e.g. month, hour and load day as 0..575). Utilities write such tables
group by group with slots in order, so the common case is decided in linear time: each run of equal groups
whose slots strictly increase has no duplicate, and it is complete when it has every slot. Only groups that
break that pattern (split into several runs, slots out of order or repeated) are sorted, and only their rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class KeyCheck:
    """One entry per group (arrays, so a million groups cost no Python loop) and every duplicate row."""

    group: np.ndarray  # group hash
    first_row: np.ndarray  # row index of the group's first row
    rows: np.ndarray  # rows in the group
    slots: np.ndarray  # distinct slots present
    missing: dict[int, list[int]] = field(default_factory=dict)  # group hash -> absent slots, if any
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (row, earlier row with the same key)

    def incomplete(self) -> list[tuple[int, int, int, list[int]]]:
        """(group, first row, slots present, missing slots) of every group that lacks a slot, by first row."""
        if not self.missing:
            return []
        wanted = np.fromiter(self.missing, dtype=self.group.dtype, count=len(self.missing))
        found = np.flatnonzero(np.isin(self.group, wanted))
        out = [
            (int(self.group[i]), int(self.first_row[i]), int(self.slots[i]), self.missing[int(self.group[i])])
            for i in found
        ]
        return sorted(out, key=lambda item: item[1])


def check_keys(group: np.ndarray, slot: np.ndarray, valid: np.ndarray, n_slots: int) -> KeyCheck:
    """Duplicates and per-group slot coverage of rows where `valid` (key cells all parsed)."""
    if valid.all():
        rows, g, s = np.arange(len(group)), group, slot
    else:
        rows = np.flatnonzero(valid)
        g, s = group[rows], slot[rows]
    empty = np.zeros(0, dtype=np.int64)
    if len(rows) == 0:
        return KeyCheck(np.zeros(0, dtype=group.dtype), empty, empty, empty)
    head = np.ones(len(g), dtype=bool)
    head[1:] = g[1:] != g[:-1]
    starts = np.flatnonzero(head)
    lengths = np.diff(np.append(starts, len(g)))
    rising = np.ones(len(g), dtype=bool)
    rising[1:] = s[1:] > s[:-1]
    rising[starts] = True
    broken_runs = np.zeros(len(starts), dtype=bool)
    broken_runs[np.searchsorted(starts, np.flatnonzero(~rising), side="right") - 1] = True
    heads = g[starts]
    unique_heads, counts = np.unique(heads, return_counts=True)
    dirty = np.union1d(unique_heads[counts > 1], heads[broken_runs])
    clean = ~np.isin(heads, dirty) if len(dirty) else np.ones(len(heads), dtype=bool)
    result = KeyCheck(heads[clean], rows[starts[clean]], lengths[clean], lengths[clean])
    for run in np.flatnonzero(clean & (lengths != n_slots)):
        start, length = int(starts[run]), int(lengths[run])
        result.missing[int(heads[run])] = _missing(s[start : start + length], n_slots)
    if len(dirty):
        # The rows of the dirty groups are the runs whose head is dirty: found per run, not per row.
        runs = np.flatnonzero(~clean)
        pick = np.repeat(starts[runs] - np.cumsum(np.append(0, lengths[runs][:-1])), lengths[runs])
        pick += np.arange(len(pick))
        _dirty(g, s, rows, pick, n_slots, result)
    return result


def _missing(present: np.ndarray, n_slots: int) -> list[int]:
    mask = np.ones(n_slots, dtype=bool)
    mask[present[(present >= 0) & (present < n_slots)]] = False
    return np.flatnonzero(mask).tolist()


def _dirty(g: np.ndarray, s: np.ndarray, rows: np.ndarray, pick: np.ndarray, n_slots: int, result: KeyCheck) -> None:
    """Groups that are split or out of order (their positions in `g` are `pick`): sort just their rows by
    (group, slot, row)."""
    dg, ds, dr = g[pick], s[pick], rows[pick]
    order = np.lexsort((dr, ds, dg))
    dg, ds, dr = dg[order], ds[order], dr[order]
    same = np.zeros(len(dg), dtype=bool)
    same[1:] = (dg[1:] == dg[:-1]) & (ds[1:] == ds[:-1])
    first_of_key = np.maximum.accumulate(np.where(~same, np.arange(len(dg)), 0))
    for position in np.flatnonzero(same):
        result.duplicates.append((int(dr[position]), int(dr[first_of_key[position]])))
    bounds = np.flatnonzero(np.concatenate(([True], dg[1:] != dg[:-1])))
    extra: dict[str, list[int]] = {"group": [], "first_row": [], "rows": [], "slots": []}
    for start, end in zip(bounds, np.append(bounds[1:], len(dg)), strict=True):
        slots = ds[start:end][~same[start:end]]
        key = dg[start]
        extra["group"].append(key)
        extra["first_row"].append(dr[start:end].min())
        extra["rows"].append(end - start)
        extra["slots"].append(len(slots))
        if len(slots) < n_slots:
            result.missing[int(key)] = _missing(slots, n_slots)
    result.group = np.concatenate((result.group, np.array(extra["group"], dtype=g.dtype)))
    for name in ("first_row", "rows", "slots"):
        setattr(result, name, np.concatenate((getattr(result, name), np.array(extra[name], dtype=np.int64))))
    result.duplicates.sort()
