"""Structure phase, part 1b: one pass over each small table and narrative before frictionless reads it.

It enforces the profile's limits (rows, cell size) so hostile input cannot exhaust the later checks, and
warns about text that is invisible or that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import re

from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.spec import Profile

# C0/C1 controls except tab, line feed and carriage return; bidirectional overrides and isolates.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA = re.compile(r"^(?:[=+@\t\r]|-.*[=+|!(])", re.S)


def describe(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(chars))


def check_cells(filing: Filing, profile: Profile, tables: list[str]) -> tuple[list[Finding], set[str]]:
    """Findings on limits and suspicious text of the given tables; tables too large for later phases."""
    findings: list[Finding] = []
    broken: set[str] = set()
    limits = profile.limits
    max_rows, max_cell = limits.get("max_rows"), limits.get("max_cell_chars")
    csv.field_size_limit(2**31 - 1)
    for name in tables:
        path = filing.resources[name]["path"]
        where = filing.rel_path(path)
        fields = profile.schemas[name]["fields"]
        text_columns = {i for i, f in enumerate(fields) if f.get("type", "string") == "string"}
        text = (filing.folder / path).read_bytes().decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""))
        rows, line = 0, 1
        try:
            for number, cells in enumerate(reader):
                start, line = line, reader.line_num + 1
                if number == 0 or not any(cells):
                    continue
                rows += 1
                if max_rows and rows > max_rows:
                    findings.append(profile.structure_rule("E027").finding(
                        where, line=start, resource=path, limit=max_rows))
                    broken.add(name)
                    break
                findings += _cells(profile, where, start, cells, fields, text_columns, max_cell, broken, name)
        except csv.Error as exc:
            findings.append(profile.structure_rule("E017").finding(
                where, line=line, resource=path, variant="unreadable", reason=exc))
            broken.add(name)
            continue
        if rows == 0 and name not in broken and next(
                (t for t in profile.tables if t["name"] == name), {}).get("min_rows"):
            findings.append(profile.structure_rule("E026").finding(
                where, line=1, resource=path, description=profile.schemas[name].get("description", "")))
            broken.add(name)
    return findings, broken


def _cells(profile: Profile, where: str, line: int, cells: list[str], fields: list[dict], text_columns: set[int],
           max_cell: int | None, broken: set[str], name: str) -> list[Finding]:
    out = []
    for column, cell in enumerate(cells):
        field = fields[column]["name"] if column < len(fields) else None
        if max_cell and len(cell) > max_cell:
            out.append(profile.structure_rule("E028").finding(
                where, line=line, column=column + 1, field=field, value=len(cell), limit=max_cell))
            broken.add(name)
            continue
        invisible = _INVISIBLE.findall(cell)
        if invisible:
            out.append(profile.structure_rule("W029").finding(
                where, line=line, column=column + 1, field=field, value=describe(invisible)))
        if column in text_columns and _FORMULA.match(cell):
            out.append(profile.structure_rule("W030").finding(
                where, line=line, column=column + 1, field=field, value=cell))
    return out


def check_narrative_text(filing: Filing, profile: Profile, names: list[str]) -> list[Finding]:
    """Invisible characters in Markdown narratives, at the line they are on."""
    findings = []
    for name in names:
        path = filing.resources[name]["path"]
        text = (filing.folder / path).read_text(encoding="utf-8-sig")
        # Editors count only line feeds as line breaks; str.splitlines would also break at \x0c or \u2028.
        for number, line in enumerate(text.split("\n"), 1):
            invisible = _INVISIBLE.findall(line)
            if invisible:
                findings.append(profile.structure_rule("W029").finding(
                    filing.rel_path(path), line=number, field="text", value=describe(invisible)))
    return findings
