"""Content phase, row rules: the SQL row checks that a profile's rules.yaml declares, run by pandera on polars.

Every rule with `checks:` says, in SQL, what must hold on each row of a table (gridmod.spec.RowCheck,
gridmod.validate.sql). This module is the one runner for every profile: pandera (polars backend) runs all of a
table's checks lazily and returns every failing row; the rule's `params`, SQL over the failing rows, fill its
message, and each failing row becomes a finding at its line. No rule's logic is here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from gridmod.errors import SetupError
from gridmod.findings import Finding
from gridmod.spec import FORMATS, Profile, RowCheck, Rule
from gridmod.validate.sql import context_values, to_dialect

c = pl.col


@dataclass(frozen=True)
class Context:
    filing_date: date
    period_start: date
    period_end: date
    thresholds: dict[str, Any]
    utility: str = ""

    @property
    def values(self) -> dict[str, Any]:
        """What a check's `:name` may name."""
        return context_values(self.filing_date, self.period_start, self.period_end, self.thresholds, self.utility)


@dataclass(frozen=True)
class Where:
    """Where a table's findings point: its file (relative to the repository) and its columns in order."""

    path: str
    columns: list[str]


def row_checks(profile: Profile, table: str) -> list[tuple[Rule, RowCheck]]:
    """The row checks of `table` in the profile's catalogue, in the order of their codes."""
    return [
        (rule, check)
        for rule in profile.rules.values()
        if not rule.retired
        for check in rule.checks
        if check.table == table
    ]


def _expression(rule: Rule, text: str, values: dict[str, Any]) -> pl.Expr:
    try:
        return pl.sql_expr(to_dialect(text, values, "polars", where=f"Rule {rule.code}"))
    except pl.exceptions.PolarsError as exc:
        raise SetupError(
            f"Rule {rule.code}'s SQL in rules.yaml cannot be read ({text!r}): {str(exc).splitlines()[0]}"
        ) from exc


def failing_rows(
    frame: pl.DataFrame, checks: list[tuple[Rule, RowCheck]], ctx: Context
) -> list[tuple[Rule, RowCheck, int]]:
    """Run the checks of one table with pandera; every failing row (its index in `frame`) with its check."""
    import pandera.polars as pa

    if frame.is_empty() or not checks:
        return []
    values = ctx.values
    expressions = [_expression(rule, check.check, values).fill_null(True) for rule, check in checks]
    schema = pa.DataFrameSchema(
        checks=[
            pa.Check(lambda data, expr=expr: data.lazyframe.select(expr), name=rule.code)
            for (rule, _), expr in zip(checks, expressions, strict=True)
        ]
    )
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    out = []
    for number, index, case in cases.select("check_number", "index", "failure_case").iter_rows():
        if index is None:
            # pandera reports a check that raised as a failure without a row: the rule's SQL names what the
            # table does not have. Hiding it would silently skip the rule.
            code, table = (checks[number][0].code, checks[number][1].table) if number is not None else ("?", "?")
            raise SetupError(
                f"Rule {code}'s check in rules.yaml cannot run on table {table}: {str(case).splitlines()[0]}"
            )
        out.append((*checks[number], int(index)))
    return out


def _show(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _params(rule: Rule, check: RowCheck, rows: pl.DataFrame, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The message parameters of each failing row, computed from the rule's `params` SQL."""
    if not check.params:
        return [{} for _ in range(rows.height)]
    specs = {name: spec if isinstance(spec, dict) else {"sql": spec} for name, spec in check.params.items()}
    # with_columns, not select: a parameter that is a context value alone must still be one value per row.
    columns = {f"param:{name}": _expression(rule, str(spec["sql"]), values) for name, spec in specs.items()}
    try:
        computed = rows.with_columns(**columns).select([pl.col(f"param:{name}").alias(name) for name in specs])
    except pl.exceptions.PolarsError as exc:
        raise SetupError(
            f"Rule {rule.code}'s message params in rules.yaml cannot be computed: {str(exc).splitlines()[0]}"
        ) from exc
    out = []
    for row in computed.iter_rows(named=True):
        out.append(
            {
                name: FORMATS[specs[name]["format"]](value)
                if "format" in specs[name] and value is not None
                else _show(value)
                for name, value in row.items()
            }
        )
    return out


def check_row_rules(
    profile: Profile, frames: dict[str, pl.DataFrame], ctx: Context, where: Callable[[str], Where]
) -> list[Finding]:
    """Findings of every row check of the profile on the tables in `frames` (`where` names a table's file)."""
    values = ctx.values
    findings = []
    for table, frame in frames.items():
        failing = failing_rows(frame, row_checks(profile, table), ctx)
        if not failing:
            continue
        place = where(table)
        groups: dict[tuple[str, int], list[int]] = {}
        checks: dict[tuple[str, int], tuple[Rule, RowCheck]] = {}
        for rule, check, index in failing:
            ident = (rule.code, rule.checks.index(check))
            groups.setdefault(ident, []).append(index)
            checks[ident] = (rule, check)
        for ident, indices in groups.items():
            rule, check = checks[ident]
            rows = frame[indices]
            for row, params in zip(rows.iter_rows(named=True), _params(rule, check, rows, values), strict=True):
                value = params.pop("value", _show(row.get(check.field)))
                findings.append(
                    rule.finding(
                        place.path,
                        line=row["_line"],
                        column=place.columns.index(check.field) + 1,
                        field=check.field,
                        value=value,
                        key="/".join(str(_show(row[k])) for k in check.key),
                        **params,
                    )
                )
    return findings
