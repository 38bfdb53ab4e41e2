"""Confidential items: what a filer withholds from the public, and the encrypted part that carries it.

Under CPUC General Order 66-D the filer marks what is confidential and why, and the public gets a redacted
version. In a public repository a confidential value can never be committed in clear, so a filing carries
three things (only where its profile's `confidential:` section makes a field eligible):
- the public tables, with each withheld cell left empty;
- the declaration, confidential.csv: one row per withheld item (its table, the row's key, the field, the
  legal basis, why, and who may see it), published with the filing;
- the withheld values, confidential.age: JSON encrypted with age to Energy Division's public keys
  (validation/_shared/confidential-recipients.txt, which Energy Division owns), so CI and the public only
  ever see ciphertext. Only a local restricted build with Energy Division's key decrypts it
  (gridmod.restricted).
An item is one of three kinds, each only where the profile makes it eligible:
- a cell: resource the table, key the row's key values joined by "/", field the column;
- a whole table: resource the table, key and field `*`; the public file keeps only its header line;
- a section of an activity's narrative: resource the narrative (activity-<id>), key the element id (for
  example challenges), field `text`; the public file keeps the heading with nothing under it.
`gridmod redact` turns a filing whose cells, tables and sections still hold the values into that form.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from gridmod.errors import InputError, SetupError
from gridmod.narrative import is_written, sections_named, sections_of, with_bodies
from gridmod.spec import Profile
from gridmod.tables import read_records

DECLARATION = "confidential"  # resource name; its path is confidential.csv
DECLARATION_PATH = "confidential.csv"
VALUES = "confidential_values"  # resource name of the encrypted part
VALUES_PATH = "confidential.age"
COLUMNS = ("item_id", "resource", "key", "field", "legal_basis", "justification", "access")
RECIPIENTS = "validation/_shared/confidential-recipients.txt"
# The sample filings' TEST key (private half included, so it protects nothing): samples are sealed to it, and a
# real filing that it opens is refused.
SAMPLE_KEY = "validation/_shared/sample-test-key.agekey"
# The sealed JSON is padded to a multiple of this, so the size of confidential.age does not tell how many
# digits the withheld values have.
PAD = 4096
AGE_HEADER = b"age-encryption.org/v1\n"
FORMAT = "gridmod-confidential/1"
# gridmod.edition of the restricted build's merged copy: its report says CONFIDENTIAL on every page
RESTRICTED_EDITION = "restricted"
WHOLE = "*"  # key and field of an item that withholds a whole table
TEXT = "text"  # field of an item that withholds a narrative section


class ConfidentialError(InputError):
    """The withheld values cannot be used: no key, a key that does not open them, or values that do not match."""


@dataclass(frozen=True)
class Item:
    """One withheld value, as its declaration row names it."""

    item_id: str
    resource: str
    key: str  # the row's primary key values joined by "/", as findings name rows
    field: str
    legal_basis: str
    justification: str
    access: str
    line: int  # the declaration row's line in confidential.csv


@dataclass(frozen=True)
class Eligibility:
    """What a profile lets a filer withhold (profile.yaml `confidential:`)."""

    fields: dict[str, set[str]]  # table -> fields
    legal_bases: dict[str, str]  # code -> what it means
    tables: frozenset[str] = frozenset()  # tables that may be withheld whole
    sections: dict[str, str] = dc_field(default_factory=dict)  # element id -> heading, of activity narratives
    narrative_prefix: str = ""  # resource name of an activity narrative, before the activity id

    @classmethod
    def of(cls, meta: dict[str, Any]) -> Eligibility | None:
        spec = meta.get("confidential")
        if not spec:
            return None
        fields: dict[str, set[str]] = {}
        for entry in spec.get("fields", []):
            fields.setdefault(str(entry["table"]), set()).add(str(entry["field"]))
        headings = {str(e["id"]): str(e["heading"]) for e in meta.get("elements") or []}
        return cls(
            fields,
            {str(k): str(v) for k, v in (spec.get("legal_bases") or {}).items()},
            frozenset(str(t["table"]) for t in spec.get("tables", [])),
            {str(e["element"]): headings[str(e["element"])] for e in spec.get("sections", [])},
            str((meta.get("activity_narrative") or {}).get("resource_prefix", "")),
        )

    def kind(self, item: Item) -> str | None:
        """ "cell", "table" or "section": what the item withholds; None when the profile does not let it."""
        if item.key == WHOLE and item.field == WHOLE:
            return "table" if item.resource in self.tables else None
        if item.field == TEXT and self.narrative_prefix and item.resource.startswith(self.narrative_prefix):
            return "section" if item.key in self.sections else None
        return "cell" if item.field in self.fields.get(item.resource, set()) else None

    def listed(self) -> str:
        """Everything eligible, in words, for a message."""
        parts = [f"{t}.{f}" for t, fs in sorted(self.fields.items()) for f in sorted(fs)]
        parts += [f"the whole table {t} ({t},*,*)" for t in sorted(self.tables)]
        if self.sections:
            parts.append(
                f"the sections {', '.join(self.sections)} of an activity narrative "
                f"({self.narrative_prefix}<activity_id>,<section>,{TEXT})"
            )
        return "; ".join(parts)

    def place(self, item: Item) -> str:
        """What the item withholds, in words a reader of the public site understands."""
        kind = self.kind(item)
        if kind == "table":
            return f"the whole table {item.resource}"
        if kind == "section":
            activity = item.resource.removeprefix(self.narrative_prefix)
            return f"the section \u201c{self.sections[item.key]}\u201d of activity {activity}"
        return f"{item.field} of {item.resource} row {item.key}"

    def path(self, item: Item, profile: Profile) -> str:
        """The file within the filing that holds the item."""
        if self.kind(item) == "section":
            return profile.activity_path(item.resource.removeprefix(self.narrative_prefix))
        return profile.table_path(item.resource)


def _records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """read_records, with a file that cannot be read as CSV text a ConfidentialError in words."""
    try:
        return read_records(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfidentialError(f"{path.name} cannot be read as UTF-8 CSV: {exc}.") from exc


def read_declaration(path: Path) -> tuple[list[Item], list[tuple[int, str]]]:
    """The declaration's items, and (line, problem) for rows that do not read as one."""
    try:
        header, records = _records(path)
    except ConfidentialError as exc:
        return [], [(1, str(exc).rstrip("."))]
    if tuple(header) != COLUMNS:
        return [], [(1, f"its header is {','.join(header) or '(empty)'}, not {','.join(COLUMNS)}")]
    items, problems = [], []
    for line, cells in records:
        if len(cells) != len(COLUMNS):
            problems.append((line, f"the row has {len(cells)} cells, not {len(COLUMNS)}"))
            continue
        values = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
        items.append(Item(**values, line=line))
    return items, problems


def row_keys(path: Path, key_fields: list[str]) -> tuple[list[str], dict[str, tuple[int, list[str]]]]:
    """A table's header and, by key (values joined by "/"), the line and cells of each row."""
    header, records = _records(path)
    positions = [header.index(k) for k in key_fields if k in header]
    rows = {}
    for line, cells in records:
        if len(positions) == len(key_fields) and all(p < len(cells) for p in positions):
            rows["/".join(cells[p] for p in positions)] = (line, cells)
    return header, rows


def sample_identity(root: Path) -> Any | None:
    path = root / SAMPLE_KEY
    return read_identity(path) if path.is_file() else None


def with_cells(path: Path, cells: dict[int, tuple[int, str]]) -> str:
    """The CSV text of `path` with cell (column) of each given line set to its value; every other line stays as
    it was. Lines end at line feeds only, as editors and the findings count them; a row that continues on the
    next line (a quoted line break) is refused."""
    import io

    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    for line, (column, value) in cells.items():
        text = lines[line - 1]
        ending = "\r" if text.endswith("\r") else ""
        (row,) = list(csv.reader([text.removesuffix("\r")]))
        if column >= len(row):
            raise InputError(
                f"{path.name}:{line}: the row continues on the next line (a quoted line break) or has "
                "too few cells; only cells of complete one-line rows can be withheld."
            )
        row[column] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(row)
        lines[line - 1] = buffer.getvalue() + ending
    return "\n".join(lines)


def exchange(
    folder: Path,
    profile: Profile,
    eligible: Eligibility,
    items: list[Item],
    shown: str,
    values: dict[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """What each item holds in the filing at `folder`, and the new text of each file it is in: with the items
    withheld (`values` None: cells emptied, tables cut to their header, sections to their heading) or with
    `values` (by item id) put in their place. Files are returned by path within the folder and nothing is
    written. An item that names nothing in the filing is a ConfidentialError at its declaration line (`shown`
    is the declaration's path as the message names it)."""
    held: dict[str, str] = {}
    texts: dict[str, str] = {}
    cells: dict[str, dict[int, tuple[int, str]]] = {}  # table -> line -> (column, value)
    bodies: dict[str, dict[str, list[str]]] = {}  # narrative path -> heading -> body lines
    whole = {i.resource for i in items if eligible.kind(i) == "table"}
    for item in items:
        where = f"{shown}:{item.line}"
        kind = eligible.kind(item)
        if kind is None:
            raise ConfidentialError(
                f"{where}: {item.resource},{item.key},{item.field} is nothing this profile lets "
                f"a filer withhold (eligible: {eligible.listed()})."
            )
        new = values.get(item.item_id, "") if values is not None else None
        rel = eligible.path(item, profile)
        path = folder / rel
        if kind == "section":
            heading = eligible.sections[item.key]
            found = sections_named(sections_of(_text(path, where))[1], heading) if path.is_file() else []
            if len(found) != 1:
                raise ConfidentialError(
                    f"{where}: {rel} has {'no' if not found else 'more than one'} section "
                    f"'## {heading}'; an item withholds one section."
                )
            held[item.item_id] = "\n".join(found[0].text)
            bodies.setdefault(rel, {})[heading] = [""] if new is None else new.split("\n")
            continue
        if not path.is_file():
            raise ConfidentialError(f"{where}: the filing has no {rel}.")
        if kind == "table":
            text = _text(path, where)
            held[item.item_id] = text
            texts[rel] = text.split("\n", 1)[0] + "\n" if new is None else new
            continue
        if item.resource in whole:
            raise ConfidentialError(f"{where}: {rel} is withheld whole by another item; declare none of its cells.")
        header, rows = row_keys(path, list(profile.schemas[item.resource].get("primaryKey", [])))
        if item.key not in rows or item.field not in header:
            raise ConfidentialError(f"{where}: {rel} has no row {item.key} with a column {item.field}.")
        line, row = rows[item.key]
        column = header.index(item.field)
        if line in cells.get(rel, {}):
            raise ConfidentialError(
                f"{where}: another item withholds a cell of the same row; declare one item per row."
            )
        held[item.item_id] = row[column] if column < len(row) else ""
        cells.setdefault(rel, {})[line] = (column, "" if new is None else new)
    for rel, lines in cells.items():
        texts[rel] = with_cells(folder / rel, lines)
    for rel, headings in bodies.items():
        texts[rel] = with_bodies(_text(folder / rel, shown), headings)
    return held, texts


def _text(path: Path, where: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfidentialError(f"{where}: {path.name} cannot be read as UTF-8 text: {exc}.") from exc


def is_withheld_form(kind: str, content: str) -> bool:
    """Whether what an item holds in the public part is its withheld form: an empty cell, a table of its header
    line only, a section with nothing written under its heading."""
    if kind == "table":
        return not any(line.strip() for line in content.split("\n")[1:])
    if kind == "section":
        return not any(is_written(line) for line in content.split("\n"))
    return not content.strip()


def recipients(root: Path, sample: bool) -> list[str]:
    """The keys a filing's values are sealed to: Energy Division's (RECIPIENTS, one per line, # starts a
    comment) for a real filing, the public test key for a sample."""
    test = sample_identity(root)
    if sample:
        if test is None:
            raise SetupError(f"{SAMPLE_KEY} is missing: the sample filings are sealed to that test key.")
        return [str(test.to_public())]
    path = root / RECIPIENTS
    if not path.is_file():
        raise SetupError(
            f"{RECIPIENTS} is missing: Energy Division lists the age public keys confidential "
            "items are encrypted to there."
        )
    keys = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    keys = [k for k in keys if k]
    if not keys:
        raise SetupError(
            f"{RECIPIENTS} lists no key yet: Energy Division must add its age public keys before a "
            "real filing's confidential items can be sealed."
        )
    if not all(k.startswith("age1") for k in keys):
        raise SetupError(f"{RECIPIENTS} must list age public keys (age1…), one per line.")
    if test is not None and str(test.to_public()) in keys:
        raise SetupError(
            f"{RECIPIENTS} lists the sample TEST key, whose private half is public in {SAMPLE_KEY}; remove it."
        )
    return keys


def seal(values: dict[str, dict[str, str]], filing: str, keys: list[str]) -> bytes:
    """The withheld values, each with the resource, key and field it belongs to, encrypted to `keys`."""
    import pyrage

    try:
        parsed = [pyrage.x25519.Recipient.from_str(k) for k in keys]
    except pyrage.RecipientError as exc:
        raise SetupError(f"{RECIPIENTS}: a key does not read as an age public key ({exc}).") from exc
    plain = json.dumps(
        {"format": FORMAT, "filing": filing, "items": values}, ensure_ascii=False, sort_keys=True
    ).encode("utf-8")
    padded = plain + b" " * (-len(plain) % PAD)  # JSON ignores the trailing spaces
    return bytes(pyrage.encrypt(padded, parsed))


def opens_with(data: bytes, identity: Any) -> bool:
    import pyrage

    try:
        pyrage.decrypt(data, [identity])
    except pyrage.DecryptError:
        return False
    return True


def declaration_digest(path: Path) -> str:
    """What the encrypted part's resource records of the declaration it was sealed with."""
    import hashlib

    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def read_identity(path: Path) -> Any:
    """An age identity file (AGE-SECRET-KEY-1…; # starts a comment)."""
    import pyrage

    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfidentialError(f"The key file {path} cannot be read: {exc}.") from exc
    secret = next((line for line in lines if line.startswith("AGE-SECRET-KEY-")), None)
    if secret is None:
        raise ConfidentialError(f"{path} holds no age identity (a line AGE-SECRET-KEY-1…).")
    try:
        return pyrage.x25519.Identity.from_str(secret)
    except pyrage.IdentityError as exc:
        raise ConfidentialError(f"{path}: the age identity does not read ({exc}).") from exc


def unseal(data: bytes, identity: Any, shown: str) -> dict[str, Any]:
    """The JSON inside an encrypted part; a wrong key or a damaged file is a ConfidentialError."""
    import pyrage

    try:
        plain = pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        raise ConfidentialError(
            f"{shown} does not decrypt with this key ({exc}): it was encrypted to other keys, or it is damaged."
        ) from exc
    try:
        content = json.loads(bytes(plain).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfidentialError(f"{shown} decrypts, but not to gridmod's JSON ({exc}).") from exc
    if not isinstance(content, dict) or content.get("format") != FORMAT or not isinstance(content.get("items"), dict):
        raise ConfidentialError(f"{shown} decrypts, but not to {FORMAT} (format, filing, items).")
    return content
