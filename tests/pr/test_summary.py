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
    assert (
        f"**Needs explanation:** add this row to `{UNEXPLAINED}/explanations.csv`, with the reason in place "
        "of `(why)`; the explanation is published with the report:\n\n```csv\ncode,key,text\n"
        "GMR-X062,adms-phase-2/2025/capital,(why)\n```\n"
    ) in out


def test_explained_finding_shows_its_explanation_and_no_row_to_add() -> None:
    result = CliRunner().invoke(main, ["validate", "tests/fixtures/valid_minimal", "--quick", "--format", "markdown"])
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if "GMR-X062" in line)
    assert row.startswith("| explained | [GMR-X062]")
    assert "| Explained: " in row
    assert "Needs explanation:" not in result.output and "```csv" not in result.output


def _explain(key: str) -> Report:
    finding = Finding(
        code="GMR-X045",
        severity="explain",
        path="data/pge/gmr-2026/milestones.csv",
        line=4,
        message="m",
        hint="h",
        url="u",
        key=key,
    )
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


def _finding(severity: str, n: int, message: str = "m", explanation: str | None = None) -> Finding:
    return Finding(
        code=f"GMR-{severity[0].upper()}{n:03d}",
        severity=severity,
        path="data/pge/gmr-2026/costs.csv",
        line=n,
        message=message,
        hint="h",
        url="u",
        key=f"k{n}",
        explanation=explanation,
    )


def test_findings_are_listed_most_urgent_first() -> None:
    findings = [
        _finding("warning", 1),
        _finding("explain", 2, explanation="because"),
        _finding("explain", 3),
        _finding("error", 4),
    ]
    text = format_markdown(Report([PackageResult("data/pge/gmr-2026", "gmr-appendix-a", "1.0", findings)]))
    rows = [line.split(" | ")[0] for line in text.splitlines() if line.startswith("| ") and "[GMR-" in line]
    assert rows == ["| error", "| needs explanation", "| warning", "| explained"]


def test_a_value_typed_by_a_filer_is_never_markup_in_the_summary() -> None:
    message = "Key [ED approved this filing](https://evil.example/) **now** <img src=x> www.evil.example"
    text = format_markdown(
        Report([PackageResult("data/pge/gmr-2026", "gmr-appendix-a", "1.0", [_finding("error", 1, message)])])
    )
    row = next(line for line in text.splitlines() if "ED approved" in line)
    assert (
        "\\[ED approved this filing\\](https:\\/\\/evil.example/) \\*\\*now\\*\\* \\<img src=x\\> www\\.evil.example"
    ) in row


def test_the_summary_stays_within_githubs_limit_and_says_what_it_left_out() -> None:
    """3,500 findings (a descriptor with thousands of junk resources) give a summary GitHub would drop."""
    from gridmod.formats import SUMMARY_LIMIT

    findings = [
        _finding("warning", n, "A resource that the profile does not know: " + "x" * 300) for n in range(3500)
    ] + [_finding("error", 9999)]
    text = format_markdown(Report([PackageResult("data/pge/gmr-2026", "gmr-appendix-a", "1.0", findings)]))
    assert len(text.encode("utf-8")) <= SUMMARY_LIMIT < 1024 * 1024
    assert "| error | [GMR-E9999](u) |" in text  # the error is listed first, so it is never left out
    left = int(text.split("… and ")[1].split(" more findings")[0])
    listed = sum(1 for line in text.splitlines() if line.startswith("| warning"))
    assert listed + left == 3500 and listed > 100
    assert "`validation-report.json` in the run's `filing-review` artifact lists every one." in text
