"""Frozen, citable releases of one filing cycle's data (`gridmod release CYCLE`).

A release is a dated folder, releases/<cycle>/<YYYY-MM-DD>/, committed to the repository: each utility's
data package of the cycle (the zip the site publishes, gridmod.site.downloads), release.json naming every
filing by its accession number and package hash, SHA256SUMS, and one zip of it all. A report to the
Legislature cites the folder; nothing ever writes into it again. The site copies releases/ as it is
(gridmod.site.opendata), after checking every file against SHA256SUMS (gridmod.record.release), so
rebuilding the site never changes a past release, and a release whose files were changed stops the build.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from gridmod import __version__
from gridmod.errors import InputError
from gridmod.outputs import BuiltFiling
from gridmod.record.release import MANIFEST, RELEASES, SUMS, sha256_of
from gridmod.validate import PHASES, validate


class ReleaseError(InputError):
    """The cycle cannot be released as asked: no filing, an invalid one, one not on the record, or a
    release of that day exists already."""


@dataclass(frozen=True)
class Release:
    folder: Path
    manifest: dict[str, Any]


def make_release(root: Path, cycle: str, day: date) -> Release:
    """Write releases/<cycle>/<day>/ from the filings of `cycle` under data/; ReleaseError if they cannot
    be released. The folder appears whole or not at all."""
    from gridmod.site.downloads import write_package_zip

    target = root / RELEASES / cycle / day.isoformat()
    shown = target.relative_to(root).as_posix()
    if target.exists():
        raise ReleaseError(
            f"{shown} exists already: a release is never changed. Release again on another day, or with "
            "--date, to publish a new one beside it."
        )
    report, validated = validate(None, root, PHASES)
    chosen = [v for v in validated if v.filing.header is not None and v.filing.head.filing_id == cycle]
    if not chosen:
        cycles = sorted({v.filing.head.filing_id for v in validated if v.filing.header is not None})
        raise ReleaseError(f"No filing under data/ is of cycle {cycle}; the cycles filed are {', '.join(cycles)}.")
    invalid = [v.filing.rel for v in chosen if not v.result.valid]
    if invalid:
        raise ReleaseError(
            f"Not released: {', '.join(invalid)} has errors (`gridmod validate {invalid[0]}` lists them)."
        )
    pending = [v.filing.rel for v in chosen if v.filing.record is None or v.filing.record.current is None]
    if pending:
        raise ReleaseError(
            f"Not released: {', '.join(pending)} is not on the record yet; a release cites each filing by its "
            "receipt (`gridmod record` issues it when the filing lands on main)."
        )
    chosen.sort(key=lambda v: v.filing.head.utility)
    (root / RELEASES).mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".release-", dir=root / RELEASES) as tmp:
        work = Path(tmp) / "release"
        work.mkdir()
        filings: list[dict[str, object]] = []
        files: list[str] = []
        for item in chosen:
            assert item.profile is not None
            built = BuiltFiling(item.filing, item.profile, item.result)
            name = f"{item.filing.head.stem}-data.zip"
            write_package_zip(built, work / name)
            files.append(name)
            record = item.filing.record
            assert record is not None and record.current is not None  # checked above
            receipt = record.current
            filings.append(
                {
                    "utility": item.filing.head.utility,
                    "filing_id": item.filing.head.filing_id,
                    "title": str((item.filing.descriptor or {}).get("title") or name),
                    "sample": item.filing.is_sample,
                    "accession": receipt.accession,
                    "revision": receipt.revision,
                    "accepted_at": receipt.accepted_at.isoformat(),
                    "package_sha256": receipt.package_sha256,
                    "profile": item.profile.name,
                    "profile_version": item.profile.version,
                    "file": name,
                    "bytes": (work / name).stat().st_size,
                    "sha256": sha256_of(work / name),
                }
            )
        bundle = f"{cycle}-{day.isoformat()}.zip"
        manifest = {
            "cycle": cycle,
            "released": day.isoformat(),
            "sample": any(f["sample"] for f in filings),
            "gridmod_version": __version__,
            "bundle": bundle,
            "filings": filings,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _bundle(work, [MANIFEST, *files], work / bundle, day)
        names = sorted([MANIFEST, bundle, *files])
        (work / SUMS).write_text("".join(f"{sha256_of(work / n)}  {n}\n" for n in names), encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(work, target)
    return Release(target, manifest)


def _bundle(folder: Path, names: list[str], target: Path, day: date) -> None:
    """One zip of the release, with entries stamped with its day, so the same release is the same bytes."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(names):
            info = zipfile.ZipInfo(f"{target.stem}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED  # its zips are compressed already
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            with (folder / name).open("rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
