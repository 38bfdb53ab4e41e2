"""Expectations declared in rules.yaml (`expect:`), run by great-expectations for every profile.

A rule's `expect` names a great-expectations expectation and its arguments, the table and rows it is about,
and how its result fills the message:

    expect:
      suite: recorded-costs            # the suite it belongs to: one batch, one page of the Data Docs
      table: costs
      rows: "basis = 'recorded'"       # SQL over each row: the rows the expectation is about (default: all)
      expectation: ExpectColumnSumToBeBetween
      arguments: {column: amount_usd, min_value: {sql: ":total_recorded_usd[0]"}, max_value: {sql: ...}}
      field: amount_usd                # the column the finding names
      params: {value: {result: observed_value, format: usd}, low: {sql: ":total_recorded_usd[0]", format: usd}}

An argument written `{sql: ...}` is a SQL expression over the filing's context (a threshold by its name, `1 -
:delayed_milestone_share_max`), evaluated to one value; any other argument is passed as written. `per_row:
true` gives a finding for each row the expectation names as unexpected, at its line, with `params` as SQL over
that row; otherwise one finding for the table, with `params` from the expectation's result (`result:`) or the
context (`sql:`). `skip_empty: true` leaves the expectation out when no row is about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from gridmod.errors import SetupError
from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.spec import FORMATS, Profile, Rule
from gridmod.validate.gx import Suites
from gridmod.validate.sql import to_dialect


def skipped(checks: str) -> str:
    """The note for a run without the expectations phase, true wherever it is read: `gridmod validate --quick`,
    `gridmod render`, the preview of `gridmod serve`."""
    return (
        f"Expectations phase skipped: {checks} run in `gridmod validate` without --quick, in `gridmod build` "
        "and in `gridmod serve --full`."
    )


@dataclass(frozen=True)
class Declared:
    rule: Rule
    spec: dict[str, Any]


def declared(profile: Profile) -> list[Declared]:
    """The profile's declared expectations, in the order of their codes."""
    return [Declared(rule, dict(rule.expect)) for rule in profile.rules.values() if rule.expect and not rule.retired]


def _scalar(argument: Any, values: dict[str, Any], where: str) -> Any:
    """An argument as written, or for `{sql: ...}` the one value of that SQL over the filing's context."""
    if not (isinstance(argument, dict) and set(argument) == {"sql"}):
        return argument
    try:
        return pl.select(pl.sql_expr(to_dialect(str(argument["sql"]), values, "polars", where=where)).alias("v"))[
            "v"
        ].item()
    except pl.exceptions.PolarsError as exc:
        raise SetupError(
            f"{where}: the SQL {argument['sql']!r} in rules.yaml cannot be read: {str(exc).splitlines()[0]}"
        ) from exc


def _rows(frame: pl.DataFrame, spec: dict[str, Any], values: dict[str, Any], where: str) -> pl.DataFrame:
    if not spec.get("rows"):
        return frame
    return frame.filter(pl.sql_expr(to_dialect(spec["rows"], values, "polars", where=where)).fill_null(False))


def _format(spec: dict[str, Any], value: Any) -> Any:
    return FORMATS[spec["format"]](value) if "format" in spec else value


def run_declared(
    filing: Filing, profile: Profile, frames: dict[str, pl.DataFrame], suites: Suites, values: dict[str, Any]
) -> list[Finding]:
    """Run every declared expectation on the tables in `frames`, a suite at a time; their findings."""
    import great_expectations.expectations as gxe

    groups: dict[str, list[Declared]] = {}
    for item in declared(profile):
        if item.spec["table"] in frames:
            groups.setdefault(item.spec.get("suite", item.rule.code.lower()), []).append(item)
    findings: list[Finding] = []
    for suite, items in groups.items():
        where = f"Rule {items[0].rule.code}"
        frame = _rows(frames[items[0].spec["table"]], items[0].spec, values, where)
        if any(
            i.spec["table"] != items[0].spec["table"] or i.spec.get("rows") != items[0].spec.get("rows") for i in items
        ):
            raise SetupError(
                f"The expectations of suite {suite} in rules.yaml are about different rows; give each its own suite."
            )
        unknown = [i.spec["expectation"] for i in items if not hasattr(gxe, i.spec["expectation"])]
        if unknown:
            raise SetupError(f"{where}: great-expectations has no expectation {unknown[0]} (rules.yaml).")
        kept = [i for i in items if not (i.spec.get("skip_empty") and frame.is_empty())]
        if not kept:
            continue
        expectations = [
            getattr(gxe, i.spec["expectation"])(
                **{k: _scalar(v, values, f"Rule {i.rule.code}") for k, v in i.spec.get("arguments", {}).items()},
                meta={"rule": i.rule.code},
            )
            for i in kept
        ]
        complete = any(i.spec.get("per_row") for i in kept)
        results = suites.run(suite, frame, expectations, "COMPLETE" if complete else "SUMMARY")
        for item, result in zip(kept, results, strict=True):
            if not result.success:
                findings += _findings(filing, profile, item, result, frame, values)
    return findings


def _findings(
    filing: Filing, profile: Profile, item: Declared, result: Any, frame: pl.DataFrame, values: dict[str, Any]
) -> list[Finding]:
    spec, rule = item.spec, item.rule
    path = filing.rel_path(profile.table_path(spec["table"]))
    where = f"Rule {rule.code}"
    params = spec.get("params", {})
    field = str(spec["field"])
    if not spec.get("per_row"):
        filled = {
            name: _format(
                p, result.result.get(p["result"]) if "result" in p else _scalar({"sql": p["sql"]}, values, where)
            )
            for name, p in params.items()
        }
        return [rule.finding(path, field=field, **filled)]
    columns = [f["name"] for f in profile.schemas[spec["table"]]["fields"]]
    picked = frame[[int(i) for i in result.result.get("unexpected_index_list") or []]]
    # with_columns, not select: a parameter that is a context value alone is still one value per row.
    computed = picked.with_columns(
        **{f"param:{name}": pl.sql_expr(to_dialect(str(p["sql"]), values, where=where)) for name, p in params.items()}
    )
    out = []
    for row in computed.iter_rows(named=True):
        filled = {name: _format(p, row[f"param:{name}"]) for name, p in params.items()}
        value = filled.pop("value", row.get(field))
        out.append(
            rule.finding(
                path,
                line=row["_line"],
                column=columns.index(field) + 1,
                field=field,
                value=value,
                key="/".join(str(row[k]) for k in spec.get("key", [])),
                **filled,
            )
        )
    return out
