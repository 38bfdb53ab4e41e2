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
`gridmod redact` turns a filing whose cells still hold the values into that form.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridmod.errors import InputError, SetupError
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

    @classmethod
    def of(cls, meta: dict[str, Any]) -> Eligibility | None:
        spec = meta.get("confidential")
        if not spec:
            return None
        fields: dict[str, set[str]] = {}
        for entry in spec.get("fields", []):
            fields.setdefault(str(entry["table"]), set()).add(str(entry["field"]))
        return cls(fields, {str(k): str(v) for k, v in (spec.get("legal_bases") or {}).items()})


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
            raise InputError(f"{path.name}:{line}: the row continues on the next line (a quoted line break) or has "
                             "too few cells; only cells of complete one-line rows can be withheld.")
        row[column] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(row)
        lines[line - 1] = buffer.getvalue() + ending
    return "\n".join(lines)


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
        raise SetupError(f"{RECIPIENTS} is missing: Energy Division lists the age public keys confidential "
                         "items are encrypted to there.")
    keys = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    keys = [k for k in keys if k]
    if not keys:
        raise SetupError(f"{RECIPIENTS} lists no key yet: Energy Division must add its age public keys before a "
                         "real filing's confidential items can be sealed.")
    if not all(k.startswith("age1") for k in keys):
        raise SetupError(f"{RECIPIENTS} must list age public keys (age1…), one per line.")
    if test is not None and str(test.to_public()) in keys:
        raise SetupError(f"{RECIPIENTS} lists the sample TEST key, whose private half is public in {SAMPLE_KEY}; "
                         "remove it.")
    return keys


def seal(values: dict[str, dict[str, str]], filing: str, keys: list[str]) -> bytes:
    """The withheld values, each with the resource, key and field it belongs to, encrypted to `keys`."""
    import pyrage

    try:
        parsed = [pyrage.x25519.Recipient.from_str(k) for k in keys]
    except pyrage.RecipientError as exc:
        raise SetupError(f"{RECIPIENTS}: a key does not read as an age public key ({exc}).") from exc
    plain = json.dumps({"format": FORMAT, "filing": filing, "items": values}, ensure_ascii=False,
                       sort_keys=True).encode("utf-8")
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
        raise ConfidentialError(f"{shown} does not decrypt with this key ({exc}): it was encrypted to other "
                                "keys, or it is damaged.") from exc
    try:
        content = json.loads(bytes(plain).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfidentialError(f"{shown} decrypts, but not to gridmod's JSON ({exc}).") from exc
    if not isinstance(content, dict) or content.get("format") != FORMAT or not isinstance(content.get("items"), dict):
        raise ConfidentialError(f"{shown} decrypts, but not to {FORMAT} (format, filing, items).")
    return content
