"""The filing record on the site: the ledger of receipts, and one record page per published filing.

The record page of a filing lists every accepted revision with its receipt (also as JSON), keeps the
reports and data of earlier revisions downloadable at record/<utility>/<filing_id>/revision-<n>/ (rebuilt
from git by gridmod.site.revisions), and shows what changed between revisions where `gridmod diff` compares
the profile. The ledger page lists every receipt the repository holds, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridmod.diff import DiffError, compare_filings
from gridmod.diff.model import FilingDiff
from gridmod.engines import engine_of
from gridmod.outputs import BuiltFiling
from gridmod.record import Receipt, load_ledger
from gridmod.record.history import FilingRecord
from gridmod.site.edition import Download
from gridmod.site.revisions import EarlierRevision
from gridmod.site.sections import SiteContext
from gridmod.utilities import utility as names_of

INDEX = "record/index.md"


@dataclass
class RevisionRow:
    receipt: Receipt
    receipt_file: str  # docs-relative path of the receipt as JSON
    downloads: list[tuple[Download, str]] = field(default_factory=list)  # (download, docs-relative path)
    changes: str | None = None  # docs-relative page of the changes from the revision before
    is_current: bool = False


@dataclass
class RecordPage:
    built: BuiltFiling
    record: FilingRecord
    rows: list[RevisionRow]
    filing_page: str | None  # where the current revision's report and downloads are

    @property
    def path(self) -> str:
        head = self.built.filing.head
        return f"record/{head.utility}/{head.filing_id}/index.md"

    @property
    def name(self) -> str:
        return names_of(self.built.filing.head.utility).short


def record_pages(context: SiteContext, earlier: list[EarlierRevision]) -> list[Any]:
    """Write the ledger page and each published filing's record page; return their navigation entry."""
    ledger = load_ledger(context.root)
    pages = [_page(context, b, earlier) for b in _on_record(context.built)]
    context.page(
        INDEX,
        "record/index.md.j2",
        receipts=sorted(ledger.receipts, key=lambda r: r.accepted_at, reverse=True),
        pages={p.built.filing.rel: p.path for p in pages},
        names_of=names_of,
    )
    for page in pages:
        context.page(page.path, "record/filing.md.j2", p=page, names_of=names_of)
    return [{"Filing record": [INDEX, *({f"{p.name} {p.built.filing.head.filing_id}": p.path} for p in pages)]}]


def _on_record(built: list[BuiltFiling]) -> list[BuiltFiling]:
    found = [b for b in built if b.filing.record is not None]
    return sorted(found, key=lambda b: (b.filing.head.utility, b.filing.head.filing_id))


def _page(context: SiteContext, built: BuiltFiling, earlier: list[EarlierRevision]) -> RecordPage:
    record = built.filing.record
    assert record is not None
    head = built.filing.head
    folder = f"record/{head.utility}/{head.filing_id}"
    mine = {e.receipt.accession: e for e in earlier if e.receipt.filing == built.filing.rel}
    rows = []
    for receipt in record.receipts:
        receipt_file = f"{folder}/{receipt.accession}.json"
        _write(context.docs / receipt_file, receipt.to_json() + "\n")
        row = RevisionRow(receipt, receipt_file, is_current=receipt is record.current)
        revision = mine.get(receipt.accession)
        if revision is not None:
            for download in revision.downloads:
                target = f"{revision.folder}/{download.name}"
                (context.docs / target).parent.mkdir(parents=True, exist_ok=True)
                (revision.files / download.name).replace(context.docs / target)
                row.downloads.append((download, target))
        rows.append(row)
    _changes(context, built, rows, mine, folder)
    page = f"filings/{head.filing_id}/{head.utility}/index.md" if engine_of(built.profile).filing_pages else None
    return RecordPage(built, record, rows, page)


def _changes(
    context: SiteContext, built: BuiltFiling, rows: list[RevisionRow], mine: dict[str, EarlierRevision], folder: str
) -> None:
    """A page of changes from each revision to the next, where both are at hand and the profile compares."""
    if not engine_of(built.profile).compare:
        return
    sides: dict[str, Path] = {a: e.built.filing.folder for a, e in mine.items() if e.built is not None}
    current = built.filing.record.current if built.filing.record else None
    if current is not None:
        sides[current.accession] = built.filing.folder
    names = names_of(built.filing.head.utility)
    for before, after in zip(rows, rows[1:], strict=False):
        old, new = sides.get(before.receipt.accession), sides.get(after.receipt.accession)
        if old is None or new is None:
            continue
        try:
            diff = compare_filings(old, new, context.root)
        except DiffError:
            continue
        path = f"{folder}/changes-revision-{after.receipt.revision}.md"
        labels = {
            "old_label": f"{before.receipt.filing_id} revision {before.receipt.revision}",
            "new_label": f"{after.receipt.filing_id} revision {after.receipt.revision}",
        }
        if isinstance(diff, FilingDiff):
            context.page(
                path,
                "diff.md.j2",
                d=diff,
                name=names.short,
                legal_name=names.legal,
                is_sample=built.filing.head.is_sample,
                new_page=f"{folder}/index.md",
                old_page=f"{folder}/index.md",
                **labels,
            )
        else:  # an ICA filing (gridmod.diff.ica); its page is the utility's ICA page
            from gridmod.site.ica import change_formats

            context.page(
                path,
                "ica/changes.md.j2",
                d=diff,
                name=names.short,
                legal_name=names.legal,
                sample=built.filing.head.is_sample,
                back=f"ica/{built.filing.head.utility}.md",
                **labels,
                **change_formats(),
            )
        after.changes = path


def _write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
