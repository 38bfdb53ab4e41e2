"""Compare two filings of one utility and profile: what a reviewer asks first about a new filing.

`compare_filings` asks the profile's engine (gridmod.engines, its `compare`) for the comparison: an Appendix A
filing gives a `FilingDiff` (activities, milestones, costs, narrative), an ICA filing a gridmod.diff.ica
`IcaDiff` (remediation, issues, metrics, network, hosting capacity). gridmod.diff.formats turns either into
Markdown or JSON and the site shows it as a page. Nothing here validates: the filings are read as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gridmod.diff.load import DiffError, NotComparable, check_comparable, load_side, open_side
from gridmod.diff.model import FilingDiff
from gridmod.diff.tables import (
    activity_costs,
    compare_activities,
    compare_costs,
    compare_milestones,
    cost_totals,
    whole_years,
)
from gridmod.diff.words import compare_file
from gridmod.engines import engine_of
from gridmod.previous import find_previous, previous_folder

__all__ = ["DiffError", "FilingDiff", "NotComparable", "compare_filings", "find_previous", "previous_folder"]


def compare_filings(old_folder: Path, new_folder: Path, root: Path) -> Any:
    """The comparison the new filing's engine makes; NotComparable when its engine compares no filings."""
    filing, profile, _ = open_side(new_folder, root)
    engine = engine_of(profile)
    if not engine.compare:
        raise NotComparable(
            f"{filing.rel} follows profile {profile.name} {profile.version}; gridmod diff does not compare "
            f"filings of its engine ({engine.name})."
        )
    return engine.part("compare")(old_folder, new_folder, root)


def compare_appendix_a(old_folder: Path, new_folder: Path, root: Path) -> FilingDiff:
    """Activities, milestones, costs and narrative of two Appendix A filings."""
    old, new = load_side(old_folder, root), load_side(new_folder, root)
    check_comparable(old.side, new.side)
    t0, t1 = old.tables, new.tables
    diff = FilingDiff(
        old=old.side,
        new=new.side,
        activities=compare_activities(t0["activities"], t1["activities"]),
        milestones=compare_milestones(t0["milestones"], t1["milestones"]),
        costs=compare_costs(whole_years(t0["costs"]), whole_years(t1["costs"])),
        activity_costs=activity_costs(whole_years(t0["costs"]), whole_years(t1["costs"])),
        totals=cost_totals(whole_years(t0["costs"]), whole_years(t1["costs"])),
    )
    for side in (old, new):
        for table, lines in side.skipped.items():
            if lines:
                shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
                diff.notes.append(
                    f"{side.side.path}/{side.profile.table_path(table)}: {len(lines)} row"
                    f"{'' if len(lines) == 1 else 's'} left out of the comparison because they do "
                    f"not read (line{'' if len(lines) == 1 else 's'} {shown}); see the validation "
                    "findings."
                )
    names = list(dict.fromkeys([*new.narratives, *old.narratives]))
    for name in names:
        before, after = old.narratives.get(name), new.narratives.get(name)
        rel_old = _rel(old.filing.folder, before, old.side.path)
        rel_new = _rel(new.filing.folder, after, new.side.path)
        diff.narrative += compare_file(rel_old, rel_new, before, after)
    return diff


def _rel(folder: Path, path: Path | None, prefix: str) -> str:
    if path is None:
        return ""
    return f"{prefix}/{path.relative_to(folder.resolve()).as_posix()}"
