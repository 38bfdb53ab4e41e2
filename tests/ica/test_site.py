"""The ICA pages of the public site: a summary per utility, one feeder table, the tracker and the calendar."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from statistics import median

import pytest

from gridmod.site import build_site

from ..conftest import ROOT
from ..site.sitefixtures import make_ica_built

SAMPLES = sorted((ROOT / "data").glob("*/ica-*"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("ica-site")
    built = [make_ica_built(folder, work / "reports") for folder in SAMPLES]
    build_site(ROOT, built, work / "reports", work / "site")
    return work / "site"


def _rows(page: Path) -> int:
    text = page.read_text(encoding="utf-8")
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    return body.count("<tr>")


def test_pages_and_navigation(site: Path) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "ica").rglob("*.html"))
    assert pages == [
        "ica/changes/pge-ica-2026-h2/index.html",
        "ica/feeders/index.html",
        "ica/index.html",
        "ica/pge/index.html",
        "ica/remediation/index.html",
        "ica/sce/index.html",
        "ica/sdge/index.html",
        "ica/workshops/index.html",
    ]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Integration capacity (ICA)" in home and 'href="ica/feeders/"' in home


def test_changes_since_the_previous_filing(site: Path) -> None:
    page = (site / "ica/changes/pge-ica-2026-h2/index.html").read_text(encoding="utf-8")
    assert "ICA changes from ica-2026-h1 to ica-2026-h2" in page and "SAMPLE" in page
    assert "forecast 2026-06-15 → 2026-09-30 (+107 days)" in page
    assert "status planned → in progress" in page
    row = page[page.index("Dunes Creek 1102") :]
    assert row.index("+821.6 kW") < row.index("</tr>")
    assert "Kestrel Point 1103" in page and "−483.5 kW" in page
    pge = (site / "ica/pge/index.html").read_text(encoding="utf-8")
    assert 'href="../changes/pge-ica-2026-h2/"' in pge
    assert "ica/changes/" not in (site / "ica/sce/index.html").read_text(encoding="utf-8")


def test_one_table_of_every_feeder_and_its_csv(site: Path) -> None:
    page = site / "ica/feeders/index.html"
    text = page.read_text(encoding="utf-8")
    assert "data-gridmod-filter" in text and "SAMPLE" in text
    feeders = sum(len((f / "feeders.csv").read_text().strip().split("\n")) - 1 for f in SAMPLES if "h2" in f.name)
    assert _rows(page) == feeders
    rows = list(csv.DictReader(io.StringIO((site / "ica/downloads/ica-feeders.csv").read_text())))
    assert len(rows) == feeders and {r["utility"] for r in rows} == {"PG&E", "SCE", "SDG&E"}
    assert all(r["filing_id"] == "ica-2026-h2" for r in rows)
    index = json.loads((site / "search/search_index.json").read_text())
    assert not [d for d in index["docs"] if d["location"].startswith("ica/feeders/")]


def test_feeder_medians_publish_as_filed(site: Path) -> None:
    """A median is the filed value itself (or the mean of the middle two), never a float's binary noise."""
    filed: dict[str, list[Decimal]] = {}
    with (ROOT / "data/pge/ica-2026-h2/results.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["scenario"] == "uniform_generation" and row["static_kw"]:
                filed.setdefault(row["feeder_id"], []).append(Decimal(row["static_kw"]))
    rows = [
        r
        for r in csv.DictReader(io.StringIO((site / "ica/downloads/ica-feeders.csv").read_text()))
        if r["utility"] == "PG&E"
    ]
    assert rows and len(rows) == len(filed)
    for row in rows:
        assert Decimal(row["uniform_generation_kw"]) == median(filed[row["feeder_id"]]), row["feeder_id"]


def test_utility_summary(site: Path) -> None:
    text = (site / "ica/pge/index.html").read_text(encoding="utf-8")
    for part in (
        "PG&amp;E: Integration Capacity Analysis, ica-2026-h2",
        "SAMPLE",
        "Data quality",
        "Line sections with results",
        "Uniform-generation hosting capacity by substation",
        "Review notes",
        "pge-ica-2026-h1.pdf",
        "pge-ica-2026-h2-data.zip",
    ):
        assert part in text, part
    assert (site / "ica/downloads/pge-ica-2026-h2.pdf").read_bytes() == b"fake pdf of pge ica-2026-h2"


def test_data_package_zip_is_the_filing(site: Path) -> None:
    with zipfile.ZipFile(site / "ica/downloads/sce-ica-2026-h2-data.zip") as archive:
        names = archive.namelist()
    assert "datapackage.json" in names and "results.parquet" in names and "narrative/summary.md" in names


def test_tracker_and_calendar(site: Path) -> None:
    tracker = (site / "ica/remediation/index.html").read_text(encoding="utf-8")
    # On the tests' day (2026-10-01) the action that had slipped when the utilities filed (2026-07-31) is overdue.
    assert "Status on 2026-10-01" in tracker and "Overdue (+183 days)" in tracker and "7654-E" in tracker
    calendar = (site / "ica/workshops/index.html").read_text(encoding="utf-8")
    assert "2029-05-06" in calendar and "Quarterly (D.24-10-030 OP 35)" in calendar
    assert (
        "Biannual, with the January and July reports (proposed in the ruling of 2026-03-23)" in calendar
        and "Held 2025-03-07" in calendar
    )


def test_the_changes_page_names_revisions_as_the_record_does() -> None:
    """The record's page of changes between two revisions of an ICA filing uses the same template, with the
    revisions' names (gridmod.site.record)."""
    from markupsafe import Markup

    from gridmod.diff import compare_filings
    from gridmod.site.ica import change_formats
    from gridmod.site.pages import _environment

    diff = compare_filings(ROOT / "data/pge/ica-2026-h1", ROOT / "data/pge/ica-2026-h2", ROOT)
    page = (
        _environment(ROOT)
        .get_template("ica/changes.md.j2")
        .render(
            d=diff,
            name="PG&E",
            legal_name="Pacific Gas and Electric Company",
            sample=True,
            back="ica/pge.md",
            old_label="ica-2026-h2 revision 1",
            new_label="ica-2026-h2 revision 2",
            href=lambda target: Markup(target),
            **change_formats(),
        )
    )
    assert page.startswith("# PG&amp;E: ICA changes from ica\\-2026\\-h2 revision 1 to ica\\-2026\\-h2 revision 2\n")
    assert "[PG&amp;E ICA page](ica/pge.md)" in page and "SAMPLE" in page
    assert "| ica\\-2026\\-h2 revision 1 | ica\\-2026\\-h2 revision 2 |" in page
