"""Copies of the ICA fixtures to edit in a test, validated as a filer would."""

from __future__ import annotations

import shutil
from pathlib import Path

from gridmod.filing import stamp_resources
from gridmod.findings import PackageResult
from gridmod.validate import validate_filing

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_valid(target: Path) -> Path:
    shutil.copytree(FIXTURES / "valid_minimal", target)
    return target


def validate(folder: Path, root: Path) -> PackageResult:
    stamp_resources(folder)
    return validate_filing(folder, root).result


def where(result: PackageResult, code: str) -> list[tuple[str, int | None, int | None]]:
    return [(f.path.rsplit("/", 1)[-1], f.line, f.column) for f in result.findings if f.code == code]
