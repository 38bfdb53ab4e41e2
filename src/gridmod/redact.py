"""Redact a filing: move the values its declaration names into the encrypted part and empty their cells.

The filer fills the tables with every value, lists in confidential.csv what is confidential, and runs
`gridmod redact PATH`. The values are encrypted to Energy Division's keys (gridmod.confidential), written
to confidential.age, and their cells emptied; datapackage.json gets both resources and new sizes and
hashes. Every value is read and sealed before the first file is written, each file is replaced whole, and
a declaration that does not match the tables writes nothing. The filer keeps the unredacted copy outside the
repository: nobody but Energy Division can decrypt confidential.age, the filer included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from gridmod.confidential import (
    DECLARATION,
    DECLARATION_PATH,
    RECIPIENTS,
    SAMPLE_KEY,
    VALUES,
    VALUES_PATH,
    Eligibility,
    declaration_digest,
    read_declaration,
    recipients,
    row_keys,
    seal,
    with_cells,
)
from gridmod.errors import InputError
from gridmod.files import replacing
from gridmod.filing import DESCRIPTOR, load_filing, stamp_resources
from gridmod.spec import Profile, load_profile


@dataclass
class Redacted:
    folder: Path
    items: list[str] = field(default_factory=list)  # item ids sealed
    sealed_to: str = RECIPIENTS  # where the keys the values were sealed to are listed
    cells: list[str] = field(default_factory=list)  # "costs.csv:46 amount_usd" emptied


def redact(folder: Path, root: Path) -> Redacted:
    filing = load_filing(folder, root)
    meta = filing.meta
    try:
        profile = load_profile(root, str(meta.get("profile")), str(meta.get("profile_version")))
    except KeyError:
        raise InputError(f"{filing.rel}: its datapackage.json names no profile this repository has; validate it "
                         "first.") from None
    eligible = Eligibility.of(profile.meta)
    if eligible is None:
        raise InputError(f"Profile {profile.name} {profile.version} makes no field eligible for confidential "
                         "treatment, so nothing in this filing can be withheld.")
    declaration = folder / DECLARATION_PATH
    if not declaration.is_file():
        raise InputError(f"{filing.rel}/{DECLARATION_PATH} is missing: list there what is confidential, one row "
                         "per value (see the rule catalogue, E048), then run gridmod redact again.")
    items, problems = read_declaration(declaration)  # a file that does not read is problem 1
    if problems:
        line, problem = problems[0]
        raise InputError(f"{filing.rel}/{DECLARATION_PATH}:{line}: {problem}.")
    if not items:
        raise InputError(f"{filing.rel}/{DECLARATION_PATH} declares nothing to withhold.")
    values, edits = _take_values(folder, filing.rel, profile, eligible, items)
    sealed = seal(values, filing.rel, recipients(root, sample=filing.is_sample))
    result = Redacted(folder, sorted(values), SAMPLE_KEY + " (the public TEST key of the samples)"
                      if filing.is_sample else RECIPIENTS)
    # The sealed values first: an interruption after it leaves the values in clear, never lost.
    with replacing(folder / VALUES_PATH) as temporary:
        temporary.write_bytes(sealed)
    _declare_resources(folder, declaration_digest(declaration))
    for table, (text, emptied) in edits.items():
        with replacing(folder / profile.table_path(table)) as temporary:
            temporary.write_text(text, encoding="utf-8", newline="")
        result.cells += emptied
    stamp_resources(folder)
    return result


def _take_values(folder: Path, rel: str, profile: Profile, eligible: Eligibility,
                 items: list) -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, list[str]]]]:
    """Each item's value with its place, and each table's text with those cells emptied."""
    values: dict[str, dict[str, str]] = {}
    empty: list[str] = []
    changes: dict[str, dict[int, tuple[int, str]]] = {}  # table -> line -> (column, "")
    for item in items:
        where = f"{rel}/{DECLARATION_PATH}:{item.line}"
        if item.field not in eligible.fields.get(item.resource, set()):
            raise InputError(f"{where}: {item.resource}.{item.field} is not a field this profile lets a filer "
                             "withhold.")
        if item.item_id in values:
            raise InputError(f"{where}: item {item.item_id} is declared twice.")
        path = folder / profile.table_path(item.resource)
        if not path.is_file():
            raise InputError(f"{where}: the filing has no {profile.table_path(item.resource)}.")
        header, rows = row_keys(path, list(profile.schemas[item.resource].get("primaryKey", [])))
        if item.key not in rows or item.field not in header:
            raise InputError(f"{where}: {profile.table_path(item.resource)} has no row {item.key} with a column "
                             f"{item.field}.")
        line, cells = rows[item.key]
        column = header.index(item.field)
        value = cells[column] if column < len(cells) else ""
        if not value.strip():
            empty.append(item.item_id)
            continue
        values[item.item_id] = {"resource": item.resource, "key": item.key, "field": item.field, "value": value}
        if line in changes.get(item.resource, {}):
            raise InputError(f"{where}: another item withholds a cell of the same row; declare one item per row.")
        changes.setdefault(item.resource, {})[line] = (column, "")
    if empty:
        raise InputError(f"{rel}: the cells of {', '.join(empty)} are empty, so their values cannot be sealed. "
                         "gridmod redact seals every declared value at once: put all of them back in the tables "
                         "(from your own unredacted copy) and run it again.")
    edits = {}
    for table, lines in changes.items():
        path = folder / profile.table_path(table)
        edits[table] = (with_cells(path, lines), [f"{profile.table_path(table)}:{n}" for n in sorted(lines)])
    return values, edits


def _declare_resources(folder: Path, digest: str) -> None:
    """datapackage.json lists the declaration and the encrypted part, which records the declaration it was
    sealed with (sizes and hashes come from stamp)."""
    path = folder / DESCRIPTOR
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{DESCRIPTOR} of {folder} cannot be read: {exc}.") from exc
    resources = descriptor.setdefault("resources", []) if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise InputError(f"{DESCRIPTOR} of {folder} has no list of resources; validate the filing first.")
    names = {r.get("name") for r in resources if isinstance(r, dict)}
    for name, rel, fmt, media in ((DECLARATION, DECLARATION_PATH, "csv", "text/csv"),
                                  (VALUES, VALUES_PATH, "age", "application/octet-stream")):
        if name not in names:
            entry = {"name": name, "path": rel, "format": fmt, "mediatype": media}
            if fmt == "csv":
                entry["encoding"] = "utf-8"
            resources.append(entry)
    for entry in resources:
        if isinstance(entry, dict) and entry.get("name") == VALUES:
            entry["declaration_hash"] = digest
    with replacing(path) as temporary:
        temporary.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
