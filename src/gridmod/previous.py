"""The filing a new filing is compared with: the same utility's latest earlier filing of the same profile."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gridmod.filing import DESCRIPTOR, Filing, load_filing


def _filed(filing: Filing) -> date | None:
    try:
        return date.fromisoformat(str(filing.meta.get("filing_date")))
    except ValueError:
        return None


def find_previous(filing: Filing) -> Filing | None:
    """The latest filing under data/<utility>/ of the repository with the same profile and an earlier date.

    Only a filing that itself sits in data/<utility>/ has a previous one: a test fixture or a copy elsewhere
    is compared with nothing rather than with whatever the repository holds.
    """
    utility = filing.meta.get("utility")
    filed = _filed(filing)
    folder = filing.root / "data" / str(utility)
    if not isinstance(utility, str) or filed is None or filing.folder.parent.resolve() != folder.resolve():
        return None
    best: tuple[date, Filing] | None = None
    for descriptor in sorted(folder.glob(f"*/{DESCRIPTOR}")):
        if descriptor.parent.resolve() == filing.folder.resolve():
            continue
        other = load_filing(descriptor.parent, filing.root)
        when = _filed(other)
        if other.meta.get("profile") != filing.meta.get("profile") or other.meta.get("utility") != utility:
            continue
        if when is not None and when < filed and (best is None or when > best[0]):
            best = (when, other)
    return best[1] if best else None


def previous_folder(folder: Path, root: Path) -> Path | None:
    found = find_previous(load_filing(folder, root))
    return found.folder if found else None
