"""Structure phase, confidential items: the declaration, what is withheld and the encrypted part.

A withheld item must be empty in the public part (a cell empty, a table its header line only, a section its
heading only: anything else is in clear for everyone, rule E049), and every withheld item must be declared
with a legal basis, a reason and who may see it, on something the profile makes eligible (E048); withheld
values travel only as an age file (E055). The empty cells of declared items are not "required value
missing" (check_tables is told which they are), and a withheld section is not an uncovered element (the
content phase is told which they are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridmod.confidential import (
    AGE_HEADER,
    COLUMNS,
    DECLARATION,
    DECLARATION_PATH,
    VALUES,
    VALUES_PATH,
    ConfidentialError,
    Eligibility,
    Item,
    declaration_digest,
    exchange,
    is_withheld_form,
    opens_with,
    read_declaration,
    row_keys,
    sample_identity,
)
from gridmod.filing import DESCRIPTOR, Filing
from gridmod.findings import Finding
from gridmod.narrative import sections_named, sections_of
from gridmod.spec import Profile
from gridmod.tables import header_of, other_separator

MIN_JUSTIFICATION = 20


@dataclass
class Withheld:
    findings: list[Finding] = field(default_factory=list)
    cells: set[tuple[str, int, str]] = field(default_factory=set)  # (table, line, field) left empty on purpose
    sections: set[tuple[str, str]] = field(default_factory=set)  # (narrative resource, element id) withheld
    items: list[Item] = field(default_factory=list)
    # When the declaration cannot be read: the fields the profile lets a filer withhold (table -> fields), whose
    # empty cells may be withheld values; they are not called missing (E011 would ask for the value in clear).
    undecided: dict[str, set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def check_confidential(filing: Filing, profile: Profile, usable: set[str]) -> Withheld:
    """`usable`: the resources whose files passed the descriptor's checks (safe to read)."""
    out = Withheld()
    eligible = Eligibility.of(profile.meta)
    if eligible is None:
        return out
    e055 = profile.structure_rule("E055")
    if filing.meta.get("edition") is not None and filing.rel.startswith("data/"):
        out.findings.append(
            e055.finding(filing.rel_path(DESCRIPTOR), line=1, file=DESCRIPTOR, field="edition", variant="edition")
        )
    declared, sealed = DECLARATION in filing.resources, VALUES in filing.resources
    if not declared:
        if sealed:
            out.findings.append(
                e055.finding(
                    filing.rel_path(DESCRIPTOR), line=1, value=VALUES_PATH, file=VALUES_PATH, variant="no_declaration"
                )
            )
        return out
    if DECLARATION not in usable:
        return out
    path = filing.rel_path(DECLARATION_PATH)
    separator = other_separator(header_of(filing.file(DECLARATION)), len(COLUMNS))
    if separator and "E063" in profile.structure_numbers:
        out.findings.append(
            profile.structure_rule("E063").finding(
                path, line=1, column=1, resource=DECLARATION_PATH, separator=separator
            )
        )
        _undecided(out, eligible)
        return out
    items, problems = read_declaration(filing.file(DECLARATION))
    if problems and not items:
        _undecided(out, eligible)
    e048 = profile.structure_rule("E048")
    out.findings += [
        e048.finding(path, line=line, variant="unreadable", problem=problem, item=f"on line {line}")
        for line, problem in problems
    ]
    seen: set[str] = set()
    for item in items:
        problem = _problem(item, eligible, seen)
        seen.add(item.item_id)
        if problem is not None:
            variant, params = problem
            out.findings.append(
                e048.finding(
                    path,
                    line=item.line,
                    value=item.item_id,
                    variant=variant,
                    item=item.item_id or "(no item_id)",
                    **params,
                )
            )
            continue
        _check_item(filing, profile, eligible, item, usable, out, path)
    if out.items and not sealed:
        out.findings.append(
            e055.finding(path, line=1, value=VALUES_PATH, file=VALUES_PATH, variant="no_values", count=len(out.items))
        )
    if sealed and VALUES in usable:
        _check_sealed(filing, profile, out)
    return out


def _undecided(out: Withheld, eligible: Eligibility) -> None:
    out.undecided = {table: set(fields) for table, fields in eligible.fields.items()}
    listed = ", ".join(f"{t}.{f}" for t, fields in sorted(out.undecided.items()) for f in sorted(fields))
    out.notes.append(
        f"Empty cells of {listed} not called missing: {DECLARATION_PATH} cannot be read, so they may be "
        "values withheld as confidential."
    )


def _check_sealed(filing: Filing, profile: Profile, out: Withheld) -> None:
    """The encrypted part is age, sealed with the declaration as it is, and (for a real filing) not to the
    public test key."""
    e055 = profile.structure_rule("E055")
    where = filing.rel_path(VALUES_PATH)
    data = filing.file(VALUES).read_bytes()
    if not data.startswith(AGE_HEADER):
        out.findings.append(e055.finding(where, line=1, value=VALUES_PATH, file=VALUES_PATH, variant="not_age"))
        return
    recorded = filing.resources[VALUES].get("declaration_hash")
    if DECLARATION in filing.resources and recorded != declaration_digest(filing.file(DECLARATION)):
        out.findings.append(e055.finding(where, line=1, value=VALUES_PATH, file=VALUES_PATH, variant="stale"))
    test = sample_identity(filing.root)
    if not filing.is_sample and test is not None and opens_with(data, test):
        out.findings.append(e055.finding(where, line=1, value=VALUES_PATH, file=VALUES_PATH, variant="test_key"))


def _problem(item: Item, eligible: Eligibility, seen: set[str]) -> tuple[str, dict[str, Any]] | None:
    if not item.item_id or item.item_id in seen:
        return "duplicate_id", {}
    if eligible.kind(item) is None:
        return "not_eligible", {"place": f"{item.resource},{item.key},{item.field}", "eligible": eligible.listed()}
    if item.legal_basis not in eligible.legal_bases:
        return "legal_basis", {"given": repr(item.legal_basis), "allowed": ", ".join(sorted(eligible.legal_bases))}
    if len(item.justification) < MIN_JUSTIFICATION:
        return "justification", {"minimum": MIN_JUSTIFICATION}
    if not item.access:
        return "access", {}
    return None


def _check_item(
    filing: Filing, profile: Profile, eligible: Eligibility, item: Item, usable: set[str], out: Withheld, path: str
) -> None:
    kind = eligible.kind(item)
    if item.resource not in usable:
        return  # the descriptor's own findings say why the file cannot be read (or that it is missing)
    if kind == "cell":
        _check_cell(filing, profile, item, out, path)
        return
    where = filing.rel_path(eligible.path(item, profile))
    try:
        held, _ = exchange(filing.folder, profile, eligible, [item], path)
    except ConfidentialError:
        if kind == "table":
            return  # the table's own findings (E017, E018) say why it does not read
        heading = eligible.sections.get(item.key, "")
        out.findings.append(
            profile.structure_rule("E048").finding(
                path,
                line=item.line,
                value=item.item_id,
                item=item.item_id,
                variant="no_section",
                heading=heading,
                file=eligible.path(item, profile),
            )
        )
        return
    out.items.append(item)
    if not is_withheld_form(str(kind), held[item.item_id]):
        rule = profile.structure_rule("E049")
        if kind == "table":
            rows = sum(1 for line in held[item.item_id].split("\n")[1:] if line.strip())
            out.findings.append(
                rule.finding(
                    where,
                    line=2,
                    variant="table",
                    item=item.item_id,
                    folder=filing.rel,
                    file=eligible.path(item, profile),
                    rows=rows,
                )
            )
        else:
            heading = eligible.sections[item.key]
            _, sections = sections_of(filing.file(item.resource).read_text(encoding="utf-8-sig"))
            out.findings.append(
                rule.finding(
                    where,
                    line=sections_named(sections, heading)[0].line,
                    variant="section",
                    item=item.item_id,
                    folder=filing.rel,
                    heading=heading,
                    file=eligible.path(item, profile),
                )
            )
        return
    if kind == "section":
        out.sections.add((item.resource, item.key))


def _check_cell(filing: Filing, profile: Profile, item: Item, out: Withheld, path: str) -> None:
    schema = profile.schemas[item.resource]
    try:
        header, rows = row_keys(filing.file(item.resource), list(schema.get("primaryKey", [])))
    except ConfidentialError:
        return  # the table's own findings (E017, E018) say why it does not read
    if item.field not in header:
        return  # E009 names the missing column
    found = rows.get(item.key)
    if found is None:
        out.findings.append(
            profile.structure_rule("E048").finding(
                path,
                line=item.line,
                value=item.item_id,
                item=item.item_id,
                variant="no_row",
                key=item.key,
                table=profile.table_path(item.resource),
            )
        )
        return
    line, cells = found
    column = header.index(item.field)
    out.items.append(item)
    if column < len(cells) and cells[column].strip():
        out.findings.append(
            profile.structure_rule("E049").finding(
                filing.rel_path(profile.table_path(item.resource)),
                line=line,
                column=column + 1,
                field=item.field,
                key=item.key,
                item=item.item_id,
                folder=filing.rel,
                variant="cell",
            )
        )
        return
    out.cells.add((item.resource, line, item.field))
