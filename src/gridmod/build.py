"""Build: validate every filing, render the valid ones, prepare their web editions, build the site, then
swap the outputs in.

Everything is written into a staging folder first; reports/ and site/ are replaced only when all of it
succeeded, so a failed or interrupted build leaves the previous outputs exactly as they were. The swap
itself is journalled: a build killed in the middle of the two renames is rolled back by the next one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from gridmod.findings import Report
from gridmod.outputs import BuiltFiling
from gridmod.spec import SetupError
from gridmod.validate import PHASES, validate

if TYPE_CHECKING:
    from gridmod.statewide import StatewideEdition

OUTPUTS = ("reports", "site")
STAGING = ".build"
JOURNAL = "swap.json"


@dataclass
class BuildResult:
    report: Report
    built: list[BuiltFiling] = field(default_factory=list)
    published: bool = False
    skipped: list[str] = field(default_factory=list)  # invalid filings left out with --skip-invalid
    statewide: list[StatewideEdition] = field(default_factory=list)  # one per Appendix A cycle


def build(root: Path, paths: list[Path] | None = None, skip_invalid: bool = False) -> BuildResult:
    """Validate and publish. Any invalid filing stops the build unless `skip_invalid` says explicitly to
    publish the valid ones without it."""
    (root / STAGING).mkdir(exist_ok=True)
    with _exclusive(root / STAGING / "build.lock"):
        return _build(root, paths, skip_invalid)


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """One build at a time per repository: a second would delete the first one's staging folder. The lock is
    the operating system's (filelock), so it is released when a killed build's process ends, on any system."""
    try:
        with FileLock(lock, timeout=0):
            yield
    except Timeout:
        raise SetupError("another gridmod build is running in this repository; wait for it to finish.") from None


def _build(root: Path, paths: list[Path] | None, skip_invalid: bool) -> BuildResult:
    recover(root)
    report, validated = validate(paths, root, PHASES)
    result = BuildResult(report)
    if not report.valid and not skip_invalid:
        return result
    result.skipped = [v.result.path for v in validated if not v.result.valid]
    from gridmod.render import render_filing
    from gridmod.site import build_site
    from gridmod.site.prepare import prepare_editions, prepare_statewide
    from gridmod.site.revisions import prepare_revisions
    from gridmod.statewide import render_editions

    staging_parent = root / STAGING
    _remove_stale_stages(staging_parent)
    stage = Path(tempfile.mkdtemp(prefix="stage-", dir=staging_parent))
    try:
        reports_dir, site_dir = stage / "reports", stage / "site"
        reports_dir.mkdir()
        for item in validated:
            if not item.result.valid:
                continue
            assert item.profile is not None
            result.built.append(render_filing(item.filing, item.profile, item.result, reports_dir))
        # The statewide edition of each Appendix A cycle, from the filings just rendered.
        result.statewide = render_editions(root, result.built, reports_dir)
        # The site's downloads and report fragments are made here, where the data is loaded; the site
        # stage itself only writes pages and runs MkDocs.
        prepare_editions(result.built, reports_dir, stage / "editions")
        prepare_statewide(result.statewide)
        (stage / "revisions").mkdir()
        earlier = prepare_revisions(root, result.built, stage / "revisions")
        build_site(root, result.built, reports_dir, site_dir, earlier, result.statewide)
        for name in OUTPUTS:
            readme = root / name / "README.md"
            if readme.is_file():
                shutil.copy2(readme, stage / name / "README.md")
        _swap(root, stage)
        result.published = True
        for built in result.built:
            built.outputs = {k: root / "reports" / v.relative_to(reports_dir) for k, v in built.outputs.items()}
        for edition in result.statewide:
            edition.outputs = {k: root / "reports" / v.relative_to(reports_dir) for k, v in edition.outputs.items()}
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        for built in result.built:
            built.web = None  # its files were in the stage
    return result


def _remove_stale_stages(staging_parent: Path) -> None:
    """Staging folders of builds that were killed; the journal's stage is handled by recover()."""
    for stale in staging_parent.glob("stage-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _swap(root: Path, stage: Path) -> None:
    """Move the old outputs aside, the staged ones in, then drop the old; a journal records the plan."""
    retired = stage / "retired"
    retired.mkdir()
    journal = root / STAGING / JOURNAL
    _write_journal(journal, {"stage": stage.name, "state": "swapping"})
    for name in OUTPUTS:
        if (root / name).exists():
            os.replace(root / name, retired / name)
    for name in OUTPUTS:
        os.replace(stage / name, root / name)
    _write_journal(journal, {"stage": stage.name, "state": "done"})
    journal.unlink()


def _write_journal(journal: Path, data: dict[str, str]) -> None:
    temporary = journal.with_suffix(".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, journal)


def recover(root: Path) -> None:
    """Finish or roll back a swap that a killed build left half done, so outputs are old or new, never mixed."""
    journal = root / STAGING / JOURNAL
    if not journal.is_file():
        return
    data = json.loads(journal.read_text(encoding="utf-8"))
    stage = root / STAGING / data["stage"]
    retired = stage / "retired"
    if data["state"] == "swapping":
        for name in OUTPUTS:
            if (retired / name).exists():
                if (root / name).exists():
                    shutil.rmtree(root / name)
                os.replace(retired / name, root / name)
    shutil.rmtree(stage, ignore_errors=True)
    journal.unlink()
