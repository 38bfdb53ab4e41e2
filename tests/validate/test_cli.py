"""The exact words a filer sees, and the exit codes CI acts on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gridmod.cli import main

NEGATIVE = "tests/fixtures/defects/negative_cost"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_text_report_of_a_negative_cost() -> None:
    result = run("validate", NEGATIVE, "--quick")
    assert result.exit_code == 1
    assert result.output == (
        f"{NEGATIVE}: NOT valid (1 error, 0 warnings, 0 need explanation) - profile gmr-appendix-a 1.0\n"
        f"  {NEGATIVE}/costs.csv:2:5: error GMR-E020: amount_usd is '-5.25'; costs are never negative.\n"
        "      How to fix: Enter the cost as a positive amount in US dollars; report credits and reversals "
        "in the narrative.\n"
        "      Rule: gridmod rule GMR-E020\n"
        "  Note: Content checks of costs.csv skipped: its structure has errors.\n"
        "  Note: Expectations phase skipped: the great-expectations plausibility checks run in `gridmod validate` "
        "without --quick, in `gridmod build` and in `gridmod serve --full`.\n"
        "1 filing checked: 1 error, 0 warnings, 0 need explanation.\n"
    )


def test_github_annotations_point_at_file_line_and_column() -> None:
    result = run("validate", NEGATIVE, "--quick", "--format", "github")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"::error file={NEGATIVE}/costs.csv,line=2,col=5,title=GMR-E020 (error)::amount_usd is '-5.25'; costs "
        "are never negative. How to fix: Enter the cost as a positive amount in US dollars; report credits "
        "and reversals in the narrative. Rule: site/rules/gmr-e020/"
    ]


def test_json_report_has_the_designed_shape(tmp_path) -> None:
    out = tmp_path / "report.json"
    result = run("validate", NEGATIVE, "--quick", "--format", "json", "--output", str(out))
    assert result.exit_code == 1 and result.output == ""
    data = json.loads(out.read_text())
    assert data["valid"] is False
    assert data["counts"] == {"error": 1, "warning": 0, "explain": 0}
    package = data["packages"][0]
    assert (package["path"], package["profile"], package["version"], package["valid"]) == (
        NEGATIVE,
        "gmr-appendix-a",
        "1.0",
        False,
    )
    finding = package["findings"][0]
    assert {k: finding[k] for k in ("code", "severity", "path", "line", "column", "value")} == {
        "code": "GMR-E020",
        "severity": "error",
        "path": f"{NEGATIVE}/costs.csv",
        "line": 2,
        "column": 5,
        "value": "-5.25",
    }
    assert finding["hint"] and finding["url"] == "site/rules/gmr-e020/"


def test_markdown_summary_counts_and_needs_explanation() -> None:
    result = run("validate", "tests/fixtures/defects/overrun_unexplained", "--quick", "--format", "markdown")
    assert result.exit_code == 1
    assert "| `tests/fixtures/defects/overrun_unexplained` | no | 0 | 0 | 1 |" in result.output
    assert "| needs explanation | [GMR-X062](site/rules/gmr-x062/) |" in result.output


def test_valid_filing_exits_zero_and_says_so() -> None:
    result = run("validate", "tests/fixtures/valid_minimal")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("tests/fixtures/valid_minimal: valid (0 errors")
    assert "explained GMR-X062" in result.output


def test_missing_path_is_a_usage_error() -> None:
    result = run("validate", "data/nowhere")
    assert result.exit_code == 2
    assert "data/nowhere does not exist. Give the folder of a filing, e.g. data/pge/gmr-2026." in result.output


def test_unknown_format_is_a_usage_error() -> None:
    assert run("validate", "--format", "xml").exit_code == 2


def test_broken_descriptor_is_a_finding_not_a_traceback() -> None:
    result = run("validate", "tests/fixtures/defects/descriptor_not_json", "--quick")
    assert result.exit_code == 1
    assert "error GMR-E001: datapackage.json is not a readable JSON object" in result.output
    assert "Traceback" not in result.output


def test_every_command_has_help() -> None:
    for command in main.commands.values():
        assert command.help and len(command.help.split()) > 5, command.name


def test_help_loads_no_heavy_library() -> None:
    """`gridmod --help` stays fast because no validation or rendering library loads for it."""
    probe = (
        "import sys\n"
        "from gridmod.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'frictionless', 'pandera', 'great_expectations', 'polars', 'pandas', 'mkdocs', 'typst'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_stamp_refuses_what_is_not_a_data_package(tmp_path) -> None:
    """Bad input to stamp is a message and exit 1, and the file is left exactly as it was."""
    result = run("stamp", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == (
        f"gridmod: {tmp_path}/datapackage.json does not exist: give the folder of a filing, "
        "or create one with `gridmod new`.\n"
    )
    broken = '{"resources": [],\n'
    (tmp_path / "datapackage.json").write_text(broken, encoding="utf-8")
    result = run("stamp", str(tmp_path))
    assert result.exit_code == 1
    assert "is not valid JSON (line 2, column 1: Expecting property name enclosed in double quotes)" in result.output
    (tmp_path / "datapackage.json").write_text("[1, 2]", encoding="utf-8")
    result = run("stamp", str(tmp_path))
    assert result.exit_code == 1 and "is not a data package" in result.output
    assert (tmp_path / "datapackage.json").read_text(encoding="utf-8") == "[1, 2]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackage.json"]


def test_stamp_leaves_entries_that_are_not_resources_to_validation(tmp_path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
    resources = [1, {"path": 3}, {"name": "no-path"}, {"name": "a", "path": "a.csv"}]
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    result = run("stamp", str(tmp_path))
    assert result.exit_code == 0 and result.output == "Recorded the new size and hash of a.csv in datapackage.json.\n"
    stamped = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    assert stamped[:3] == resources[:3] and stamped[3]["bytes"] == 4 and stamped[3]["hash"].startswith("sha256:")


def test_a_profile_edit_that_breaks_gridmod_is_named_not_an_internal_error(tmp_path: Path, monkeypatch) -> None:
    """Energy Division edits profile.yaml and rules.yaml; a section or rule gridmod needs that is gone reads
    as what it is, with exit code 2."""
    import shutil

    from click.testing import CliRunner

    from gridmod.cli import main
    from tests.filer.filerfixtures import REPO, make_root

    root = make_root(tmp_path / "repo")
    shutil.copytree(REPO / "data/sce/gmr-2026", root / "data/sce/gmr-2026")
    profile = root / "validation/gmr-appendix-a/1.1/profile.yaml"  # the version the SCE sample follows
    profile.write_text(profile.read_text().replace("\nreport:\n", "\nreport_renamed:\n"), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GRIDMOD_ROOT", str(root))
    run = CliRunner().invoke(main, ["render", "data/sce/gmr-2026", "--output", "out"])
    assert run.exit_code == 2
    assert "gridmod: Profile gmr-appendix-a 1.1 has no `report:` in profile.yaml, which gridmod needs" in run.output
    assert "internal error" not in run.output


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            'check: "completion_date <= :filing_date"',
            'check: "completion_dat <= :filing_date"',
            "Rule GMR-E051's check in rules.yaml cannot run on table activities",
        ),
        (
            'check: "completion_date <= :filing_date"',
            'check: "completion_date <== :filing_date"',
            "Rule GMR-E051's SQL in rules.yaml cannot be read",
        ),
        (
            'check: "completion_date <= :filing_date"',
            'check: "completion_date <= :filing_day"',
            "Rule GMR-E051 names :filing_day, which is not a value of the filing's context",
        ),
        (
            '        key: [activity_id]\n        check: "completion_date <= :filing_date"',
            '        key: activity_id\n        check: "completion_date <= :filing_date"',
            "the key of a check is a list of columns",
        ),
        (
            '      - table: activities\n        field: completion_date\n        key: [activity_id]\n        check: "completion_date <= :filing_date"',
            '      - table: activity\n        field: completion_date\n        key: [activity_id]\n        check: "completion_date <= :filing_date"',
            "rule GMR-E051 checks rows of activity, which is neither a table of the profile",
        ),
    ],
)
def test_a_broken_row_rule_is_named_with_its_code(old: str, new: str, said: str, tmp_path: Path, monkeypatch) -> None:
    import shutil

    from click.testing import CliRunner

    from gridmod.cli import main
    from gridmod.spec import load_profile
    from tests.filer.filerfixtures import REPO, make_root

    root = make_root(tmp_path / "repo")
    shutil.copytree(REPO / "data/sce/gmr-2026", root / "data/sce/gmr-2026")
    rules = root / "validation/gmr-appendix-a/1.1/rules.yaml"  # the version the SCE sample follows
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GRIDMOD_ROOT", str(root))
    load_profile.cache_clear()
    run = CliRunner().invoke(main, ["validate", "--quick", "data/sce/gmr-2026"])
    assert run.exit_code == 2, run.output
    assert said in run.output and "internal error" not in run.output
