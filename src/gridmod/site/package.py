"""The descriptor of a published data package: self-describing, so that any tool reads it as gridmod did.

The filer's datapackage.json names the profile's Table Schemas by path (`schemas/costs.json`), which the
zip does not hold, or names none; a reader would guess the types (and turn PG&E's feeder IDs into integers).
The published descriptor instead carries each table's schema inline, the CSV dialect gridmod reads, the
licence and source of the data, the profile version and the receipt it was accepted with. The files
themselves are published as filed: their sizes and hashes stay the filer's. The descriptor as filed,
whose SHA-256 the receipt binds, travels beside it as datapackage.filed.json.

Energy Division sets the terms (publisher, licences) in validation/_shared/publication.yaml.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gridmod.confidential import DECLARATION, read_declaration
from gridmod.datasets import dataset_parts, is_dataset
from gridmod.errors import SetupError
from gridmod.filing import FILE_KINDS, file_digest
from gridmod.outputs import BuiltFiling
from gridmod.record.digest import package_sha256
from gridmod.tables import header_of
from gridmod.utilities import utility as names_of

TERMS = "validation/_shared/publication.yaml"
FILED = "datapackage.filed.json"
# The dialect gridmod reads every CSV table with (gridmod.validate.tabular.DIALECT), in Table Dialect 1.0's
# names: said in the descriptor, because a reader otherwise guesses the delimiter from a sample.
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}


@dataclass(frozen=True)
class Terms:
    """Energy Division's publication terms: who publishes, under which licence."""

    publisher: str
    contact: str
    sample_license: dict[str, str]
    filing_license: dict[str, str] | None
    rights: str

    def license_of(self, built: BuiltFiling) -> dict[str, str] | None:
        return self.sample_license if built.filing.is_sample else self.filing_license


@cache
def _terms_at(path: Path) -> Terms:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        licenses = data["licenses"]
        terms = Terms(
            publisher=str(data["publisher"]),
            contact=str(data["contact"]),
            sample_license=_license(licenses["sample"]),
            filing_license=_license(licenses["filing"]) if licenses.get("filing") else None,
            rights=str(data["rights_without_license"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise SetupError(f"The publication terms in {TERMS} cannot be read: {exc}") from exc
    return terms


def terms_of(built: BuiltFiling) -> Terms:
    """The terms of the repository whose profile the filing was checked with."""
    return _terms_at((built.profile.folder.parents[2] / TERMS).resolve())


def _license(entry: Any) -> dict[str, str]:
    if not isinstance(entry, dict) or not {"name", "path", "title"} <= set(entry):
        raise ValueError("each licence needs a name (its SPDX identifier), a path (its URL) and a title")
    return {"name": str(entry["name"]), "path": str(entry["path"]), "title": str(entry["title"])}


def published_descriptor(
    built: BuiltFiling, published: list[str], files: dict[str, Path]
) -> tuple[dict[str, Any], dict[str, Path]]:
    """The published descriptor for the resources `published` (their files in `files`, path -> disk), and
    the files again, now keyed as the descriptor lists them (a dataset's parts become one resource each)."""
    terms = terms_of(built)
    filed = built.filing.descriptor or {}
    head = built.filing.head
    profile = built.profile
    resources = []
    listed: dict[str, Path] = {}
    single = {n for n in published if not is_dataset(str(built.filing.resources[n]["path"]))}
    withheld: dict[str, set[str]] = {}
    if DECLARATION in published:
        for item in read_declaration(files[str(built.filing.resources[DECLARATION]["path"])])[0]:
            withheld.setdefault(item.resource, set()).add(item.field)
    for name in published:
        res = built.filing.resources[name]
        given = str(res["path"])
        schema = profile.schemas.get(name)
        if is_dataset(given):
            folder = files[given]
            for number, part in enumerate(dataset_parts(folder), 1):
                path = given + part.relative_to(folder).as_posix()
                resources.append(_part(name, number, path, part, schema))
                listed[path] = part
            continue
        entry = {k: v for k, v in res.items() if k in ("name", "path", "title", "description", "bytes", "hash")}
        suffix = Path(given).suffix
        entry["format"], entry["mediatype"] = _kind(suffix)
        if suffix in (".csv", ".md"):
            entry["encoding"] = "utf-8"
        if suffix == ".parquet":
            # frictionless cannot count a Parquet file's bytes; size and hash are in the filed descriptor.
            entry.pop("bytes", None)
            entry.pop("hash", None)
        if schema is not None:
            entry |= _table(schema, single, suffix, withheld.get(name, set()))
        elif name == DECLARATION:
            entry |= _text_table(files[given], suffix)
        resources.append(entry)
        listed[given] = files[given]
    license_ = terms.license_of(built)
    receipt = built.filing.record.current if built.filing.record is not None else None
    descriptor: dict[str, Any] = {
        "profile": "data-package",
        "name": filed.get("name") or head.stem,
        "title": filed.get("title") or head.stem,
        "description": filed.get("description") or "",
        "keywords": ["CPUC", "R.21-06-017", profile.name, head.utility, head.filing_id],
    }
    if license_ is not None:
        descriptor["licenses"] = [license_]
    else:
        descriptor["rights"] = terms.rights
    descriptor["sources"] = [
        {"title": f"{names_of(head.utility).legal}, {head.filing_id}, filed with the CPUC in R.21-06-017"}
    ]
    descriptor["contributors"] = [
        {"title": names_of(head.utility).legal, "role": "author"},
        {"title": terms.publisher, "role": "publisher"},
    ]
    published_at: dict[str, Any] = {
        "profile": profile.name,
        "profile_version": profile.version,
        "schemas": f"validation/{profile.name}/{profile.version}/",
        "filed_descriptor": FILED,
        "filed_descriptor_sha256": package_sha256(built.filing.folder),
    }
    if receipt is not None:
        published_at |= {
            "accession": receipt.accession,
            "revision": receipt.revision,
            "accepted_at": receipt.accepted_at.isoformat(),
            "commit": receipt.commit,
        }
        descriptor["version"] = str(receipt.revision)
    descriptor["gridmod"] = {**copy.deepcopy(filed.get("gridmod") or {}), "published": published_at}
    descriptor["resources"] = resources
    return descriptor, listed


def _table(schema: dict[str, Any], single: set[str], suffix: str, withheld: set[str]) -> dict[str, Any]:
    """The properties that make a table read as gridmod reads it: its schema inline (foreign keys only to
    tables published whole), and for CSV the dialect.

    A field with values withheld as confidential is empty in those rows of the public files, which the
    profile's `required` would refuse: the published schema says so instead. frictionless reads a Parquet
    file through pandas, which turns an empty number into NaN; the schema names "nan" as missing there.
    """
    inline = copy.deepcopy(schema)
    inline["foreignKeys"] = [fk for fk in inline.get("foreignKeys", []) if fk["reference"]["resource"] in single]
    if not inline["foreignKeys"]:
        del inline["foreignKeys"]
    for column in inline["fields"]:
        if column["name"] in withheld:
            column.get("constraints", {}).pop("required", None)
            note = "Empty where the value is withheld as confidential (confidential.csv lists each one)."
            column["description"] = f"{column.get('description', '')} {note}".strip()
    entry: dict[str, Any] = {"profile": "tabular-data-resource", "type": "table", "schema": inline}
    if suffix == ".csv":
        entry["dialect"] = dict(DIALECT)
    elif suffix == ".parquet":
        inline["missingValues"] = ["", "nan"]
    return entry


def _part(name: str, number: int, path: str, part: Path, schema: dict[str, Any] | None) -> dict[str, Any]:
    """One part of a dataset (gridmod.datasets) as its own table: the table's schema, with the columns the
    part holds (a part below a folder named column=value may leave that column out)."""
    suffix = part.suffix
    entry: dict[str, Any] = {
        "name": f"{name}-part-{number:04d}",
        "path": path,
        "description": f"Part {number} of table {name}, filed as a dataset folder.",
        "format": _kind(suffix)[0],
        "mediatype": _kind(suffix)[1],
    }
    if suffix == ".csv":  # frictionless cannot count a Parquet file's bytes
        size, digest = file_digest(part)
        entry |= {"encoding": "utf-8", "bytes": size, "hash": digest}
    if schema is not None:
        columns = _columns(part)
        inline = {k: copy.deepcopy(v) for k, v in schema.items() if k not in ("foreignKeys", "primaryKey")}
        by_name = {f["name"]: f for f in inline["fields"]}
        inline["fields"] = [by_name[c] for c in columns if c in by_name]
        entry |= {"profile": "tabular-data-resource", "type": "table", "schema": inline}
        if suffix == ".csv":
            entry["dialect"] = dict(DIALECT)
        else:
            inline["missingValues"] = ["", "nan"]
    return entry


def _kind(suffix: str) -> tuple[str, str]:
    """The format and media type of a file, as `gridmod new` and `gridmod stamp` write them."""
    return FILE_KINDS.get(suffix, (suffix.lstrip(".") or "bin", "application/octet-stream"))


def _columns(part: Path) -> list[str]:
    if part.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(part).names)
    return header_of(part)


def _text_table(path: Path, suffix: str) -> dict[str, Any]:
    """A CSV table without a profile schema (the declaration of confidential items): every column text."""
    if suffix != ".csv":
        return {}
    fields = [{"name": column, "type": "string"} for column in header_of(path)]
    return {"profile": "tabular-data-resource", "type": "table", "schema": {"fields": fields}, "dialect": dict(DIALECT)}
