"""Report formats keep one finding per annotation line and never break a Markdown table."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gridmod.findings import Finding, PackageResult, Report
from gridmod.formats import format_github, format_markdown


def _report(message: str, path: str = "data/pge/gmr-2026/costs.csv") -> Report:
    finding = Finding(
        code="GMR-E010",
        severity="error",
        path=path,
        message=message,
        hint="fix it",
        url="site/rules/gmr-e010/",
        line=3,
        column=2,
    )
    return Report(
        [PackageResult(path="data/pge/gmr-2026", profile="gmr-appendix-a", version="1.0", findings=[finding])]
    )


@given(st.text())
def test_github_annotation_is_one_line_whatever_the_value(message: str) -> None:
    out = format_github(_report(message))
    assert out.count("\n") == 1
    assert out.startswith("::error file=data/pge/gmr-2026/costs.csv,line=3,col=2,title=GMR-E010 (error)::")
    assert "\r" not in out


def test_github_escapes_workflow_command_syntax() -> None:
    out = format_github(_report("50% done\n::warning::fake", path="data/a,b:c.csv"))
    assert "file=data/a%2Cb%3Ac.csv," in out
    assert "50%25 done%0A::warning::fake" in out


@given(st.text())
def test_markdown_table_row_stays_one_row(message: str) -> None:
    rows = [line for line in format_markdown(_report(message)).splitlines() if line.startswith("| error")]
    assert len(rows) == 1
    assert rows[0].replace("\\|", "").count("|") == 6
