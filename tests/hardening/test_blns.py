"""The Big List of Naughty Strings (tests/data/blns.json, MIT licence beside it) in every kind of text
field and in the narrative: each string is either accepted as text or found at its own line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from gridmod.filing import stamp_resources
from gridmod.fonts import printable
from gridmod.validate import validate_filing
from gridmod.validate.cells import _INVISIBLE

from ..conftest import FIXTURES, ROOT

BLNS: list[str] = json.loads((ROOT / "tests/data/blns.json").read_text(encoding="utf-8"))
# (table, column, other cells of each row); one row per string, keyed so rows stay unique.
FIELDS = {
    "milestone_name": (
        "milestones",
        lambda i, s: {
            "activity_id": "adms-phase-2",
            "milestone_id": f"n{i}",
            "milestone_name": s,
            "status": "on_track",
            "baseline_date": "2027-01-15",
            "forecast_date": "2027-01-15",
            "actual_date": "",
        },
    ),
    "use_case": (
        "use_cases",
        lambda i, s: {
            "activity_id": "adms-phase-2",
            "use_case_id": f"n{i}",
            "timing": "planned",
            "use_case": s,
            "benefit_metric": "",
            "benefit_value": "",
            "benefit_unit": "",
        },
    ),
    "benefit_metric": (
        "use_cases",
        lambda i, s: {
            "activity_id": "adms-phase-2",
            "use_case_id": f"n{i}",
            "timing": "planned",
            "use_case": "A use case",
            "benefit_metric": s,
            "benefit_value": "1",
            "benefit_unit": "MW",
        },
    ),
    "text": ("explanations", lambda i, s: {"code": "GMR-X045", "key": f"adms-phase-2/n{i}", "text": s}),
}
# E056: a character the PDF cannot print (CJK, emoji, controls); E058: an invisible character in a name.
ALLOWED = {"GMR-E011", "GMR-E014", "GMR-E017", "GMR-E056", "GMR-E058", "GMR-W029", "GMR-W030", "GMR-W082"}
NAMES = {"milestone_name", "use_case"}


def _write_rows(folder: Path, table: str, rows: list[dict[str, str]]) -> dict[int, int]:
    """Replace the table's rows; returns string index -> line the row starts on."""
    path = folder / f"{table}.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    lines, line = {}, 2
    for index, row in enumerate(rows):
        lines[index] = line
        before = buffer.tell()
        writer.writerow(row)
        line += buffer.getvalue()[before:].count("\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return lines


@pytest.mark.parametrize("column", sorted(FIELDS))
def test_naughty_strings_in_a_text_column(column: str, tmp_path: Path) -> None:
    table, make = FIELDS[column]
    folder = tmp_path / "filing"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    lines = _write_rows(folder, table, [make(i, s) for i, s in enumerate(BLNS)])
    stamp_resources(folder)
    result = validate_filing(folder, ROOT, ("structure", "content")).result
    known = printable(ROOT)
    path = f"{folder.as_posix()}/{table}.csv"
    by_line: dict[int, set[str]] = {}
    for f in result.findings:
        if f.path == path:
            by_line.setdefault(f.line, set()).add(f.code)
    assert all(f.line for f in result.findings if f.path == path)
    for index, text in enumerate(BLNS):
        codes = by_line.get(lines[index], set())
        assert codes <= ALLOWED, (index, text, codes)
        if _INVISIBLE.search(text):
            assert ("GMR-E058" if column in NAMES else "GMR-W029") in codes, (index, text)
        if text and any(c not in known for c in text.replace("\r", "").replace("\n", "")):
            assert "GMR-E056" in codes, (index, text)
        if text == "":
            assert codes & {"GMR-E011", "GMR-E014"} or column == "benefit_metric", (index, codes)


def test_naughty_strings_in_the_narrative(tmp_path: Path) -> None:
    folder = tmp_path / "filing"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    text = "\n\n".join(s.replace("\r", " ").replace("\n", " ") for s in BLNS) + "\n"
    (folder / "narrative/summary.md").write_text(text, encoding="utf-8")
    stamp_resources(folder)
    result = validate_filing(folder, ROOT, ("structure", "content")).result
    flagged = {f.line for f in result.findings if f.code == "GMR-W029"}
    unprintable = {f.line for f in result.findings if f.code == "GMR-E056"}
    known = printable(ROOT)
    for number, line in enumerate(text.split("\n"), 1):
        assert (number in flagged) is bool(_INVISIBLE.search(line)), (number, line)
        assert (number in unprintable) is any(c not in known for c in line), (number, line)
    # Every other string is accepted as text: the only errors are characters the PDF cannot print.
    assert {f.code for f in result.findings if f.severity == "error"} <= {"GMR-E056"}
