"""Earlier revisions of the published filings, rebuilt from git as they were accepted.

A corrected filing replaces the files under data/, but the revision it supersedes stays on the public record:
its receipt names the commit that landed it, so its package is read back from that commit, checked against
the receipt's hash, validated and rendered with the profile version it was filed under (old versions stay in
validation/), and published beside the record page at a stable address:
record/<utility>/<filing_id>/revision-<n>/. Sample receipts have no commit, so there is nothing to rebuild.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gridmod.errors import SetupError
from gridmod.gitrepo import files_at, show_file
from gridmod.outputs import BuiltFiling
from gridmod.record import LEDGER, Ledger, Receipt, load_ledger
from gridmod.record.digest import package_sha256
from gridmod.site.downloads import DOCUMENTS, write_package_zip
from gridmod.site.edition import Download

# What an earlier revision is validated and rendered with, linked into its temporary repository.
_SHARED = ("validation", "templates")


@dataclass
class EarlierRevision:
    receipt: Receipt
    folder: str  # docs-relative folder of its downloads, record/<utility>/<filing_id>/revision-<n>
    files: Path  # where its downloads are until the site copies them
    downloads: list[Download] = field(default_factory=list)
    built: BuiltFiling | None = None  # None when it no longer validates with this gridmod (the zip is still kept)


def revision_folder(receipt: Receipt) -> str:
    return f"{receipt.slug}/revision-{receipt.revision}"


def prepare_revisions(root: Path, built: list[BuiltFiling], stage: Path) -> list[EarlierRevision]:
    """Every earlier accepted revision of the filings in `built`, with its report and data package."""
    from gridmod.render import render_filing
    from gridmod.validate import validate_filing

    earlier = []
    ledger = load_ledger(root)
    for b in built:
        record = b.filing.record
        for receipt in record.earlier if record else []:
            if receipt.commit is None:
                continue
            repo = stage / f"{receipt.utility}-{receipt.filing_id}-{receipt.revision}"
            folder = _checkout(root, receipt, ledger, repo)
            item = validate_filing(folder, repo)
            files = repo / "downloads"
            files.mkdir()
            revision = EarlierRevision(receipt, revision_folder(receipt), files)
            stem = f"{receipt.utility}-{receipt.filing_id}-revision-{receipt.revision}"
            if item.result.valid and item.profile is not None:
                revision.built = render_filing(
                    item.filing, item.profile, item.result, repo / "reports", formats=tuple(key for key, _ in DOCUMENTS)
                )
                for key, label in DOCUMENTS:
                    source = revision.built.outputs.get(key)
                    if source is not None:
                        name = f"{stem}.{key}"
                        os.replace(source, files / name)
                        revision.downloads.append(Download(label, name, (files / name).stat().st_size))
            package = BuiltFiling(item.filing, item.profile, item.result) if item.profile else None
            if package is not None:
                name = f"{stem}-data.zip"
                write_package_zip(package, files / name)
                revision.downloads.append(
                    Download(
                        "Data package (zip)",
                        name,
                        (files / name).stat().st_size,
                        f"datapackage.json with every table and narrative, as filed in revision {receipt.revision}.",
                    )
                )
            earlier.append(revision)
    return earlier


def _checkout(root: Path, receipt: Receipt, ledger: Ledger, repo: Path) -> Path:
    """The revision's files as the receipt's commit holds them, in a repository of their own that shares this
    one's rules and templates and holds the ledger as it stood when the revision was accepted."""
    (repo / receipt.filing).mkdir(parents=True)
    for name in _SHARED:
        if (root / name).exists():
            (repo / name).symlink_to((root / name).resolve(), target_is_directory=True)
    until = ledger.receipts[: ledger.receipts.index(receipt) + 1]
    (repo / LEDGER).parent.mkdir()
    (repo / LEDGER).write_text("".join(r.to_json() + "\n" for r in until if not r.sample), encoding="utf-8")
    paths = files_at(root, receipt.commit or "", receipt.filing)
    if not paths:
        raise SetupError(
            f"{receipt.accession}: commit {receipt.commit} holds no files under {receipt.filing}; "
            "the publish job needs the whole history of main (actions/checkout with fetch-depth: 0)."
        )
    for path in paths:
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(show_file(root, receipt.commit or "", path))
    folder = repo / receipt.filing
    if package_sha256(folder) != receipt.package_sha256:
        raise SetupError(
            f"{receipt.accession}: the files of {receipt.filing} in commit {receipt.commit} do not "
            "match the receipt's package hash; the ledger and the history disagree."
        )
    return folder
