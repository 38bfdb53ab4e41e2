"""Table Schema fields as polars expressions: a lenient cast per field and one check per constraint.

The Table Schema in validation/ is the only place a column's rules are written down; this module turns each
field's type and constraints into expressions over the raw text of a cell, so a large table can be checked
in one lazy pass. Casts never fail: a cell that does not parse becomes null in the typed column and a
finding of its own, and every other check still runs on the rest of the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

# Structure rules each constraint reports under (same numbers in every profile, see gridmod.spec).
RULE_NUMBERS = {
    "required": "E011",
    "type": "E010",
    "enum": "E012",
    "pattern": "E013",
    "minimum": "E014",
    "maximum": "E014",
    "minLength": "E014",
    "maxLength": "E014",
}
FOLDER = "folder"  # not a Table Schema constraint: a dataset part's cell against its folder's name (E064)
DATE_FORM = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True)
class CellCheck:
    """One constraint of one field: `fails` is true on the rows whose cell breaks it."""

    flag: str  # name of the boolean column the pass outputs
    field: str
    column: int | None  # 1-based, in the file; None for a field a dataset part's folder name gives
    constraint: str  # "required", "type", "enum", ... as in the Table Schema
    rule: str  # a structure number ("E012") or a full code from the field's "rules" override
    fails: pl.Expr
    spec: dict[str, Any]
    folder: str | None = None  # "folder": the value the part's folder name gives the field


def folder_value(field: dict[str, Any], folder: str) -> Any:
    """The value a `column=value` folder name gives a field, in the field's type; the text itself where it does
    not parse as that type (the cells of parts that leave the column out are checked as that text)."""
    kind = field.get("type", "string")
    try:
        if kind == "integer":
            return int(folder)
        if kind == "number":
            return float(folder)
        if kind == "date":
            return date.fromisoformat(folder) if re.fullmatch(DATE_FORM[1:-1], folder) else folder
        if kind == "boolean":
            return {"true": True, "false": False}.get(folder, folder)
    except ValueError:
        return folder
    return folder


def typed(field: dict[str, Any], dtype: PolarsDataType) -> pl.Expr:
    """The field's value in its schema type; null where the cell is empty or does not parse.

    `dtype` is the column's type in the file: text for CSV, possibly already typed in Parquet.
    """
    col = pl.col(field["name"])
    kind = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    if kind == "string":
        text = col if dtype == pl.String else col.cast(pl.String)
        return text.cast(pl.Enum(enum), strict=False) if enum else text
    if kind == "integer":
        return col if dtype.is_integer() else _text(col, dtype).cast(pl.Int64, strict=False)
    if kind == "number":
        value = col.cast(pl.Float64) if dtype.is_numeric() else _text(col, dtype).cast(pl.Float64, strict=False)
        # NaN and infinity parse as numbers but are no value a filer means.
        return pl.when(value.is_finite()).then(value)
    if kind == "date":
        if dtype == pl.Date:
            return col
        text = _text(col, dtype)
        return pl.when(text.str.contains(DATE_FORM)).then(text.str.to_date("%Y-%m-%d", strict=False))
    if kind == "boolean":
        if dtype == pl.Boolean:
            return col
        text = _text(col, dtype)
        return pl.when(text == "true").then(True).when(text == "false").then(False)
    raise ValueError(f"Table Schema type {kind!r} is not supported for large tables")


def _text(col: pl.Expr, dtype: PolarsDataType) -> pl.Expr:
    return col if dtype == pl.String else col.cast(pl.String)


def field_checks(
    field: dict[str, Any],
    column: int | None,
    dtype: PolarsDataType,
    value: pl.Expr | None = None,
    folder: str | None = None,
) -> list[CellCheck]:
    """Every check of one field, in the order a filer should fix them (empty, type, then constraints).

    `value` is the typed cell, when the caller has already computed it once (see `typed`). `folder` is the
    value the part's folder name gives a field the part also holds itself: a cell with another value is E064.
    """
    name = field["name"]
    raw = pl.col(name)
    value = typed(field, dtype) if value is None else value
    kind = field.get("type", "string")
    constraints = field.get("constraints", {})
    overrides = field.get("rules", {})
    text = _text(raw, dtype)
    checks: list[tuple[str, pl.Expr]] = []
    if constraints.get("required"):
        checks.append(("required", raw.is_null()))
    if kind != "string":
        checks.append(("type", raw.is_not_null() & value.is_null()))
    if "enum" in constraints:
        checks.append(("enum", raw.is_not_null() & value.is_null()))
    if "pattern" in constraints:
        checks.append(("pattern", ~text.str.contains(f"^(?:{constraints['pattern']})$")))
    if "minimum" in constraints:
        checks.append(("minimum", value < constraints["minimum"]))
    if "maximum" in constraints:
        checks.append(("maximum", value > constraints["maximum"]))
    if "minLength" in constraints:
        checks.append(("minLength", text.str.len_chars() < constraints["minLength"]))
    if "maxLength" in constraints:
        checks.append(("maxLength", text.str.len_chars() > constraints["maxLength"]))
    if folder is not None:
        given = folder_value(field, folder)
        same = text == folder if kind == "string" or isinstance(given, str) else value == given
        checks.append((FOLDER, raw.is_not_null() & ~same))
    return [
        CellCheck(
            flag=f"{name}:{constraint}",
            field=name,
            column=column,
            constraint=constraint,
            rule=overrides.get(constraint) or ("E064" if constraint == FOLDER else RULE_NUMBERS[constraint]),
            fails=expr.fill_null(False),
            spec=field,
            folder=folder if constraint == FOLDER else None,
        )
        for constraint, expr in checks
    ]


def schema_checks(schema: dict[str, Any], dtypes: dict[str, PolarsDataType]) -> list[CellCheck]:
    checks: list[CellCheck] = []
    for column, field in enumerate(schema["fields"], start=1):
        checks += field_checks(field, column, dtypes.get(field["name"], pl.String))
    return checks
