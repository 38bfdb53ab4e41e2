"""The ledger: one receipt per accepted revision of a filing, one JSON object per line, never rewritten.

record/ledger.jsonl is what the publish job appends to when a filing or a new revision lands on main; the
scope check refuses any pull request that edits it (gridmod.scope). record/samples.jsonl holds the receipts
of the synthetic sample filings, issued with their typed filing dates instead of git's, so that the samples
show a record without pretending to have one; nothing real is ever written there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gridmod.errors import InputError, SetupError

LEDGER = "record/ledger.jsonl"
SAMPLE_LEDGER = "record/samples.jsonl"
# GM-<year accepted>-<UTILITY>-<sequence of that utility and year>; sample receipts number S0001, S0002, ...
ACCESSION = re.compile(r"GM-(\d{4})-([A-Z0-9]{2,12})-(S?)(\d{4})")
# Deadlines are California dates: a filing accepted at 23:30 Pacific on the due date is on time.
CALIFORNIA = "America/Los_Angeles"
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "accession": str,
    "filing": str,
    "utility": str,
    "filing_id": str,
    "revision": int,
    "supersedes": (str, type(None)),
    "reason": (str, type(None)),
    "accepted_at": str,
    "filing_date": str,
    "commit": (str, type(None)),
    "package_sha256": str,
    "profile": str,
    "profile_version": str,
    "gridmod_version": str,
    "findings_digest": str,
    "counts": dict,
    "attested_by": (dict, type(None)),
    "sample": bool,
}


class LedgerError(InputError):
    """The ledger cannot be read as a record: a line that is not a receipt, or receipts that contradict."""


def california_day(moment: datetime) -> date:
    try:
        return moment.astimezone(ZoneInfo(CALIFORNIA)).date()
    except ZoneInfoNotFoundError as exc:
        raise SetupError(f"The time zone {CALIFORNIA} is not installed: install the tzdata package.") from exc


@dataclass(frozen=True)
class Receipt:
    """What the record holds of one accepted revision: who filed what, when it landed, and what accepted it."""

    accession: str
    filing: str  # the folder, data/<utility>/<filing_id>
    utility: str
    filing_id: str
    revision: int
    supersedes: str | None  # the accession number of the revision this one replaces
    reason: str | None  # why the revision was filed (required from revision 2 on)
    accepted_at: datetime  # UTC: when the commit that carries this revision landed on main (from git)
    filing_date: date  # the date the filer typed, kept to compare with accepted_at
    commit: str | None  # the commit on main that landed it; None for a sample receipt
    package_sha256: str  # of datapackage.json, which lists the size and hash of every resource
    profile: str
    profile_version: str
    gridmod_version: str
    findings_digest: str  # sha256 of the findings the filing was accepted with (gridmod.record.digest)
    counts: dict[str, int] = field(default_factory=dict)
    # the officer's verification the package carries (name, title, date); None where its profile asks for none
    attested_by: dict[str, str] | None = None
    sample: bool = False

    @property
    def accepted_day(self) -> date:
        """The California date of acceptance: what deadlines are measured against."""
        return california_day(self.accepted_at)

    @property
    def days_from_typed_date(self) -> int:
        """How far the typed filing date is from the day the filing was accepted (0 when they agree)."""
        return abs((self.accepted_day - self.filing_date).days)

    @property
    def slug(self) -> str:
        """Where the filing's record pages live on the site: record/<utility>/<filing_id>."""
        return f"record/{self.utility}/{self.filing_id}"

    def to_json(self) -> str:
        data = {
            "accession": self.accession,
            "filing": self.filing,
            "utility": self.utility,
            "filing_id": self.filing_id,
            "revision": self.revision,
            "supersedes": self.supersedes,
            "reason": self.reason,
            "accepted_at": self.accepted_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "filing_date": self.filing_date.isoformat(),
            "commit": self.commit,
            "package_sha256": self.package_sha256,
            "profile": self.profile,
            "profile_version": self.profile_version,
            "gridmod_version": self.gridmod_version,
            "findings_digest": self.findings_digest,
            "counts": self.counts,
            "attested_by": self.attested_by,
            "sample": self.sample,
        }
        return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str) -> Receipt:
        missing = [k for k in _FIELDS if k not in data]
        unknown = [k for k in data if k not in _FIELDS]
        if missing or unknown:
            parts = [f"missing {', '.join(missing)}"] if missing else []
            parts += [f"unknown {', '.join(unknown)}"] if unknown else []
            detail = "; ".join(parts)
            raise LedgerError(f"{where}: not a receipt ({detail}).")
        for key, kind in _FIELDS.items():
            value = data[key]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise LedgerError(f"{where}: {key} is {value!r}, which is not a {_kind_name(kind)}.")
        try:
            accepted = datetime.strptime(data["accepted_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            typed = date.fromisoformat(data["filing_date"])
        except ValueError:
            raise LedgerError(
                f"{where}: accepted_at must read YYYY-MM-DDTHH:MM:SSZ and filing_date YYYY-MM-DD."
            ) from None
        if not ACCESSION.fullmatch(data["accession"]):
            raise LedgerError(f"{where}: {data['accession']!r} is not an accession number like GM-2026-PGE-0001.")
        counts = data["counts"]
        if not all(isinstance(k, str) and isinstance(v, int) for k, v in counts.items()):
            raise LedgerError(f"{where}: counts must map severities to whole numbers.")
        attested = data["attested_by"]
        if attested is not None and (
            set(attested) != {"name", "title", "date"} or not all(isinstance(v, str) for v in attested.values())
        ):
            raise LedgerError(f"{where}: attested_by must hold the officer's name, title and date as text.")
        return cls(**{**data, "accepted_at": accepted, "filing_date": typed})


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "whole number", bool: "true or false", dict: "mapping", type(None): "null"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


@dataclass
class Ledger:
    receipts: list[Receipt] = field(default_factory=list)

    def of(self, filing: str) -> list[Receipt]:
        """Every revision of one filing folder, oldest first."""
        return [r for r in self.receipts if r.filing == filing]

    def latest(self, filing: str) -> Receipt | None:
        revisions = self.of(filing)
        return revisions[-1] if revisions else None

    def accession(self, number: str) -> Receipt | None:
        return next((r for r in self.receipts if r.accession == number), None)

    def next_accession(self, utility: str, year: int, sample: bool = False) -> str:
        """The next free number of a utility in a year; numbers are never reused."""
        prefix = f"GM-{year}-{utility.upper()}-"
        matches = [ACCESSION.fullmatch(r.accession) for r in self.receipts if r.accession.startswith(prefix)]
        used = [int(m.group(4)) for m in matches if m and bool(m.group(3)) == sample]
        return f"{prefix}{'S' if sample else ''}{max(used, default=0) + 1:04d}"


def read_ledger(path: Path, shown: str, sample: bool) -> Ledger:
    """One ledger file, checked line by line and as a record: unique numbers, each filing's revisions in order,
    each revision superseding the one before."""
    ledger = Ledger()
    if not path.is_file():
        return ledger
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerError(f"{shown} cannot be read: {exc}.") from exc
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        where = f"{shown} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LedgerError(f"{where}: not a JSON object ({exc.msg}).") from None
        if not isinstance(data, dict):
            raise LedgerError(f"{where}: not a JSON object.")
        receipt = Receipt.from_dict(data, where)
        if receipt.sample != sample:
            raise LedgerError(
                f"{where}: {receipt.accession} says sample {str(receipt.sample).lower()}, but "
                f"{'only sample receipts belong' if sample else 'no sample receipt belongs'} in {shown}."
            )
        _check_order(ledger, receipt, where)
        ledger.receipts.append(receipt)
    return ledger


def _check_order(ledger: Ledger, receipt: Receipt, where: str) -> None:
    if ledger.accession(receipt.accession) is not None:
        raise LedgerError(f"{where}: accession number {receipt.accession} is issued twice.")
    if receipt.filing != f"data/{receipt.utility}/{receipt.filing_id}":
        raise LedgerError(f"{where}: filing {receipt.filing} is not data/{receipt.utility}/{receipt.filing_id}.")
    previous = ledger.latest(receipt.filing)
    expected = 1 if previous is None else previous.revision + 1
    if receipt.revision != expected:
        raise LedgerError(
            f"{where}: {receipt.filing} revision {receipt.revision} follows "
            f"{'no receipt' if previous is None else f'revision {previous.revision}'}; "
            f"it must be revision {expected}."
        )
    if receipt.supersedes != (previous.accession if previous else None):
        wanted = previous.accession if previous else "nothing (null)"
        raise LedgerError(
            f"{where}: {receipt.accession} supersedes {receipt.supersedes or 'nothing'}; it must supersede {wanted}."
        )


def load_ledger(root: Path, samples: bool = True) -> Ledger:
    """The repository's ledger, with the sample receipts after it unless `samples` is false."""
    ledger = read_ledger(root / LEDGER, LEDGER, sample=False)
    if samples:
        extra = read_ledger(root / SAMPLE_LEDGER, SAMPLE_LEDGER, sample=True)
        clash = {r.filing for r in extra.receipts} & {r.filing for r in ledger.receipts}
        if clash:
            raise LedgerError(
                f"{SAMPLE_LEDGER} holds receipts for {', '.join(sorted(clash))}, which "
                f"{LEDGER} holds too: a filing is either a sample or on the record."
            )
        ledger.receipts += extra.receipts
    return ledger
