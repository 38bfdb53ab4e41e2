"""Build: validate every filing, render the valid ones, build the site, then swap the outputs in.

Everything is written into a staging folder first; reports/ and site/ are replaced only when all of it
succeeded, so a failed or interrupted build leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gridmod.findings import Report
from gridmod.outputs import BuiltFiling
from gridmod.validate import PHASES, validate

OUTPUTS = ("reports", "site")


class BuildError(Exception):
    """The build could not finish; outputs are unchanged."""


@dataclass
class BuildResult:
    report: Report
    built: list[BuiltFiling] = field(default_factory=list)
    published: bool = False


def build(root: Path, paths: list[Path] | None = None) -> BuildResult:
    report, validated = validate(paths, root, PHASES)
    result = BuildResult(report)
    if not report.valid:
        return result
    from gridmod.render import render_report
    from gridmod.site import build_site

    staging_parent = root / ".build"
    staging_parent.mkdir(exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix="stage-", dir=staging_parent))
    try:
        reports_dir, site_dir = stage / "reports", stage / "site"
        reports_dir.mkdir()
        for item in validated:
            assert item.profile is not None
            outputs = render_report(item.filing, item.profile, item.result, reports_dir)
            result.built.append(BuiltFiling(item.filing, item.profile, item.result, outputs))
        build_site(root, result.built, reports_dir, site_dir)
        for name in OUTPUTS:
            readme = root / name / "README.md"
            if readme.is_file():
                shutil.copy2(readme, stage / name / "README.md")
        _swap(root, stage)
        result.published = True
        for built in result.built:
            built.outputs = {k: root / "reports" / v.relative_to(reports_dir) for k, v in built.outputs.items()}
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return result


def _swap(root: Path, stage: Path) -> None:
    """Replace each output folder by its staged version with renames, keeping the old one until done."""
    retired = stage / "retired"
    retired.mkdir()
    for name in OUTPUTS:
        target = root / name
        if target.exists():
            os.replace(target, retired / name)
        os.replace(stage / name, target)
