"""`gridmod diff` on ICA filings: the remediation plan, issues, network, metrics and hosting capacity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gridmod.cli import main
from gridmod.diff import compare_filings
from gridmod.diff.ica import IcaDiff
from gridmod.filing import stamp_resources

from ..conftest import ROOT

OLD, NEW = "data/pge/ica-2026-h1", "data/pge/ica-2026-h2"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "validation", tmp_path / "validation")
    for filing in (OLD, NEW):
        shutil.copytree(ROOT / filing, tmp_path / filing)
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n")
    return tmp_path


def _rewrite(folder: Path, name: str, old: str, new: str | None) -> None:
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines
    lines = [new if line == old else line for line in lines if line != old or new is not None]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stamp_resources(folder)


def test_the_pge_samples_print_remediation_and_hosting_capacity_changes() -> None:
    result = CliRunner().invoke(main, ["diff", NEW])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("## PG&E: ICA changes from ica-2026-h1 to ica-2026-h2\n")
    assert (
        "| `ica-002/a2` Validate every download with the ED profile before release | forecast 2026-06-15 → "
        "2026-09-30 (+107 days) |"
    ) in out
    assert "| `ica-003/a1` Rerun the ICA on every circuit at least yearly | status planned → in progress |" in out
    assert "| `240111102` Dunes Creek 1102 | 2,347.5 kW | 3,169.1 kW | +821.6 kW | +35.0 % |" in out
    assert "| `240481103` Kestrel Point 1103 | 2,417.5 kW | 1,934.0 kW | −483.5 kW | −20.0 % |" in out
    assert "### Hosting capacity by substation" in out and "| `24011` Dunes Creek |" in out
    assert "of 20 feeders in both, 2 up and 1 down" in out


def test_json_carries_the_same_changes() -> None:
    data = json.loads(CliRunner().invoke(main, ["diff", OLD, NEW, "--format", "json"]).output)
    assert data["summary"]["actions"] == {"added": 0, "removed": 0, "redated": 0, "status_changed": 1}
    [forecast] = [a for a in data["actions"] if a["key"] == "ica-002/a2"]
    assert forecast["forecast_days"] == 107 and forecast["old"]["forecast_date"] == "2026-06-15"
    feeders = data["feeder_capacity"]
    assert (feeders["up"], feeders["down"], len(feeders["changes"])) == (2, 1, 20)
    assert feeders["changes"][0] == {
        "id": "240111102",
        "name": "Dunes Creek 1102",
        "old_kw": 2347.5,
        "new_kw": 3169.1,
        "change_kw": 821.6,
        "change_pct": 35.0,
    }
    assert data["substation_capacity"]["old_median_kw"] < data["substation_capacity"]["new_median_kw"]


def test_a_re_dated_action_an_issue_and_the_network(repo: Path) -> None:
    new = repo / NEW
    action = "ica-003,a1,Rerun the ICA on every circuit at least yearly,7654-E,in_progress,2026-06-30,,"
    _rewrite(new, "remediation.csv", action, action.replace("2026-06-30", "2026-12-31"))
    issue = next(line for line in (new / "issues.csv").read_text().splitlines() if line.startswith("ica-004,"))
    _rewrite(new, "issues.csv", issue, issue.replace(",open,", ",remediating,"))
    feeders = (new / "feeders.csv").read_text().splitlines()
    gone = next(line for line in feeders if line.startswith("240111104,"))
    _rewrite(new, "feeders.csv", gone, None)
    diff = compare_filings(repo / OLD, new, repo)
    assert isinstance(diff, IcaDiff)
    [redated] = diff.redated
    assert (redated.key, redated.moved("planned_date")) == ("ica-003/a1", 184)
    [changed] = diff.issues
    assert (changed.issue_id, changed.old_status, changed.new_status) == ("ica-004", "open", "remediating")
    assert diff.feeders.removed == [("240111104", "Dunes Creek 1104")]
    out = CliRunner().invoke(main, ["diff", str(repo / OLD), str(new)]).output
    assert "planned 2026-06-30 → 2026-12-31 (+184 days) **(re-dated)**" in out
    assert "1 action re-dated later" in out
    assert "**Feeders no longer in ica-2026-h2:** `240111104` Dunes Creek 1104" in out


def test_results_that_do_not_read_leave_the_rest_of_the_comparison(repo: Path) -> None:
    (repo / NEW / "results.csv").write_bytes(b"\xff\xfe not a table")
    diff = compare_filings(repo / OLD, repo / NEW, repo)
    assert diff.feeder_capacity is None and diff.actions
    assert any(
        n.startswith("Hosting capacity not compared: the results of a filing cannot be read") for n in diff.notes
    )


def test_a_remediation_row_that_does_not_read_is_named(repo: Path) -> None:
    new = repo / NEW
    action = "ica-003,a1,Rerun the ICA on every circuit at least yearly,7654-E,in_progress,2026-06-30,,"
    _rewrite(new, "remediation.csv", action, action.replace("2026-06-30", "June 30"))
    diff = compare_filings(repo / OLD, new, repo)
    assert any("remediation.csv: 1 row left out of the comparison" in n and "line 5" in n for n in diff.notes)
    assert [a.change for a in diff.actions if a.key == "ica-003/a1"] == ["removed"]
