"""The real migration of gmr-appendix-a 1.0 to 1.1 (validation/gmr-appendix-a/1.1/migration.yaml) on a copy of
the 1.0 fixture: the words the filer reads, what stays empty until filled, a filing that is valid once the
filer has filled it, and the 1.0 fixture itself still valid under 1.0."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gridmod.migrate.plan import load_migration
from gridmod.validate import validate_filing
from tests.filer.filerfixtures import gridmod

from ..conftest import FIXTURES as FIXTURES_10
from ..conftest import ROOT
from .make_fixtures import fill

FILING = "data/pge/gmr-2026"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The rule spec and a copy of the 1.0 fixture as data/pge/gmr-2026."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "validation", root / "validation")
    (root / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    shutil.copytree(FIXTURES_10 / "valid_minimal", root / FILING)
    monkeypatch.chdir(root)
    monkeypatch.setenv("GRIDMOD_ROOT", str(root))
    return root


def test_the_migration_accounts_for_every_field_of_11() -> None:
    migration = load_migration(ROOT, "gmr-appendix-a", "1.1")
    assert (migration.old.version, migration.new.version) == ("1.0", "1.1")
    assert set(migration.new_tables) == {"authorizations", "authorized_activities"}


def test_a_10_filing_migrates_lists_what_to_fill_and_is_valid_once_filled(repo: Path) -> None:
    run = gridmod("migrate", FILING, "--to", "1.1")
    assert run.exit_code == 0, run.output
    assert run.output == (
        "Migrated data/pge/gmr-2026 from gmr-appendix-a 1.0 to 1.1.\n"
        "  rewrote activities.csv\n"
        "  rewrote use_cases.csv\n"
        "  rewrote costs.csv\n"
        "  recorded the new sizes and hashes in datapackage.json\n"
        "Still to fill:\n"
        "  activities.csv: the technology code of each activity, from the profile's technology list (adms, derms, "
        "flisr, ..., other) — not in 1.0\n"
        "  use_cases.csv: the metric_id of each use case with a benefit value, from the profile's benefit-metric "
        "catalogue, with benefit_unit in that metric's unit — not in 1.0\n"
        "  authorizations.csv: the amounts requested, authorized or deferred in each decision or GRC, with their "
        "source, program, period, cost type and dollar basis year (optional) — not in 1.0\n"
        "  authorized_activities.csv: the activities each authorization covers (optional, with authorizations.csv) "
        "— not in 1.0\n"
        "Check it with `gridmod validate data/pge/gmr-2026`.\n"
    )
    folder = repo / FILING
    assert (folder / "costs.csv").read_text(encoding="utf-8").splitlines()[:2] == [
        "activity_id,year,cost_type,basis,amount_usd,authorized_usd,recorded_through",
        "adms-phase-2,2024,capital,recorded,4200000,4000000,",
    ]
    # Until filled, the filing says what is missing where.
    before = validate_filing(folder, repo, ("structure", "content")).result
    assert before.version == "1.1"
    assert {(f.code, f.path.rsplit("/", 1)[1], f.line, f.column) for f in before.findings if f.is_open} == {
        ("GMR-E011", "activities.csv", 2, 3),
        ("GMR-E011", "activities.csv", 3, 3),
        ("GMR-E103", "use_cases.csv", 2, 5),
    }
    fill(folder)
    assert gridmod("stamp", FILING).exit_code == 0
    after = validate_filing(folder, repo).result
    assert (after.version, [f for f in after.findings if f.is_open]) == ("1.1", [])


def test_the_10_fixture_is_untouched_and_valid_under_10() -> None:
    result = validate_filing(FIXTURES_10 / "valid_minimal", ROOT).result
    assert (result.version, result.valid, [f for f in result.findings if f.is_open]) == ("1.0", True, [])
