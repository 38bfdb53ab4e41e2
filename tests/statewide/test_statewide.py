"""The statewide edition of a cycle: made by `gridmod build` from the sample filings, its figures checked
against sums computed here from the filed CSVs, each figure traced to its file and lines, nothing added
across utilities or years without saying so, PDF/UA-1 and the same bytes on every build."""

from __future__ import annotations

import csv
import re
import subprocess
from datetime import date
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from ..conftest import built_copy

UTILITIES = {"pge": "PG&E", "sce": "SCE", "sdge": "SDG&E"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _table(site: Path, name: str) -> list[dict[str, str]]:
    return _read(site / f"statewide/gmr-2026/statewide-gmr-2026-{name}.csv")


def test_build_writes_the_edition_and_its_page(sample_build: Path) -> None:
    for fmt in ("pdf", "docx", "html", "qmd"):
        assert (sample_build / f"reports/statewide/gmr-2026.{fmt}").stat().st_size > 0
    page = (sample_build / "site/statewide/gmr-2026/index.html").read_text(encoding="utf-8")
    assert "SAMPLE — synthetic data, not the utilities' filings" in page
    for name in ("statewide-gmr-2026.pdf", "statewide-gmr-2026.docx", "statewide-gmr-2026-milestones.csv"):
        assert f'href="{name}"' in page and (sample_build / "site/statewide/gmr-2026" / name).is_file()
    assert "costs-by-year.svg" in page and "milestones.svg" in page
    # The chapter itself, with its footnotes, is on the page.
    assert "Milestone delivery" in page and 'role="doc-endnotes"' in page


def test_three_figures_match_sums_of_the_filed_csvs(sample_build: Path) -> None:
    site = sample_build / "site"
    data = sample_build / "data"
    # 1. Recorded costs of category a, statewide: the recorded amount_usd of every activity of category a.
    expected = 0.0
    for code in UTILITIES:
        category = {r["activity_id"]: r["category_id"] for r in _read(data / code / "gmr-2026/activities.csv")}
        expected += sum(
            float(r["amount_usd"])
            for r in _read(data / code / "gmr-2026/costs.csv")
            if r["basis"] == "recorded" and r["amount_usd"] and category[r["activity_id"]] == "a"
        )
    row = next(r for r in _table(site, "costs-by-category") if r["Category"].startswith("a."))
    assert float(row["Statewide"]) == expected
    # 2. Authorized for 2027: once per activity, year and cost type, from the utilities that state one.
    authorized: dict[str, float] = {}
    for code, name in UTILITIES.items():
        seen = {
            (r["activity_id"], r["year"], r["cost_type"]): float(r["authorized_usd"])
            for r in _read(data / code / "gmr-2026/costs.csv")
            if r["authorized_usd"] and r["year"] == "2027"
        }
        if seen:
            authorized[name] = sum(seen.values())
    row = next(r for r in _table(site, "authorized-by-year") if r["Year"] == "2027")
    assert float(row["Statewide"]) == sum(authorized.values())
    missing = [name for name in UTILITIES.values() if name not in authorized]
    assert missing and row["Coverage"] == f"without {', '.join(missing)}"
    # 3. Delayed milestones: not achieved or cancelled, with a forecast after the baseline or marked delayed.
    delayed = 0
    for code in UTILITIES:
        for r in _read(data / code / "gmr-2026/milestones.csv"):
            late_forecast = r["forecast_date"] and date.fromisoformat(r["forecast_date"]) > date.fromisoformat(
                r["baseline_date"]
            )
            if r["status"] not in ("achieved", "cancelled") and (r["status"] == "delayed" or late_forecast):
                delayed += 1
    row = next(r for r in _table(site, "milestones") if r["Utility"] == "Statewide")
    assert int(row["Delayed"]) == delayed
    # The home page counts the same.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"\b{delayed}\b", home)


def test_no_total_mixes_utilities_or_years_without_saying_so(sample_build: Path) -> None:
    folder = sample_build / "site/statewide/gmr-2026"
    checked = 0
    for path in sorted(folder.glob("statewide-gmr-2026-*.csv")):
        rows = _read(path)
        if not rows or "Statewide" not in rows[0] or "Coverage" not in rows[0]:
            continue
        for row in rows:
            absent = [name for name in UTILITIES.values() if name in row and not row[name]]
            present = [name for name in UTILITIES.values() if name in row and row[name]]
            if not row["Statewide"]:
                continue
            checked += 1
            assert row["Statewide"] and present
            without = re.search(r"without ([^;]+)", row["Coverage"])
            left_out = without.group(1).split(", ") if without else []
            for name in absent:  # a utility the total leaves out is named as left out, never as included
                assert "all filings" not in row["Coverage"], (path.name, row)
                assert name in left_out or (
                    name not in row["Coverage"] and any(p in row["Coverage"] for p in present)
                ), (path.name, row)
            if path.name.endswith(("costs-by-category.csv", "costs-by-technology.csv")):  # all years: named
                assert all(re.search(rf"{re.escape(p)} \d{{4}}", row["Coverage"]) for p in present), row
    assert checked > 10
    # A withheld amount is left out and said to be.
    forecast = _table(sample_build / "site", "forecast-by-year")
    assert any("SCE amount withheld as confidential, left out" in r["Coverage"] for r in forecast)


def test_every_figure_names_the_file_and_lines_it_comes_from(sample_build: Path) -> None:
    folder = sample_build / "site/statewide/gmr-2026"
    sources = 0
    for path in sorted(folder.glob("statewide-gmr-2026-*.csv")):
        for row in _read(path):
            for source in filter(None, row["Sources"].split("; ")):
                found = re.match(r"(data/[a-z]+/[a-z0-9-]+/[a-z_]+\.csv), lines ([0-9–, ]+):", source)
                if found is None:  # the ICA context names its filing and tables
                    assert re.match(r"data/[a-z]+/ica-[0-9a-z-]+: ", source), source
                    continue
                sources += 1
                lines = (sample_build / found.group(1)).read_text(encoding="utf-8").count("\n")
                last = max(int(n) for n in re.findall(r"\d+", found.group(2)))
                assert 2 <= last <= lines, source
    assert sources > 30


def test_the_pdf_is_pdf_ua_marked_sample_and_identical_when_made_again(sample_build: Path, tmp_path: Path) -> None:
    pdf = sample_build / "reports/statewide/gmr-2026.pdf"
    with pikepdf.open(pdf) as document:
        assert "/StructTreeRoot" in document.Root and bool(document.Root.MarkInfo.Marked)
        assert str(document.Root.Lang) == "en-US"
        with document.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        assert str(document.docinfo["/Title"]).startswith("SAMPLE — Grid modernization in California")
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert all("SAMPLE" in text for text in pages)
    assert "Statewide, cycle gmr-2026" in pages[0]
    # The same filings make the same bytes, whatever day the edition is made again.
    root = built_copy(sample_build, tmp_path / "repo")
    made = subprocess.run(
        ["gridmod", "statewide", "gmr-2026"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"SOURCE_DATE_EPOCH": "1893456000", "PATH": _path()},
    )
    assert made.returncode == 0, made.stderr
    for fmt in ("pdf", "docx", "html", "qmd"):
        again = (root / f"reports/statewide/gmr-2026.{fmt}").read_bytes()
        assert again == (sample_build / f"reports/statewide/gmr-2026.{fmt}").read_bytes(), fmt


def test_a_missing_narrative_slot_is_a_placeholder_and_a_bad_cycle_an_error(sample_build: Path, tmp_path: Path) -> None:
    root = built_copy(sample_build, tmp_path / "repo")
    (root / "data/cpuc/statewide/gmr-2026/outlook.md").unlink()
    made = subprocess.run(["gridmod", "statewide", "gmr-2026"], cwd=root, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    qmd = (root / "reports/statewide/gmr-2026.qmd").read_text(encoding="utf-8")
    assert "Energy Division has not written this section yet (data/cpuc/statewide/gmr-2026/outlook.md)" in qmd
    wrong = subprocess.run(["gridmod", "statewide", "gmr-2030"], cwd=root, capture_output=True, text=True)
    assert wrong.returncode == 1
    assert "No valid filing of cycle gmr-2030" in wrong.stderr and "gmr-2026" in wrong.stderr
    # A filing of the cycle with errors: the edition is not made without it.
    costs = root / "data/sce/gmr-2026/costs.csv"
    costs.write_text(costs.read_text(encoding="utf-8").replace(",capital,", ",capex,", 1), encoding="utf-8")
    broken = subprocess.run(["gridmod", "statewide", "gmr-2026"], cwd=root, capture_output=True, text=True)
    assert broken.returncode == 1 and "data/sce/gmr-2026 has errors" in broken.stderr
    assert "Traceback" not in broken.stderr


def _path() -> str:
    import os

    return os.environ["PATH"]
