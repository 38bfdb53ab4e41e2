"""Problems of the mapper as located findings, worded by messages.yaml, at most CAP per file and problem."""

from __future__ import annotations

import re
from typing import Any

from gridmod.imports.mapper import Problem
from gridmod.imports.mapping import Mapping
from gridmod.imports.result import ImportFinding, ImportResult

CAP = 1000


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def show(value: Any) -> str:
    """A value in a message: text quoted, cut at 80 characters; numbers as they are."""
    if value is None:
        return "(empty)"
    text = str(value)
    text = text if len(text) <= 80 else text[:77] + "..."
    return repr(text) if isinstance(value, str) else text


def worded(mapping: Mapping, problem: str, **params: Any) -> tuple[str, str]:
    words = mapping.messages[problem]
    values = _Default({"mapping": mapping.rel, "units": ", ".join(mapping.units), **params})
    return words["message"].format_map(values), words["fix"].format_map(values)


def add_problem(result: ImportResult, mapping: Mapping, problem: Problem, file: str, where_kind: str) -> None:
    params = dict(problem.params)
    codes = params.get("codes")
    if codes:
        params["known"] = ", ".join(mapping.code_texts[codes])
    rules = mapping.keys.get(params.get("kind") or "", {})
    params.setdefault("digits", rules.get("digits"))
    params["format"] = {"esri_ms": "Esri milliseconds since 1970", "iso": "YYYY-MM-DD"}.get(
        params.get("format") or "", params.get("format")
    )
    for row, value in zip(problem.rows.to_list(), problem.values.to_list(), strict=True):
        add(result, mapping, problem.problem, file, row, problem.field, value, where_kind, **params)


def add(
    result: ImportResult,
    mapping: Mapping,
    problem: str,
    file: str,
    row: int | None,
    field: str | None,
    value: Any,
    where_kind: str,
    **params: Any,
) -> None:
    result.per_problem[f"{file}: {problem}"] += 1
    if result.per_problem[f"{file}: {problem}"] > CAP:
        result.omitted[f"{file}: {problem}"] += 1
        return
    if problem == "unknown_unit":
        params["unit"] = re.sub(r"^[^A-Za-z]*", "", str(value))
    message, fix = worded(mapping, problem, field=field, value=show(value), where_kind=where_kind, **params)
    result.findings.append(
        ImportFinding(file, row, field, None if value is None else str(value), problem, message, fix, where_kind)
    )
