"""Structure phase, the record: a filing's revision fields, and whether they follow what the ledger holds.

A filing under data/ that the ledger has accepted may change only as a new revision that supersedes the
latest accepted one; a filing not yet accepted is revision 1. Fixtures outside data/ have no record, so
only their revision fields are read. Sample filings keep synthetic receipts (record/samples.jsonl), which
a test keeps current; they are not judged against them. Every filing under data/ leaves with its record
(Filing.record), which the report, the site and the calendar read.
"""

from __future__ import annotations

from collections.abc import Callable

from gridmod.filing import DESCRIPTOR, Filing
from gridmod.findings import Finding
from gridmod.record import Receipt, load_ledger, revision_of
from gridmod.record.attestation import Attestation, attestation_of, prescribed
from gridmod.record.digest import package_sha256
from gridmod.record.history import record_of
from gridmod.record.revision import MIN_REASON, Revision
from gridmod.spec import Profile
from gridmod.utilities import utility as names_of


def check_record(filing: Filing, profile: Profile, line_of: Callable[..., int | None]) -> list[Finding]:
    path = filing.rel_path(DESCRIPTOR)

    def at(key: str) -> int:
        return line_of(f'"{key}"') or line_of('"gridmod"') or 1

    revision, problems = revision_of(filing.meta)
    e037 = profile.structure_rule("E037")
    findings = [
        e037.finding(
            path,
            line=at(p.field),
            field=p.field,
            value=p.given,
            variant=p.variant,
            given=repr(p.given),
            minimum=MIN_REASON,
        )
        for p in problems
    ]
    parts = filing.rel.split("/")
    if findings or len(parts) != 3 or parts[0] != "data":
        return findings
    receipts = load_ledger(filing.root).of(filing.rel)
    digest = package_sha256(filing.folder)
    attestation, attestation_findings = _check_attestation(filing, profile, path, line_of, at)
    filing.record = record_of(receipts, digest, revision, attestation)
    accepted = filing.record.current is not None
    # A filing accepted before its profile asked for a verification keeps its receipt; the samples' receipts
    # are synthetic, so the samples are always held to it.
    findings += attestation_findings if not accepted or filing.is_sample else []
    if filing.is_sample:
        return findings
    return findings + _against_record(profile, revision, receipts[-1] if receipts else None, digest, path, at)


def _check_attestation(
    filing: Filing, profile: Profile, path: str, line_of: Callable[..., int | None], at: Callable[[str], int]
) -> tuple[Attestation | None, list[Finding]]:
    """The officer's verification, where the profile prescribes one (profile.yaml `attestation`)."""
    wording = (profile.meta.get("attestation") or {}).get("statement")
    if not wording:
        return None, []
    statement = prescribed(str(wording), names_of(str(filing.meta.get("utility") or "")).legal)
    attestation, problems = attestation_of(filing.meta, statement, filing.is_sample)
    e047 = profile.structure_rule("E047")
    start = line_of('"attestation"')

    end = line_of("}", start) if start else None

    def line(field: str) -> int:
        """The part's line inside the attestation object, else the object's own line."""
        part = field.partition(".")[2]
        found = line_of(f'"{part}"', start) if part and start else None
        return found if found is not None and (end is None or found <= end) else at("attestation")

    return attestation, [
        e047.finding(
            path,
            line=line(p.field),
            field=p.field,
            value=p.given if isinstance(p.given, str) else None,
            variant=p.variant,
            given=repr(p.given),
            statement=statement,
        )
        for p in problems
    ]


def _against_record(
    profile: Profile, revision: Revision, latest: Receipt | None, digest: str, path: str, at: Callable[[str], int]
) -> list[Finding]:
    e039 = profile.structure_rule("E039")
    if latest is None:
        if revision.number == 1:
            return []
        return [
            e039.finding(
                path, line=at("revision"), field="revision", value=revision.number, variant="nothing_to_supersede"
            )
        ]
    if digest == latest.package_sha256:
        return []
    if revision.number == latest.revision:
        return [
            profile.structure_rule("E038").finding(
                path,
                line=at("revision"),
                field="revision",
                value=latest.revision,
                accession=latest.accession,
                next=latest.revision + 1,
            )
        ]
    if revision.number != latest.revision + 1:
        return [
            e039.finding(
                path,
                line=at("revision"),
                field="revision",
                value=revision.number,
                variant="wrong_number",
                latest=latest.revision,
                accession=latest.accession,
                next=latest.revision + 1,
            )
        ]
    if revision.supersedes != latest.accession:
        return [
            e039.finding(
                path,
                line=at("supersedes"),
                field="supersedes",
                value=revision.supersedes,
                variant="wrong_supersedes",
                accession=latest.accession,
            )
        ]
    return []
