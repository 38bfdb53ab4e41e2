"""A page per filing that has a previous filing on the site: what changed since then (gridmod.diff).

A site section of the engines whose filings `gridmod diff` compares (gridmod.engines), so the core pages need
not know about it. Only filings that are both on the site are compared: an earlier filing that did not pass
validation is not.
"""

from __future__ import annotations

from typing import Any

from gridmod.diff import compare_filings, find_previous
from gridmod.site.sections import SiteContext
from gridmod.utilities import utility


def _page_folder(filing_id: str, utility_code: str) -> str:
    return f"filings/{filing_id}/{utility_code}"


def changes_pages(context: SiteContext) -> list[Any]:
    """Write filings/<filing>/<utility>/changes.md for each filing with a previous one; return the nav."""
    published = {b.filing.folder.resolve() for b in context.built}
    entries = []
    for built in sorted(context.built, key=lambda b: (b.filing.head.filing_id, b.filing.rel)):
        previous = find_previous(built.filing)
        if previous is None or previous.folder.resolve() not in published:
            continue
        diff = compare_filings(previous.folder, built.filing.folder, context.root)
        # The previous filing is on the site, so it passed validation too; read here as found on disk.
        head, old = built.filing.head, previous.meta
        folder = _page_folder(head.filing_id, head.utility)
        names = utility(head.utility)
        context.page(
            f"{folder}/changes.md",
            "diff.md.j2",
            d=diff,
            name=names.short,
            legal_name=names.legal,
            is_sample=head.is_sample or previous.is_sample,
            new_page=f"{folder}/index.md",
            old_page=f"{_page_folder(str(old['filing_id']), str(old['utility']))}/index.md",
        )
        entries.append({f"{names.short} {head.filing_id} since {old['filing_id']}": f"{folder}/changes.md"})
    return [{"Changes between filings": entries}] if entries else []
