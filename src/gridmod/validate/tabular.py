"""Structure phase, part 2: frictionless checks headers, types, constraints and keys of the tables."""

from __future__ import annotations

import copy
import re
from typing import Any

from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.spec import Profile
from gridmod.tables import record_lines

_LABEL_ERRORS = {"missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label", "blank-header"}
_ROW_SHAPE = {"blank-row", "extra-cell", "missing-cell"}
_CELL_ERRORS = {"type-error", "constraint-error"}
_CONSTRAINT_RULES = {"required": "E011", "enum": "E012", "pattern": "E013"}
# The CSV dialect every table is filed in. Said explicitly, because frictionless otherwise guesses the
# delimiter and header row from a sample: a comma header over semicolon rows would read as a header of one
# wrong label and no row findings, instead of a finding at every row.
DIALECT = {"header": True, "headerRows": [1], "csv": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True}}
_FORMATS = {
    "date": "a date YYYY-MM-DD, e.g. 2025-03-15",
    "integer": "a whole number without separators, e.g. 2025",
    "number": "a plain number without $ or thousands separators, e.g. 12500000.00",
    "boolean": "true or false",
}


def check_tables(
    filing: Filing,
    profile: Profile,
    names: list[str],
    withheld: set[tuple[str, int, str]] | None = None,
    undecided: dict[str, set[str]] | None = None,
) -> tuple[list[Finding], set[str]]:
    """Validate the readable tables together (so foreign keys resolve); returns findings and the
    names of tables with at least one error. `withheld` are the (table, line, field) cells left empty because
    their value is confidential (gridmod.validate.confidential): their emptiness is no error; nor is that of
    the `undecided` fields (table -> fields), which may be withheld when the declaration cannot be read."""
    import frictionless

    resources = []
    for name in names:
        schema = copy.deepcopy(profile.schemas[name])
        schema["foreignKeys"] = [fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in names]
        resources.append(
            {
                "name": name,
                "path": filing.resources[name]["path"],
                "format": "csv",
                "encoding": "utf-8",
                "dialect": copy.deepcopy(DIALECT),
                "schema": schema,
            }
        )
    package = frictionless.Package({"resources": resources}, basepath=str(filing.folder))
    report = package.validate()
    findings: list[Finding] = []
    broken: set[str] = set()
    for task in report.tasks:
        name = task.name
        path = filing.resources[name]["path"]
        lines = record_lines(filing.folder / path)
        # A blank row is one finding, and so is a short one; their empty cells would otherwise repeat as many more.
        blank = {e.row_number for e in task.errors if e.type == "blank-row"}
        # Rows with a missing cell, or extra cells: the first error of each kind is the row's finding. Their
        # cells stand under the wrong columns, so a cell's type or constraint there says nothing of its own.
        shape: dict[str, set[int | None]] = {"missing-cell": set(), "extra-cell": set()}
        misshapen = {getattr(e, "row_number", None) for e in task.errors if e.type in shape}
        for error in task.errors:
            row = getattr(error, "row_number", None)
            if error.type != "blank-row" and row in blank:
                continue
            if row in misshapen and error.type in _CELL_ERRORS:
                continue
            if error.type in shape:
                if row in shape[error.type]:
                    continue
                shape[error.type].add(row)
            finding = _finding(filing, profile, name, path, lines, error)
            if finding.code.endswith("-E011") and (
                (withheld and finding.line is not None and (name, finding.line, finding.field) in withheld)
                or (undecided and finding.field in undecided.get(name, ()))
            ):
                continue
            findings.append(finding)
            if finding.severity == "error":
                broken.add(name)
    return findings, broken


_GROUP_HEAD = re.compile(r"-?\$?\d{1,3}")
_GROUP = re.compile(r"\d{3}(?:\.\d+)?")


def _thousands(cells: list[Any], fields: list[dict[str, Any]]) -> tuple[int, str] | None:
    """(0-based position, the number as typed) of a run of cells that reads as one number written with
    thousands separators (4,200,000 split into 4 | 200 | 000): it starts at a number column and accounts for
    every extra cell of the row, so the hint is given only where it explains the row."""
    texts = ["" if cell is None else str(cell) for cell in cells]
    extra = len(texts) - len(fields)
    for start in range(min(len(fields), len(texts) - extra)):
        if fields[start].get("type") not in ("number", "integer"):
            continue
        run = texts[start : start + extra + 1]
        rest = list(zip(texts[:start], fields[:start], strict=True)) + list(
            zip(texts[start + extra + 1 :], fields[start + 1 :], strict=False)
        )
        if (
            _GROUP_HEAD.fullmatch(run[0])
            and all(_GROUP.fullmatch(t) for t in run[1:])
            and all("." not in t for t in run[1:-1])
            and all(_fits(text, field) for text, field in rest)
        ):
            return start, ",".join(run)
    return None


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _fits(text: str, field: dict[str, Any]) -> bool:
    """Whether a cell could be its column's value once the number is joined (numbers must look like one)."""
    return field.get("type") not in ("number", "integer") or not text or bool(_PLAIN_NUMBER.fullmatch(text))


def _field(profile: Profile, table: str, name: str | None) -> dict[str, Any]:
    return next((f for f in profile.schemas[table]["fields"] if f["name"] == name), {})


def _finding(filing: Filing, profile: Profile, table: str, path: str, lines: dict[int, int], error: Any) -> Finding:
    where = filing.rel_path(path)
    kind = error.type
    schema = profile.schemas[table]
    header = ",".join(f["name"] for f in schema["fields"])
    if kind in _LABEL_ERRORS:
        label = getattr(error, "label", "") or "(blank)"
        variant = {
            "missing-label": "missing_column",
            "extra-label": "extra_column",
            "incorrect-label": "wrong_column",
            "duplicate-label": "duplicate_column",
            "blank-label": "blank_column",
        }.get(kind, "no_header")
        return profile.structure_rule("E009").finding(
            where,
            line=1,
            column=getattr(error, "field_number", None),
            value=label,
            resource=path,
            variant=variant,
            label=label,
            name=getattr(error, "field_name", ""),
            label_quoted=repr(label),
            name_quoted=repr(getattr(error, "field_name", "")),
            number=getattr(error, "field_number", "?"),
            expected=header,
        )
    row = getattr(error, "row_number", None)
    line = lines.get(row, row) if row else None
    column = getattr(error, "field_number", None)
    field_name = getattr(error, "field_name", None)
    spec = _field(profile, table, field_name)
    cell = getattr(error, "cell", None)
    if kind in _ROW_SHAPE:
        variant = {"blank-row": "blank_row", "extra-cell": "extra_cells", "missing-cell": "missing_cell"}[kind]
        grouped = _thousands(getattr(error, "cells", None) or [], schema["fields"]) if kind == "extra-cell" else None
        return profile.structure_rule("E017").finding(
            where,
            line=line,
            column=column if grouped is None else grouped[0] + 1,
            field=field_name,
            resource=path,
            variant="thousands" if grouped else variant,
            columns=len(schema["fields"]),
            value=grouped[1] if grouped else None,
        )
    if kind == "type-error":
        return profile.structure_rule("E010").finding(
            where,
            line=line,
            column=column,
            field=field_name,
            value=cell,
            type=spec.get("type", "value"),
            format=_FORMATS.get(spec.get("type", ""), spec.get("type", "")),
        )
    if kind == "constraint-error":
        constraint = _constraint(getattr(error, "note", ""))
        override = spec.get("rules", {}).get(constraint)
        rule = profile.rule(override) if override else profile.structure_rule(_CONSTRAINT_RULES.get(constraint, "E014"))
        constraints = spec.get("constraints", {})
        return rule.finding(
            where,
            line=line,
            column=column,
            field=field_name,
            value=cell,
            description=spec.get("description", ""),
            allowed=", ".join(map(str, constraints.get("enum", []))),
            variant=rule.constraint_variant(constraint),
            constraint=constraint,
            limit=constraints.get(constraint),
        )
    if kind in ("primary-key", "unique-error"):
        keys = schema.get("primaryKey", [])
        cells = dict(zip([f["name"] for f in schema["fields"]], getattr(error, "cells", []) or [], strict=False))
        first = re.search(r"position (\d+)", getattr(error, "note", "") or "")
        first_field = keys[0] if keys else None
        return profile.structure_rule("E015").finding(
            where,
            line=line,
            column=_column(schema, first_field),
            field=first_field,
            value=", ".join(str(cells.get(k, "")) for k in keys),
            key_fields=", ".join(keys),
            resource=path,
            variant="first_on_line" if first else "seen_before",
            first=lines.get(int(first.group(1)), first.group(1)) if first else None,
        )
    if kind == "foreign-key":
        cells = dict(zip([f["name"] for f in schema["fields"]], getattr(error, "cells", []) or [], strict=False))
        fk = next(iter(schema.get("foreignKeys", [])), None)
        fields = fk["fields"] if fk else []
        note = getattr(error, "note", "") or ""
        for candidate in schema.get("foreignKeys", []):
            if all(f'"{f}"' in note or f in note for f in candidate["fields"]):
                fk, fields = candidate, candidate["fields"]
        target = f"{fk['reference']['resource']}.csv" if fk else "the referenced table"
        return profile.structure_rule("E016").finding(
            where,
            line=line,
            column=_column(schema, fields[0] if fields else None),
            field=fields[0] if fields else None,
            value=", ".join(str(cells.get(f, "")) for f in fields),
            target=target,
        )
    if kind == "encoding-error":
        return profile.structure_rule("E018").finding(where, line=line, resource=path, detail=error.note)
    return profile.structure_rule("E017").finding(
        where,
        line=line,
        column=column,
        field=field_name,
        resource=path,
        variant="unreadable",
        reason=error.note or kind,
    )


def _constraint(note: str) -> str:
    match = re.search(r'constraint "(\w+)"', note or "")
    return match.group(1) if match else ""


def _column(schema: dict[str, Any], name: str | None) -> int | None:
    names = [f["name"] for f in schema["fields"]]
    return names.index(name) + 1 if name in names else None
