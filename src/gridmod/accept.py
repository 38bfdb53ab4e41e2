"""Accept what landed on main: issue a receipt for every filing, or new revision, that the ledger lacks.

The publish job runs this on main before it builds (`gridmod record`) and commits the ledger's new lines.
accepted-at and the commit come from git (the first-parent commit that last changed the filing's folder),
never from the typed filing date; the receipt also binds the package's hash, the versions of the profile and
of gridmod, and the digest of the findings it was accepted with. Earlier lines are never rewritten: new
receipts are appended, and the file is replaced whole only once they are written.

`samples=True` is the developers' command for the synthetic sample filings: it rewrites
record/samples.jsonl, with each sample's typed filing date (17:00 in California) standing in for git's
time, so that the samples show a record; nothing real is ever written there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from gridmod import __version__
from gridmod.errors import SetupError
from gridmod.files import replacing
from gridmod.findings import Report
from gridmod.gitrepo import landed, uncommitted
from gridmod.record import LEDGER, SAMPLE_LEDGER, Ledger, Receipt, load_ledger, revision_of
from gridmod.record.digest import findings_digest, package_sha256
from gridmod.record.ledger import CALIFORNIA
from gridmod.validate import PHASES, Validated, validate


@dataclass
class Accepted:
    report: Report
    issued: list[Receipt] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # filings with errors: no receipt until they validate

    @property
    def ok(self) -> bool:
        return not self.refused


def accept(root: Path, samples: bool = False) -> Accepted:
    """Issue the receipts the ledger lacks (or, with `samples`, rewrite the sample receipts) and write them."""
    report, validated = validate(None, root, PHASES)
    result = Accepted(report)
    mine = [v for v in validated if v.filing.rel.startswith("data/") and v.filing.is_sample == samples]
    result.refused = [v.result.path for v in mine if not v.result.valid]
    if samples:
        ledger = Ledger()
        target = SAMPLE_LEDGER
    else:
        ledger = load_ledger(root, samples=False)
        target = LEDGER
    pending = []
    for item in (v for v in mine if v.result.valid):
        latest = ledger.latest(item.filing.rel)
        if latest is not None and latest.package_sha256 == package_sha256(item.filing.folder):
            continue
        commit, accepted_at = _sample_time(item) if samples else _landed(root, item.filing.rel)
        if not samples:
            accepted_at = _bounded(accepted_at, ledger)
        pending.append((accepted_at, item.filing.rel, commit, item))
    for accepted_at, _, commit, item in sorted(pending, key=lambda p: (p[0], p[1])):
        receipt = _receipt(ledger, item, commit, accepted_at, samples)
        ledger.receipts.append(receipt)
        result.issued.append(receipt)
    if result.issued or samples:
        _write(root / target, result.issued, keep=not samples)
    return result


def _landed(root: Path, folder: str) -> tuple[str | None, datetime]:
    changed = uncommitted(root, folder)
    if changed:
        raise SetupError(
            f"{folder} has changes that are not committed ({', '.join(changed[:3])}"
            f"{' …' if len(changed) > 3 else ''}): a receipt is issued only for what landed on main."
        )
    return landed(root, folder)


def _bounded(commit_time: datetime, ledger: Ledger) -> datetime:
    """A commit's time is what its committer's clock said. On a merge through GitHub that is GitHub's; a
    commit pushed with a wrong or set-back clock must not backdate a filing. So accepted-at is never earlier
    than the newest receipt already in the ledger, nor later than this run."""
    newest = max((r.accepted_at for r in ledger.receipts), default=commit_time)
    return min(max(commit_time, newest), datetime.now(UTC).replace(microsecond=0))


def _sample_time(item: Validated) -> tuple[str | None, datetime]:
    typed = item.filing.head.filing_date
    return None, datetime.combine(typed, time(17, 0), ZoneInfo(CALIFORNIA)).astimezone(UTC)


def _receipt(ledger: Ledger, item: Validated, commit: str | None, accepted_at: datetime, sample: bool) -> Receipt:
    filing, head, record = item.filing, item.filing.head, item.filing.record
    revision, problems = revision_of(filing.meta)
    if problems:  # validation refuses these; a receipt must never carry them
        raise SetupError(f"{filing.rel}: its revision fields do not read; validate it first.")
    if sample and revision.number != 1:
        raise SetupError(
            f"{filing.rel}: a sample filing is revision 1; its receipt is synthetic and has "
            "no earlier revision to supersede."
        )
    draft = Receipt(
        accession="",  # numbered below, from the California year of acceptance
        filing=filing.rel,
        utility=head.utility,
        filing_id=head.filing_id,
        revision=revision.number,
        supersedes=revision.supersedes,
        reason=revision.reason,
        accepted_at=accepted_at,
        filing_date=head.filing_date,
        commit=commit,
        package_sha256=package_sha256(filing.folder),
        profile=head.profile,
        profile_version=head.profile_version,
        gridmod_version=__version__,
        findings_digest=findings_digest(item.result),
        counts=item.result.counts(),
        attested_by=record.attestation.to_dict() if record and record.attestation else None,
        sample=sample,
    )
    return replace(draft, accession=ledger.next_accession(head.utility, draft.accepted_day.year, sample))


def _write(path: Path, receipts: list[Receipt], keep: bool) -> None:
    """The ledger with `receipts` after the lines already there (kept byte for byte), or, without `keep`,
    only `receipts`."""
    kept = path.read_bytes() if keep and path.is_file() else b""
    if kept and not kept.endswith(b"\n"):
        kept += b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        temporary.write_bytes(kept + "".join(r.to_json() + "\n" for r in receipts).encode("utf-8"))
