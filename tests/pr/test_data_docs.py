"""`gridmod validate --data-docs DIR`: great-expectations Data Docs for the reviewer, one site per filing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from gridmod.cli import main


def test_data_docs_list_every_expectation_of_each_filing(tmp_path: Path) -> None:
    docs = tmp_path / "data-docs"
    result = CliRunner().invoke(main, ["validate", "data/pge/gmr-2024", "data/pge/gmr-2026", "--data-docs", str(docs)])
    assert result.exit_code == 0, result.output
    index = (docs / "index.html").read_text(encoding="utf-8")
    for site in ("data-pge-gmr-2024", "data-pge-gmr-2026"):
        assert f'<a href="{site}/index.html">' in index
        assert (docs / site / "index.html").is_file()
    suites = sorted(p.stem for p in (docs / "data-pge-gmr-2026" / "expectations" / "data-pge-gmr-2026").iterdir())
    assert suites == [
        "cost-amounts",
        "drift-delayed-milestones",
        "drift-recorded-total",
        "drift-restated-costs",
        "milestones",
        "recorded-costs",
    ]
    # The earliest filing has nothing to drift from.
    assert not list((docs / "data-pge-gmr-2024").rglob("drift-*"))
    page = next((docs / "data-pge-gmr-2026" / "validations").rglob("drift-restated-costs/**/*.html"))
    assert "change_pct" in page.read_text(encoding="utf-8")


def test_without_the_option_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    before = sorted(p.name for p in Path.cwd().iterdir())
    assert CliRunner().invoke(main, ["validate", "data/pge/gmr-2026"]).exit_code == 0
    assert sorted(p.name for p in Path.cwd().iterdir()) == before


def test_data_docs_need_the_expectations_phase(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "data/pge/gmr-2026", "--quick", "--data-docs", str(tmp_path)])
    assert result.exit_code == 2
    assert "--data-docs needs the expectations phase, which --quick skips." in result.output


def test_a_context_handed_the_top_folder_gets_its_own_site(tmp_path: Path) -> None:
    """Another engine (ICA) may pass the top folder itself; its site still lands in a subfolder of its own."""
    import great_expectations.expectations as gxe
    import polars as pl

    from gridmod.validate.gx import Suites

    suites = Suites("pge-ica-2026-h2 drift", tmp_path, tmp_path)
    (result,) = suites.run("rows", pl.DataFrame({"n": [1, 2]}), [gxe.ExpectTableRowCountToBeBetween(min_value=1)])
    suites.write_docs()
    assert result.success
    assert suites.docs == tmp_path / "pge-ica-2026-h2-drift"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "pge-ica-2026-h2-drift"]
    assert '<a href="pge-ica-2026-h2-drift/index.html">' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_data_docs_run_nothing_and_fetch_nothing(tmp_path: Path) -> None:
    """Opened from a pull request's artifacts: no script, no event attribute, nothing from another host."""
    from ..hardening.test_output_safety import _scan

    docs = tmp_path / "data-docs"
    assert CliRunner().invoke(main, ["validate", "data/pge/gmr-2026", "--data-docs", str(docs)]).exit_code == 0
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) > 5 and not list(docs.rglob("static"))
    for page in pages:
        scan = _scan(page)
        assert (scan.scripts, scan.handlers, scan.js_urls) == ([], [], []), page
        text = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in text and "cdn" not in text.lower() and "unpkg" not in text, page
    assert "change_pct" in next(docs.rglob("drift-restated-costs/**/*.html")).read_text(encoding="utf-8")


def test_no_data_docs_for_a_filing_whose_structure_failed(tmp_path: Path, monkeypatch) -> None:
    """A folder name with markup in it fails the structure phase (E021), and its Data Docs are not written."""
    import shutil

    from ..conftest import ROOT

    root = tmp_path / "repo"
    for name in ("validation", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    hostile = root / "data/pge/x<img src=x onerror=alert(1)>"
    shutil.copytree(ROOT / "data/pge/gmr-2026", hostile)
    docs = tmp_path / "data-docs"
    monkeypatch.chdir(root)
    result = CliRunner().invoke(
        main, ["validate", str(hostile), "--data-docs", str(docs), "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "Data Docs not written: the filing's structure has errors." in result.output
    assert not [p for p in docs.rglob("*") if p.is_file() and p.name != "index.html"]
    assert all("onerror" not in p.read_text(encoding="utf-8") for p in docs.rglob("*.html"))
