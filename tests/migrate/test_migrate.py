"""`gridmod migrate FILING --to VERSION` on the test profile asset-register, 1.0 to 1.1 (one renamed field,
one added field with a default, one moved file), with the exact words a filer reads; bad input is a located
message with exit code 1 and leaves the filing as it was; filings of both versions validate and build side by
side."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gridmod.build import build
from gridmod.engines import registered
from gridmod.errors import SetupError
from gridmod.filing import file_digest, stamp_resources
from gridmod.migrate.plan import load_migration
from gridmod.spec import load_profile
from gridmod.validate import validate_filing
from tests.engines.test_third_profile import FILING, PROFILE, declare_plugin
from tests.filer.filerfixtures import gridmod, make_root

HERE = Path(__file__).resolve().parent
NEW = HERE / "asset-register-1.1"
OLD_FILING = "data/sce/register-2026"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The real profiles, asset-register 1.0 and 1.1 with its plugin engine, and two 1.0 filings of it."""
    root = make_root(tmp_path / "repo")
    for part in ("validation", "templates", "data"):
        shutil.copytree(PROFILE / part, root / part, dirs_exist_ok=True)
    shutil.copytree(NEW, root / "validation" / "asset-register" / "1.1")
    shutil.copytree(root / FILING, root / OLD_FILING)
    meta = json.loads((root / OLD_FILING / "datapackage.json").read_text(encoding="utf-8"))
    meta["gridmod"]["utility"] = "sce"
    meta["title"] = meta["title"].replace("PG&E", "SCE")
    (root / OLD_FILING / "datapackage.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    for filing in (FILING, OLD_FILING):
        stamp_resources(root / filing)
    declare_plugin(tmp_path / "plugins")
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    monkeypatch.chdir(root)
    monkeypatch.setenv("GRIDMOD_ROOT", str(root))
    registered.cache_clear()
    load_profile.cache_clear()
    yield root
    registered.cache_clear()
    load_profile.cache_clear()


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): file_digest(p)[1] for p in sorted(folder.rglob("*")) if p.is_file()}


def test_migrate_renames_adds_moves_and_says_what_it_did(repo: Path) -> None:
    run = gridmod("migrate", FILING, "--to", "1.1")
    assert run.exit_code == 0, run.output
    assert run.output == (
        "Migrated data/pge/register-2026 from asset-register 1.0 to 1.1.\n"
        "  rewrote readings.csv\n"
        "  rewrote assets.csv\n"
        "  moved narrative/summary.md to narrative/about.md\n"
        "  recorded the new sizes and hashes in datapackage.json\n"
        "Check it with `gridmod validate data/pge/register-2026`.\n"
    )
    folder = repo / FILING
    assert (folder / "readings.csv").read_text(encoding="utf-8").splitlines()[:2] == [
        "asset_id,month,delivered_kwh",
        "pv-0001,1,481000",
    ]
    assets = (folder / "assets.csv").read_text(encoding="utf-8").splitlines()
    assert assets[0] == "asset_id,feeder_id,technology,capacity_kw,commissioned_date,status"
    assert assets[1] == "pv-0001,012341101,pv,4500,2025-03-14,in_service"
    assert not (folder / "narrative" / "summary.md").exists() and (folder / "narrative" / "about.md").is_file()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["gridmod"]["profile_version"] == "1.1"
    assert {r["name"]: r["path"] for r in descriptor["resources"]}["summary"] == "narrative/about.md"
    assert stamp_resources(folder) == []  # sizes and hashes recorded by the migration itself
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no staging copy left
    # Again: nothing to do.
    again = gridmod("migrate", FILING, "--to", "1.1")
    assert (again.exit_code, again.output) == (
        0,
        "data/pge/register-2026 is already of asset-register 1.1; nothing to migrate.\n",
    )


def test_filings_of_both_versions_validate_and_build_side_by_side(repo: Path) -> None:
    assert gridmod("migrate", FILING, "--to", "1.1").exit_code == 0
    new, old = validate_filing(repo / FILING, repo).result, validate_filing(repo / OLD_FILING, repo).result
    assert (new.version, new.valid, old.version, old.valid) == ("1.1", True, "1.0", True), (new.findings, old.findings)
    result = build(repo)
    assert result.published, result.report.to_dict()
    page = (repo / "site" / "register" / "index.html").read_text(encoding="utf-8")
    assert "pge-register-2026.pdf" in page and "sce-register-2026.pdf" in page
    for version in ("1.0", "1.1"):
        assert (repo / "site" / "data-dictionary" / f"asset-register-{version}" / "index.html").is_file()


def test_an_added_field_without_default_is_listed_for_the_filer(repo: Path) -> None:
    migration = repo / "validation" / "asset-register" / "1.1" / "migration.yaml"
    migration.write_text(
        migration.read_text(encoding="utf-8").replace(
            "status: {default: in_service}", 'status: {fill: "whether each asset is in service or retired"}'
        ),
        encoding="utf-8",
    )
    run = gridmod("migrate", FILING, "--to", "1.1")
    assert run.exit_code == 0, run.output
    assert run.output.endswith(
        "Still to fill:\n"
        "  assets.csv: whether each asset is in service or retired — not in 1.0\n"
        "Check it with `gridmod validate data/pge/register-2026`.\n"
    )
    assert (repo / FILING / "assets.csv").read_text(encoding="utf-8").splitlines()[1].endswith(",2025-03-14,")
    found = {(f.code, f.line, f.column) for f in validate_filing(repo / FILING, repo).result.findings}
    assert ("REG-E011", 2, 6) in found  # the empty cells are now the filer's to fill


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda f: (f / "readings.csv").write_text("asset,month,energy_kwh\npv-0001,1,481000\n", encoding="utf-8"),
            "gridmod: data/pge/register-2026/readings.csv:1: column asset_id is missing, so the header is not that of "
            "asset-register 1.0; correct it (`gridmod validate` says how) and migrate again.\n",
        ),
        (
            lambda f: (f / "datapackage.json").write_text(
                '{"gridmod": {"profile": "asset-register",\n}', encoding="utf-8"
            ),
            "gridmod: data/pge/register-2026/datapackage.json:2:1: Expecting property name enclosed in double quotes; "
            "repair it and migrate again.\n",
        ),
        (
            lambda f: (f / "narrative" / "about.md").write_text("# About\n", encoding="utf-8"),
            "gridmod: data/pge/register-2026/narrative/about.md: the file exists already, so narrative/summary.md cannot "
            "move there; remove or rename it and migrate again.\n",
        ),
        (
            lambda f: (f / "assets.csv").write_bytes(
                b"asset_id,feeder_id,technology,capacity_kw,commissioned_date\npv-0001,0123,pv,45\xe9,2025-03-14\n"
            ),
            'gridmod: data/pge/register-2026/assets.csv:2: the file is not UTF-8 text; save it as UTF-8 ("CSV UTF-8" in '
            "Excel) and migrate again.\n",
        ),
    ],
)
def test_a_filing_that_cannot_be_migrated_is_named_where_and_left_as_it_was(repo: Path, edit, message: str) -> None:
    folder = repo / FILING
    edit(folder)
    before = _snapshot(folder)
    run = gridmod("migrate", FILING, "--to", "1.1")
    assert (run.exit_code, run.output) == (1, message)
    assert _snapshot(folder) == before
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


def test_a_version_without_a_migration_or_a_downgrade_is_refused(repo: Path) -> None:
    run = gridmod("migrate", FILING, "--to", "2.0")
    assert (run.exit_code, run.output) == (1, "gridmod: Profile asset-register has no version 2.0 (it has 1.0, 1.1).\n")
    (repo / "validation" / "asset-register" / "1.1" / "migration.yaml").unlink()
    run = gridmod("migrate", FILING, "--to", "1.1")
    assert (run.exit_code, run.output) == (
        1,
        (
            "gridmod: Profile asset-register 1.1 declares no migration from an earlier version "
            "(validation/asset-register/1.1/migration.yaml does not exist), so a filing of 1.0 cannot be migrated to "
            "1.1.\n"
        ),
    )


def test_a_migration_that_leaves_a_new_field_unaccounted_is_a_setup_error(repo: Path) -> None:
    migration = repo / "validation" / "asset-register" / "1.1" / "migration.yaml"
    migration.write_text(
        migration.read_text(encoding="utf-8")
        .replace("      status: {default: in_service}\n", "")
        .replace("    add:\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(
        SetupError, match="table assets of 1.1 has status, which the migration neither renames nor adds"
    ):
        load_migration(repo, "asset-register", "1.1")
    run = gridmod("migrate", FILING, "--to", "1.1")
    assert run.exit_code == 2 and "validation/asset-register/1.1/migration.yaml cannot be read" in run.output
