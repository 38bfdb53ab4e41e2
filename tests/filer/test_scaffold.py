"""`gridmod new`: a package shaped by the profile, dated by its calendar, with guidance that never publishes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypandoc
import pytest

from gridmod.filing import stamp_resources
from gridmod.scaffold import unwritten_narratives
from gridmod.site.report import READER
from gridmod.spec import load_profile
from tests.filer.filerfixtures import REPO, gridmod


def test_new_filing_has_every_resource_dated_and_stamped(repo: Path) -> None:
    result = gridmod("new", "pge", "gmr-2026", "--activity", "adms-phase-2")
    assert result.exit_code == 0, result.output
    folder = repo / "data" / "pge" / "gmr-2026"
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["gridmod"] == {
        "profile": "gmr-appendix-a",
        "profile_version": "1.0",
        "utility": "pge",
        "filing_id": "gmr-2026",
        "proceeding": "R.21-06-017",
        "reporting_period_start": "2024-07-01",
        "reporting_period_end": "2026-06-30",
        "filing_date": "2026-10-01",
        "attestation": {
            "name": "",
            "title": "",
            "date": "",
            "statement": (
                "I am an officer of Pacific Gas and Electric Company and am authorized to make this verification on its "
                "behalf. I have read this filing. The data and statements in it are true of my own knowledge, except as "
                "to matters stated on information and belief, and as to those matters I believe them to be true. I "
                "declare under penalty of perjury under the laws of the State of California that the foregoing is true "
                "and correct."
            ),
        },
    }
    assert [r["name"] for r in descriptor["resources"]] == [
        "categories",
        "activities",
        "milestones",
        "costs",
        "use_cases",
        "explanations",
        "introduction",
        "summary",
        "outlook",
        "activity-adms-phase-2",
    ]
    assert stamp_resources(folder) == []  # sizes and hashes already right
    assert (folder / "costs.csv").read_text() == "activity_id,year,cost_type,basis,amount_usd,authorized_usd\n"
    assert (
        folder / "categories.csv"
    ).read_text() == "category_id,has_activities,no_activity_reason\na,,\nb,,\nc,,\nd,,\ne,,\n"
    checked = gridmod("validate", "--quick", "data/pge/gmr-2026")
    codes = {line.split()[2].rstrip(":") for line in checked.output.splitlines() if ": error " in line}
    # Only the content and the officer's signature are missing: nothing about paths, headers or hashes.
    assert codes <= {"GMR-E011", "GMR-E026", "GMR-E033", "GMR-E047"}, checked.output


def test_guidance_is_for_the_filer_only(repo: Path) -> None:
    assert gridmod("new", "sce", "gmr-2028", "--activity", "gms-adms").exit_code == 0
    folder = repo / "data" / "sce" / "gmr-2028"
    intro = (folder / "narrative" / "introduction.md").read_text()
    assert intro.startswith(
        '[guidance-introduction-1]: # "I.a Overview of Grid Mod Plan and related background '
        "information, a section of the Biennial Grid Modernization Progress Report (Appendix "
        'A)."\n'
    )
    activity = (folder / "narrative" / "activities" / "gms-adms.md").read_text()
    assert activity.endswith(
        "\n\n## Description and status\n\n## Key milestones achieved, including timelines\n\n"
        "## Benefits realized and current use cases\n\n## Challenges encountered and any "
        "modifications to the original plan\n\n## Planned future use cases and anticipated "
        "benefits\n\n## Costs incurred and anticipated\n"
    )
    assert "The report shows the rows of milestones.csv here. Key milestones with timelines" in activity
    for text in (intro, activity):
        html = pypandoc.convert_text(text, "html5", format=READER)
        assert "guidance" not in html.lower() and "[" not in html
    profile = load_profile(repo, "gmr-appendix-a", "1.0")
    assert unwritten_narratives(folder, profile) == [
        "narrative/introduction.md",
        "narrative/summary.md",
        "narrative/outlook.md",
    ]
    (folder / "narrative" / "summary.md").write_text(intro + "\nWritten.\n")
    assert "narrative/summary.md" not in unwritten_narratives(folder, profile)


def test_an_ica_filing_gets_the_ica_calendar_and_guidance(repo: Path) -> None:
    """The January ICA report covers the second half of the year before; its summary's guidance is the ICA
    profile's, both read from validation/ica-biannual/1.0/profile.yaml."""
    run = gridmod("new", "sce", "ica-2027-h1")
    assert run.exit_code == 0, run.output
    assert "Reporting period 2026-07-01 to 2026-12-31; filing date 2027-01-31" in run.output
    folder = repo / "data" / "sce" / "ica-2027-h1"
    meta = json.loads((folder / "datapackage.json").read_text())["gridmod"]
    assert (meta["profile"], meta["reporting_period_start"], meta["filing_date"]) == (
        "ica-biannual",
        "2026-07-01",
        "2027-01-31",
    )
    summary = (folder / "narrative" / "summary.md").read_text()
    assert "1 Changes since the previous report, a section of the Biannual Integration Capacity Analysis" in summary
    assert "Say what changed since the previous biannual ICA report" in summary
    assert "Appendix A" not in summary and "GRC" not in summary
    july = gridmod("new", "pge", "ica-2027-h2")
    assert "Reporting period 2027-01-01 to 2027-06-30; filing date 2027-07-31" in july.output


def test_an_ica_filing_starts_from_the_open_issues_and_actions_of_the_previous_one(repo: Path) -> None:
    """SDG&E's 2026-H2 filing has ica-001 resolved and ica-002 to ica-004 open: the next filing starts with
    the three open issues and every action of theirs (a completed action of an open issue included), as
    written there, so that the remediation plan carries on and no open action is dropped (ICA-E149)."""
    shutil.copytree(REPO / "data" / "sdge" / "ica-2026-h2", repo / "data" / "sdge" / "ica-2026-h2")
    run = gridmod("new", "sdge", "ica-2027-h1")
    assert run.exit_code == 0, run.output
    assert "Carried forward from ica-2026-h2, still open there: 3 rows of issues, 4 rows of remediation." in run.output
    folder = repo / "data" / "sdge" / "ica-2027-h1"
    before = (repo / "data" / "sdge" / "ica-2026-h2" / "issues.csv").read_text().splitlines()
    issues = (folder / "issues.csv").read_text().splitlines()
    assert issues == [before[0]] + [line for line in before[1:] if ",resolved," not in line]
    assert [line.split(",")[0] for line in issues[1:]] == ["ica-002", "ica-003", "ica-004"]
    remediation = (folder / "remediation.csv").read_text().splitlines()
    assert [tuple(line.split(",")[:2]) for line in remediation[1:]] == [
        ("ica-002", "a1"),
        ("ica-002", "a2"),
        ("ica-003", "a1"),
        ("ica-004", "a1"),
    ]
    assert "Validate every download with the ED profile before release,4702-E,in_progress,2026-03-31" in remediation[2]
    stamped = json.loads((folder / "datapackage.json").read_text())["resources"]
    assert stamp_resources(folder) == [] and any(r["name"] == "remediation" for r in stamped)


def test_the_first_ica_filing_of_a_utility_starts_empty(repo: Path) -> None:
    """No earlier ICA filing of SCE (SDG&E's does not count): the tables start with their header only."""
    shutil.copytree(REPO / "data" / "sdge" / "ica-2026-h2", repo / "data" / "sdge" / "ica-2026-h2")
    run = gridmod("new", "sce", "ica-2027-h1")
    assert run.exit_code == 0 and "Carried forward" not in run.output
    folder = repo / "data" / "sce" / "ica-2027-h1"
    assert len((folder / "remediation.csv").read_text().splitlines()) == 1


def test_what_new_refuses(repo: Path) -> None:
    assert gridmod("new", "pge", "gmr-2026").exit_code == 0
    cases = {
        ("pge", "gmr-2026"): "gridmod: data/pge/gmr-2026 already exists and is not empty; gridmod new never writes "
        "over a filing. Choose another folder or remove it first.\n",
        ("pge", "gmr-2027"): "gridmod: Profile gmr-appendix-a filings are due in even years only; gmr-2027 names "
        "2027. Did you mean gmr-2028?\n",
        ("xyz", "gmr-2028"): "gridmod: Utility 'xyz' is not one of pge, sce, sdge (profile gmr-appendix-a 1.0).\n",
        ("pge", "gmr-2028", "--activity", "ADMS Phase 2"): "gridmod: Activity id 'ADMS Phase 2' must be lower-case "
        "letters, digits and hyphens (2 to 40 characters), "
        "e.g. adms-phase-2.\n",
    }
    for args, message in cases.items():
        result = gridmod("new", *args)
        assert (result.exit_code, result.output) == (2, message), args
    unknown = gridmod("new", "pge", "gmr-2028", "--profile", "gmr-appendix-z")
    assert unknown.exit_code == 2
    assert unknown.output.startswith("gridmod: There is no profile gmr-appendix-z. Available: gmr-appendix-a 1.0")


def test_dates_can_be_given_for_a_profile_without_calendar(repo: Path) -> None:
    result = gridmod("new", "sdge", "gmr-2030", "--filing-date", "2030-09-15")
    assert result.exit_code == 0, result.output
    meta = json.loads((repo / "data" / "sdge" / "gmr-2030" / "datapackage.json").read_text())["gridmod"]
    assert (meta["reporting_period_start"], meta["reporting_period_end"], meta["filing_date"]) == (
        "2028-07-01",
        "2030-06-30",
        "2030-09-15",
    )


@pytest.mark.parametrize(
    ("end", "months", "start"),
    [
        ("2026-06-30", 24, "2024-07-01"),  # Appendix A: the two years ending June 30
        ("2026-12-31", 6, "2026-07-01"),  # ICA, January report
        ("2026-06-30", 6, "2026-01-01"),  # ICA, July report
        ("2026-08-30", 6, "2026-03-01"),  # no February 30: the day after the last day of February
        ("2026-03-15", 1, "2026-02-16"),
    ],
)
def test_a_period_starts_the_day_after_the_same_date_months_before(end: str, months: int, start: str) -> None:
    from datetime import date

    from gridmod.scaffold import period_start

    assert period_start(date.fromisoformat(end), months) == date.fromisoformat(start)


def test_files_gridmod_replaces_keep_their_mode_and_new_ones_get_the_usual_mode(repo: Path) -> None:
    import os

    from gridmod.files import replacing

    existing = repo / "kept.txt"
    existing.write_text("old\n", encoding="utf-8")
    os.chmod(existing, 0o640)
    with replacing(existing) as staged:
        staged.write_text("new\n", encoding="utf-8")
    assert existing.stat().st_mode & 0o777 == 0o640 and existing.read_text(encoding="utf-8") == "new\n"
    mask = os.umask(0o022)
    try:
        with replacing(repo / "new.txt") as staged:
            staged.write_text("x\n", encoding="utf-8")
    finally:
        os.umask(mask)
    assert (repo / "new.txt").stat().st_mode & 0o777 == 0o644
    created = gridmod("new", "pge", "gmr-2028")
    assert created.exit_code == 0, created.output
    assert (repo / "data/pge/gmr-2028/datapackage.json").stat().st_mode & 0o777 == 0o666 & ~mask
