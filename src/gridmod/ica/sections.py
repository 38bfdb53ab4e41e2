"""The line sections (line_sections.parquet, profile 1.1 on): one row per section of the results, with its route.

The validation stage's streaming pass has checked every cell but the geometry (gridmod.validate.large); here
come the key (each section once), the foreign key to the results (feeder and section IDs are coded alike in
both tables, so it compares integers) and the geometry checks (gridmod.ica.geometry).
"""

from __future__ import annotations

import numpy as np

from gridmod.ica.context import IcaContext
from gridmod.ica.geometry import check_geometry
from gridmod.ica.results import Results, section_keys, section_set
from gridmod.ica.spec import column_of
from gridmod.validate.large import LargeTables
from gridmod.validate.large.keys import check_keys
from gridmod.validate.large.stream import Capped, Scan

KEY = ["feeder_id", "section_id"]


def check_line_sections(ctx: IcaContext, large: LargeTables, results: Results | None, out: Capped) -> list[str]:
    """Key, foreign-key and geometry findings of the line sections into `out`; the notes of what was not checked."""
    scan = large.scans.get("line_sections")
    if scan is None:
        return []
    notes = check_section_keys(ctx, scan, results, out)
    return notes + check_geometry(ctx, out).notes


def check_section_keys(ctx: IcaContext, scan: Scan, results: Results | None, out: Capped) -> list[str]:
    """E015 for a section listed twice, E016 for a section the results do not have (when they are clean)."""
    group, present = section_keys(scan)
    keys = check_keys(group, np.zeros(len(group), dtype=np.int16), present, 1)
    name = scan.path.rsplit("/", 1)[-1]
    e015 = ctx.profile.structure_rule("E015")
    for row, earlier in keys.duplicates:
        out.add(
            e015.finding(
                scan.path,
                line=scan.line(row),
                column=1,
                field="feeder_id",
                value=", ".join(scan.cell(row, k) or "" for k in KEY),
                key_fields=", ".join(KEY),
                resource=name,
                variant="first_on_line",
                first=scan.line(earlier),
            )
        )
    if results is None or not results.clean:
        return [
            f"The line sections were not matched with the results ({ctx.file_name('results')} has errors "
            "or is missing)."
        ]
    e016 = ctx.profile.structure_rule("E016")
    column = column_of(ctx.profile, "line_sections", "section_id")
    for row in np.flatnonzero(present & ~np.isin(group, section_set(results))).tolist():
        out.add(
            e016.finding(
                scan.path,
                line=scan.line(row),
                column=column,
                field="section_id",
                value=scan.cell(row, "section_id"),
                key=scan.key(row, KEY),
                target=f"{ctx.file_name('results')} (feeder {scan.cell(row, 'feeder_id')})",
            )
        )
    return []
