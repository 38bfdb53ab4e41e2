"""The job summary a filer reads: counts per severity, and for each finding that needs explanation the row
to add to explanations.csv; once explained, the finding shows as explained with its text."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from gridmod.cli import main
from gridmod.findings import Finding, PackageResult, Report
from gridmod.formats import format_markdown

UNEXPLAINED = "tests/fixtures/defects/overrun_unexplained"


def test_needs_explanation_gives_the_row_to_add() -> None:
    result = CliRunner().invoke(main, ["validate", UNEXPLAINED, "--quick", "--format", "markdown"])
    assert result.exit_code == 1
    out = result.output
    assert f"| `{UNEXPLAINED}` | no | 0 | 0 | 1 |" in out
    assert "**Total:** 0 errors, 0 warnings, 1 needs explanation." in out
    assert "| needs explanation | [GMR-X062](site/rules/gmr-x062/) |" in out
    assert "(key `adms-phase-2/2025/capital`)" in out
    assert (f"**Needs explanation:** add this row to `{UNEXPLAINED}/explanations.csv`, with the reason in place "
            "of `(why)`; the explanation is published with the report:\n\n```csv\ncode,key,text\n"
            "GMR-X062,adms-phase-2/2025/capital,(why)\n```\n") in out


def test_explained_finding_shows_its_explanation_and_no_row_to_add() -> None:
    result = CliRunner().invoke(main, ["validate", "tests/fixtures/valid_minimal", "--quick", "--format", "markdown"])
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if "GMR-X062" in line)
    assert row.startswith("| explained | [GMR-X062]")
    assert "| Explained: " in row
    assert "Needs explanation:" not in result.output and "```csv" not in result.output


def _explain(key: str) -> Report:
    finding = Finding(code="GMR-X045", severity="explain", path="data/pge/gmr-2026/milestones.csv", line=4,
                      message="m", hint="h", url="u", key=key)
    return Report([PackageResult("data/pge/gmr-2026", "gmr-appendix-a", "1.0", [finding])])


@given(st.text(min_size=1))
def test_the_row_to_add_is_one_csv_line_whatever_the_key(key: str) -> None:
    import csv
    import io

    out = format_markdown(_explain(key))
    block = out.split("```csv\n", 1)[1].split("```", 1)[0]
    rows = list(csv.reader(io.StringIO(block)))
    assert len(rows) == 2 and rows[1][0] == "GMR-X045" and rows[1][2] == "(why)"
    assert "`" not in block
