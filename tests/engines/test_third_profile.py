"""A third profile, added as gridmod's users would add one: a folder of data (validation/asset-register/1.0,
its templates and a filing) and one small engine declared by a plugin (tests/engines/register_engine.py).
Nothing in gridmod names it, and it goes through validate, render, serve and build like the others."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pypdf
import pytest

from gridmod.build import build
from gridmod.engines import engine_of, registered
from gridmod.filing import stamp_resources
from gridmod.serve import Preview
from gridmod.spec import load_profile
from gridmod.validate import validate_filing
from tests.filer.filerfixtures import gridmod, make_root

HERE = Path(__file__).resolve().parent
PROFILE = HERE / "register"
FILING = "data/pge/register-2026"


def declare_plugin(folder: Path) -> None:
    """The installed-package form of a plugin: a distribution whose entry point names the engine."""
    info = folder / "gridmod_register_engine-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: gridmod-register-engine\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[gridmod.engines]\nregister = tests.engines.register_engine:ENGINE\n", encoding="utf-8"
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A repository with the two real profiles and the third one, and the plugin on the path."""
    root = make_root(tmp_path / "repo")
    for part in ("validation", "templates", "data"):
        shutil.copytree(PROFILE / part, root / part, dirs_exist_ok=True)
    stamp_resources(root / FILING)
    declare_plugin(tmp_path / "plugins")
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    monkeypatch.chdir(root)
    monkeypatch.setenv("GRIDMOD_ROOT", str(root))
    registered.cache_clear()
    load_profile.cache_clear()
    yield root
    registered.cache_clear()
    load_profile.cache_clear()


def test_the_plugin_engine_is_registered_beside_the_built_in_ones(repo: Path) -> None:
    assert list(registered()) == ["gmr", "ica", "register"]
    profile = load_profile(repo, "asset-register", "1.0")
    assert engine_of(profile).name == "register"
    # The shared structure rules, under the profile's prefix, with the profile's own example.
    assert profile.rule("REG-E005").message == load_profile(repo, "ica-biannual", "1.0").rule("ICA-E005").message
    assert profile.rule("REG-E012").example_right == "technology = pv"


def test_validate_runs_the_structure_phase_and_the_engine_checks(repo: Path) -> None:
    assert validate_filing(repo / FILING, repo).result.valid
    assets = repo / FILING / "assets.csv"
    assets.write_text(assets.read_text().replace("2026-01-12", "2026-09-01").replace("4500", "-4500"), encoding="utf-8")
    stamp_resources(repo / FILING)
    run = gridmod("validate", FILING)
    assert run.exit_code == 1
    # Structure (frictionless) found the negative capacity, under the profile's own rule for it ...
    assert f"{FILING}/assets.csv:2:4: error REG-E020" in run.output
    assert "capacity_kw is '-4500'; capacity is never negative." in run.output
    # ... and the content phase is skipped on that table and says so; with the table fixed, the engine's
    # own rule finds the late commissioning date at its line.
    assert run.output.count("Content checks of assets.csv skipped: its structure has errors.") == 1
    assets.write_text(assets.read_text().replace("-4500", "4500"), encoding="utf-8")
    stamp_resources(repo / FILING)
    run = gridmod("validate", FILING)
    assert run.exit_code == 1
    assert (
        f"{FILING}/assets.csv:4:5: error REG-E101: Asset pv-0003 is commissioned on '2026-09-01', after "
        "the filing date 2026-07-31."
    ) in run.output


def test_a_large_table_of_any_profile_is_streamed_by_the_validation_stage(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """readings is `large: true` in the test profile, and its engine has no code for it: the stage's streaming
    pass checks its cells against the Table Schema and names each bad one at its line and column."""
    import tests.engines.register_engine as engine

    seen = []
    real = engine.check

    def spy(filing, profile, structure, earlier, run):  # what the engine is handed
        seen.append(structure.large)
        return real(filing, profile, structure, earlier, run)

    monkeypatch.setattr(engine, "check", spy)
    readings = repo / FILING / "readings.csv"
    lines = readings.read_text().splitlines()
    lines[5] = "pv-0001,5,-12"  # line 6: a negative energy
    lines[9] = "pv-0001,13,1000"  # line 10: no month 13
    lines[20] = "st-0002,8,lots"  # line 21: not a number
    readings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stamp_resources(repo / FILING)
    result = validate_filing(repo / FILING, repo).result
    found = sorted((f.code, f.line, f.column, f.message) for f in result.findings)
    assert found == [
        ("REG-E010", 21, 3, "'lots' in column energy_kwh is not a valid number."),
        ("REG-E014", 6, 3, "'-12' in column energy_kwh is outside what is allowed (the minimum is 0)."),
        ("REG-E014", 10, 2, "'13' in column month is outside what is allowed (the maximum is 12)."),
    ], found
    (large,) = seen
    assert large is not None and set(large.scans) == {"readings"} and large.with_errors == {"readings"}
    assert large.scans["readings"].row_count == 36


def test_render_writes_the_report_from_the_profiles_templates(repo: Path) -> None:
    run = gridmod("render", FILING, "--output", "out")
    assert run.exit_code == 0, run.output
    pdf = pypdf.PdfReader(repo / "out" / "register-2026" / "pge.pdf")
    text = "\n".join(page.extract_text() for page in pdf.pages)
    # Name, running head, keywords and labels come from the profile; layout from the shared templates.
    assert pdf.metadata["/Title"] == "SAMPLE — Distributed Energy Asset Register: PG&E, register-2026"
    assert pdf.metadata["/Keywords"] == "CPUC, R.21-06-017, asset register, test profile"
    assert "PG&E · Asset Register · register-2026" in text and "SAMPLE — synthetic data" in text
    assert "pv-0003 012341102 Solar PV 750 2026-01-12" in text and "3 assets of 7,250 kW" in text
    assert "in the structure of the test profile asset-register" in text
    assert {p.suffix for p in (repo / "out" / "register-2026").iterdir()} == {".qmd", ".pdf", ".docx", ".html"}


def test_serve_previews_the_third_profile_with_its_page_and_findings(repo: Path) -> None:
    preview = Preview(repo, [repo / FILING], port=0)
    preview.start()
    try:
        assert preview.current.error is None, preview.current.error
        with urllib.request.urlopen(preview.url + "register/", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert 'id="gridmod-preview"' in page and f"{FILING}</code>: valid" in page
        assert "Asset registers" in page and "pv-0003" in page and "Solar PV" in page
        status = json.loads(urllib.request.urlopen(preview.url + "__gridmod/status", timeout=30).read())
        assert status["valid"] is True
    finally:
        preview.stop()


def test_build_publishes_the_third_profile_beside_the_others(repo: Path) -> None:
    result = build(repo)
    assert result.published, result.report.to_dict()
    page = (repo / "site" / "register" / "index.html").read_text(encoding="utf-8")
    assert "pv-0003" in page and "pge-register-2026.pdf" in page
    assert (repo / "site" / "register" / "downloads" / "pge-register-2026.pdf").is_file()
    assert (repo / "site" / "rules" / "reg-e101" / "index.html").is_file()
    assert (repo / "site" / "data-dictionary" / "asset-register-1.0" / "index.html").is_file()
