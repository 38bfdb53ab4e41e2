"""Structure phase: the resource properties that tell a reader how to read a file (E065).

gridmod reads every file one way: tables as UTF-8 CSV with commas, double quotes and one header row (or as
Parquet), checked against the profile's Table Schema; narratives as UTF-8 Markdown. A Data Package may say
otherwise (a `dialect` with semicolons, an `encoding`, a `compression`, inline `data` or `schema`, a
`format`), and frictionless and every other tool that opens the published package would then read the
files by it. A property that agrees with how gridmod reads is accepted; one that does not is refused at its
line, because a filing checked one way and read another is worse than a filing refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from gridmod.confidential import DECLARATION
from gridmod.datasets import is_dataset
from gridmod.filing import DESCRIPTOR, FILE_KINDS, Filing
from gridmod.findings import Finding
from gridmod.spec import Profile

# Properties that take the file's place or unpack it before reading: whatever their value, gridmod would
# read something else than what other tools read. `scheme` other than a local file, `layout`, `query` and
# `sheet` are frictionless 4's; `control` and `extrapaths` frictionless 5's.
NEVER = {
    "data": "inline data takes the place of the file for other tools, while gridmod checks only the file",
    "compression": "gridmod reads the file as it is, not decompressed",
    "innerpath": "gridmod reads the file as it is, not a file inside an archive",
    "extrapaths": "gridmod reads one file per resource, not several joined",
    "control": "gridmod reads the file as it is, without a reader's control settings",
    "layout": "gridmod reads one header row and every row after it",
    "query": "gridmod reads every row of the file",
    "sheet": "gridmod reads CSV and Parquet files, not spreadsheet sheets",
    "missingValues": "gridmod reads only an empty cell as missing, as the profile's Table Schema says",
}
# The CSV dialect gridmod reads (gridmod.validate.tabular.DIALECT), in Table Dialect 1.0's flat names and
# 2.0's; a dialect that says only this is honoured.
DIALECT = {
    "delimiter": ",",
    "quoteChar": '"',
    "doubleQuote": True,
    "skipInitialSpace": False,
    "header": True,
    "headerRows": [1],
    "headerJoin": " ",
    "commentRows": [],
    "caseSensitiveHeader": False,
    "csvddfVersion": "1.2",
}
LINE_TERMINATORS = ("\r\n", "\n")
ENCODINGS = ("utf-8", "utf8", "utf-8-sig")
# What each kind of file gridmod reads is, and the other spellings of its format and media type that
# frictionless reads alike; the ones `gridmod new` and `gridmod stamp` write are gridmod.filing.FILE_KINDS.
# Spellings are exact: frictionless reads a resource of format "CSV" as a plain file, not as a table.
_ALSO = {
    ".csv": ("a CSV table", set(), set()),
    ".parquet": ("a Parquet table", set(), {"application/parquet"}),
    ".md": ("Markdown text", {"markdown"}, {"text/x-markdown"}),
    ".age": ("an age-encrypted file", set(), set()),
}
KINDS = {
    suffix: (kind, formats | {FILE_KINDS[suffix][0]}, mediatypes | {FILE_KINDS[suffix][1]})
    for suffix, (kind, formats, mediatypes) in _ALSO.items()
}


def check_reading(
    filing: Filing, profile: Profile, name: str, res: dict[str, Any], line_of: Callable[[str, str], int | None]
) -> list[Finding]:
    """E065 for each property of resource `name` that would have the file read otherwise than gridmod reads
    it; `line_of(name, key)` is the line of the key in datapackage.json."""
    rule = profile.structure_rule("E065")
    path = filing.rel_path(DESCRIPTOR)
    findings = []
    for key, detail, expected in _problems(profile, name, res):
        findings.append(
            rule.finding(
                path,
                line=line_of(name, key),
                field=key,
                value=_shown(res.get(key)),
                resource=name,
                given=_shown(res.get(key)),
                detail=detail,
                instead=f", or set it to {expected}" if expected else "",
            )
        )
    return findings


def _problems(profile: Profile, name: str, res: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(key, why it is refused, the value gridmod would honour or "") for each property that changes how the
    file is read."""
    given = res.get("path")
    suffix = _suffix(given)
    kind, formats, mediatypes = KINDS.get(suffix, ("this file", set(), set()))
    table = next((t for t in profile.tables if t["name"] == name), None)
    is_table = table is not None or name == DECLARATION
    found: list[tuple[str, str, str]] = []
    for key, why in NEVER.items():
        if key in res:
            found.append((key, why, ""))
    scheme = res.get("scheme")
    if scheme is not None and scheme != "file":
        found.append(("scheme", "gridmod reads a file inside the filing, not one fetched from elsewhere", '"file"'))
    encoding = res.get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or encoding.lower() not in ENCODINGS):
        found.append(("encoding", "gridmod reads every file as UTF-8", '"utf-8"'))
    fmt = res.get("format")
    if fmt is not None and formats and (not isinstance(fmt, str) or fmt not in formats):
        found.append(("format", f"the file is {kind}", " or ".join(f'"{f}"' for f in sorted(formats))))
    mediatype = res.get("mediatype")
    if mediatype is not None and mediatypes and (not isinstance(mediatype, str) or mediatype not in mediatypes):
        found.append(("mediatype", f"the file is {kind}", " or ".join(f'"{m}"' for m in sorted(mediatypes))))
    kind_given = res.get("type")
    if kind_given is not None and (kind_given == "table") != is_table:
        expected = '"table"' if is_table else 'a type other than "table"'
        found.append(("type", f"the file is {kind}", expected))
    if "dialect" in res:
        problem = None if suffix == ".csv" or (is_dataset(given) and is_table) else "the file is not a CSV table"
        problem = problem or _dialect_problem(res["dialect"])
        if problem:
            found.append(("dialect", problem, "one that says only commas, double quotes and one header row"))
    if "schema" in res:
        problem = _schema_problem(profile, table, res["schema"])
        if problem:
            expected = f'"{table["schema"]}" (the profile\'s)' if table else ""
            found.append(("schema", problem, expected))
    return found


def _suffix(path: object) -> str:
    if not isinstance(path, str):
        return ""
    if is_dataset(path):
        return ""
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


def _dialect_problem(dialect: object) -> str | None:
    """Why the dialect would be read otherwise than gridmod reads CSV, or None when it says only the defaults."""
    if not isinstance(dialect, dict):
        return "a dialect is an object of CSV settings, and gridmod reads only its own"
    settings = dict(dialect)
    nested = settings.pop("csv", {})
    if not isinstance(nested, dict):
        return "its csv settings are not an object"
    settings |= nested
    for key, value in sorted(settings.items()):
        if key in ("$schema", "profile", "name", "title", "description"):
            continue
        if key == "lineTerminator":
            if value in LINE_TERMINATORS:
                continue
        elif key in DIALECT and value == DIALECT[key]:
            continue
        return (
            f"its {key} is {_shown(value)}, and gridmod reads every table with commas between cells, double quotes "
            "around text and one header row"
        )
    return None


def _schema_problem(profile: Profile, table: dict[str, Any] | None, schema: object) -> str | None:
    """Why the schema is not the profile's, or None when it is (by its path, or inline and equal)."""
    if table is None:
        return "gridmod reads this file without a Table Schema"
    if schema == table["schema"] or schema == profile.schemas[table["name"]]:
        return None
    where = f"validation/{profile.name}/{profile.version}/{table['schema']}"
    return f"the columns are checked against the profile's Table Schema ({where}), not this one"


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
