"""What every report says about itself, whatever its profile: the filing's facts on the title page and
in the front matter, the explanations it carries and the summary of its own validation.

Every report model extends ReportHeader, so the shared templates (front matter, SAMPLE notice, validation
summary, the Typst page) read the same fields from any model. What differs between reports of different
profiles (their title, keywords and the sentence on how the report is structured) is the profile's
`report:` section, not code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from gridmod.confidential import RESTRICTED_EDITION
from gridmod.filing import DESCRIPTOR, Filing, file_digest
from gridmod.findings import Finding, PackageResult
from gridmod.spec import Profile, site_url
from gridmod.utilities import utility as names_of


@dataclass
class Explanation:
    code: str
    key: str
    text: str
    rule_title: str | None


@dataclass
class WarningGroup:
    code: str
    title: str
    count: int


@dataclass
class WarningFinding:
    code: str
    where: str
    message: str


@dataclass
class Validation:
    """What the report says about its own validation: the profile, counts and what was let through."""

    profile: str
    version: str
    counts: dict[str, int]
    explained: list[Finding]
    warnings: list[WarningGroup]
    warning_findings: list[WarningFinding]
    notes: list[str]


@dataclass
class ReportHeader:
    utility: str
    utility_name: str
    utility_short: str
    filing_id: str
    proceeding: str
    filing_date: date
    period_start: date
    period_end: date
    profile_name: str
    profile_version: str
    profile_title: str
    profile_status: str  # the version's governance, in one line: adopted since when, or proposed, and by whom
    proposals: list[str]  # the parts of the version that are only proposed (its calendar, rules), with their notes
    data_package_hash: str
    is_sample: bool
    report_name: str  # e.g. "Biennial Grid Modernization Progress Report"
    running_title: str  # the report's name in the page header
    keywords: list[str]  # the PDF's keywords
    structure_note: str  # how the report is arranged, said on its title page
    # The filing's place in the record (gridmod.record), on the title page: its revision, and once accepted
    # its accession number, acceptance time and receipt; an amendment says what it supersedes and why.
    revision: int
    accession: str | None
    accepted: str | None
    amendment: str | None
    receipt_url: str | None
    attested: str | None  # "name, title, on date" of the officer who verified the filing
    attestation_statement: str | None
    # the restricted edition, with the confidential items in (gridmod.restricted): CONFIDENTIAL on every page
    is_confidential: bool

    @property
    def title(self) -> str:
        return ("SAMPLE \N{EM DASH} " if self.is_sample else "") + self.report_name

    @property
    def document_title(self) -> str:
        """The PDF's and web page's title: names the utility and filing, unlike the cover title."""
        return f"{self.title}: {self.utility_short}, {self.filing_id}"


def report_header(filing: Filing, profile: Profile) -> dict[str, Any]:
    """The ReportHeader fields of a validated filing, as keyword arguments of any report model."""
    head = filing.head
    names = names_of(head.utility)
    report = profile.setting("report")
    _, digest = file_digest(filing.folder / DESCRIPTOR)
    header = ReportHeader(
        utility=head.utility,
        utility_name=names.legal,
        utility_short=names.short,
        filing_id=head.filing_id,
        proceeding=str(head.fields.get("proceeding") or profile.meta["proceeding"]),
        filing_date=head.filing_date,
        period_start=head.period_start,
        period_end=head.period_end,
        profile_name=profile.name,
        profile_version=profile.version,
        profile_title=str(profile.meta.get("title", profile.name)),
        profile_status=profile.governance.summary,
        proposals=[
            f"{'The filing calendar' if p.item == 'schedule' else 'Rule ' + p.item}: {p.note}"
            for p in profile.governance.proposed
        ],
        data_package_hash=digest,
        is_sample=head.is_sample,
        report_name=str(report["name"]),
        running_title=str(report["running_title"]),
        keywords=[str(k) for k in report["keywords"]],
        structure_note=" ".join(str(report["structure_note"]).split()),
        is_confidential=filing.meta.get("edition") == RESTRICTED_EDITION,
        **_record(filing),
    )
    return {f.name: getattr(header, f.name) for f in fields(ReportHeader)}


def _record(filing: Filing) -> dict[str, Any]:
    found: dict[str, Any] = dict.fromkeys(
        ("accession", "accepted", "amendment", "receipt_url", "attested", "attestation_statement")
    )
    record = filing.record
    if record is None:  # a filing outside data/ (a test fixture) has no record
        return {**found, "revision": 1}
    head = filing.head
    found |= {"revision": record.revision.number, "receipt_url": site_url(f"record/{head.utility}/{head.filing_id}/")}
    if record.revision.number > 1:
        found["amendment"] = f"Supersedes {record.revision.supersedes}: {record.revision.reason}"
    if record.attestation is not None:
        a = record.attestation
        found |= {"attested": f"{a.name}, {a.title}, on {a.date.isoformat()}", "attestation_statement": a.statement}
    receipt = record.current
    if receipt is not None:
        found["accession"] = receipt.accession + (" (SAMPLE)" if receipt.sample else "")
        found["accepted"] = f"{receipt.accepted_at:%Y-%m-%d %H:%M} UTC"
    return found


def explanations(rows: list[dict[str, Any]], profile: Profile) -> list[Explanation]:
    """The rows of the filing's explanations table, each with the title of the rule it answers."""
    return [
        Explanation(
            e["code"], e["key"], e["text"], profile.rules[e["code"]].title if e["code"] in profile.rules else None
        )
        for e in rows
    ]


def validation_summary(result: PackageResult, profile: Profile, filing: Filing) -> Validation:
    warnings = [f for f in result.findings if f.severity == "warning"]
    counts = Counter(f.code for f in warnings)
    return Validation(
        profile=result.profile or profile.name,
        version=result.version or profile.version,
        counts=result.counts(),
        explained=[f for f in result.findings if f.severity == "explain" and f.explanation is not None],
        warnings=[
            WarningGroup(code, profile.rules[code].title if code in profile.rules else code, n)
            for code, n in sorted(counts.items())
        ],
        warning_findings=[WarningFinding(f.code, _where(f, filing), f.message) for f in warnings],
        notes=list(result.notes),
    )


def _where(finding: Finding, filing: Filing) -> str:
    """A finding's place as the report shows it: the file within the filing, and its line."""
    path = finding.path.removeprefix(filing.rel + "/")
    return f"{path}:{finding.line}" if finding.line else path
