"""The exact words a filer sees for the mistakes people make: an impossible date, a period the wrong way
round, a capital letter in a code, a stamp, a heading, a ratio, a rule to look up before any site exists."""

from __future__ import annotations

import shutil
from pathlib import Path

from gridmod.validate.drift import _ratio
from tests.filer.filerfixtures import REPO, gridmod


def test_an_impossible_or_misformatted_date_says_what_is_wrong(repo: Path) -> None:
    wrong_day = gridmod("new", "sdge", "gmr-2030", "--filing-date", "2030-02-30")
    assert wrong_day.exit_code == 2
    assert (
        "Invalid value for '--filing-date': '2030-02-30' is not a day of the calendar: February 2030 has 28 days."
    ) in wrong_day.output
    american = gridmod("new", "sdge", "gmr-2030", "--period-start", "07/01/2028")
    assert ("'07/01/2028' is not a date written as YYYY-MM-DD (for example 2028-10-01).") in american.output
    month = gridmod("new", "sdge", "gmr-2030", "--period-end", "2030-13-01")
    assert "'2030-13-01' has month 13; months run from 01 to 12." in month.output
    assert not (repo / "data" / "sdge").exists()


def test_a_period_that_ends_before_it_starts_is_refused(repo: Path) -> None:
    result = gridmod("new", "sdge", "gmr-2030", "--period-start", "2028-07-01", "--period-end", "2028-06-30")
    assert result.exit_code == 2
    assert result.output == (
        "gridmod: The reporting period would end on 2028-06-30, before it starts on 2028-07-01; "
        "give --period-start and --period-end in that order.\n"
    )
    assert not (repo / "data" / "sdge").exists()


def test_capital_letters_in_a_utility_or_filing_id_get_a_did_you_mean(repo: Path) -> None:
    assert gridmod("new", "SDGE", "gmr-2030").output == (
        "gridmod: Utility 'SDGE' is not one of pge, sce, sdge; did you mean 'sdge'? Utility codes are lowercase.\n"
    )
    assert gridmod("new", "sdge", "GMR-2030").output == (
        "gridmod: Filing id GMR-2030 has capital letters; did you mean gmr-2030? Filing ids are lowercase.\n"
    )
    assert "Cannot tell which profile filing report-2030 follows" in gridmod("new", "sdge", "report-2030").output


def test_stamp_names_the_files_it_recorded(repo: Path) -> None:
    assert gridmod("new", "sdge", "gmr-2030").exit_code == 0
    costs = repo / "data/sdge/gmr-2030/costs.csv"
    costs.write_text(costs.read_text(encoding="utf-8") + "x-1,2029,capital,recorded,1,1\n", encoding="utf-8")
    result = gridmod("stamp", "data/sdge/gmr-2030")
    assert result.exit_code == 0
    assert result.output == "Recorded the new size and hash of costs.csv in datapackage.json.\n"
    assert gridmod("stamp", "data/sdge/gmr-2030").output == "datapackage.json was already up to date.\n"


def test_a_heading_is_quoted_once(repo: Path) -> None:
    folder = repo / "data/pge/gmr-2026"
    shutil.copytree(REPO / "tests/fixtures/defects/unexpected_heading", folder)
    result = gridmod("validate", "data/pge/gmr-2026", "--quick")
    assert "warning GMR-W034: Heading 'Budget notes' is not one of the six Appendix A elements" in result.output


def test_a_ratio_keeps_its_significant_digits() -> None:
    assert [_ratio(r) for r in (0.033, 0.4, 0.95, 1.0, 2.14, 12.25)] == ["0.033", "0.4", "0.95", "1.0", "2.1", "12.2"]


def test_findings_name_a_command_for_their_rule_and_the_command_answers(repo: Path) -> None:
    folder = repo / "data/pge/gmr-2026"
    shutil.copytree(REPO / "tests/fixtures/defects/unexpected_heading", folder)
    checked = gridmod("validate", "data/pge/gmr-2026", "--quick")
    assert "      Rule: gridmod rule GMR-W034\n" in checked.output and "site/rules/" not in checked.output
    assert (
        "Expectations phase skipped: the great-expectations plausibility checks run in `gridmod validate` "
        "without --quick, in `gridmod build` and in `gridmod serve --full`." in checked.output
    )
    rule = gridmod("rule", "gmr-w034")
    assert rule.exit_code == 0
    lines = rule.output.splitlines()
    assert lines[0] == "GMR-W034: Unexpected heading in an activity narrative (warning)"
    assert "  Says: Heading {value} is not one of the six Appendix A elements, or is out of order." in lines
    assert lines[-1] == "  Page: site/rules/gmr-w034/ (once gridmod build has run)"
    unknown = gridmod("rule", "GMR-E999")
    assert unknown.exit_code == 2 and unknown.output.startswith("gridmod: There is no rule GMR-E999.")
