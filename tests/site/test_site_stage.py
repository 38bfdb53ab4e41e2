"""The split between the web editions (made where the data is loaded) and the site stage (pages, MkDocs).

The site stage stays small because it loads no data library and runs no pandoc: everything it needs from
the data is in each filing's web edition. These tests run the stage in a fresh interpreter and look at what
it loaded, and check that the editions hold what the pages offer.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from gridmod.outputs import BuiltFiling
from gridmod.site import SiteError, build_site
from gridmod.site.prepare import prepare_editions

from ..conftest import ROOT
from .sitefixtures import REPO, make_built, make_ica_built

HEAVY = (
    "polars",
    "numpy",
    "pyarrow",
    "pandas",
    "pypandoc",
    "nh3",
    "great_expectations",
    "frictionless",
    "pandera",
    "openpyxl",
    "gridmod.ica.results",
    "gridmod.validate",
)

STAGE = """
import json, pickle, subprocess, sys
from pathlib import Path
started = []
_init = subprocess.Popen.__init__
def _record(self, args, *rest, **kwargs):
    started.append(str(args))
    _init(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = _record
from gridmod.site import build_site
state, out = Path(sys.argv[1]), Path(sys.argv[2])
built = pickle.loads(state.read_bytes())
build_site(Path(sys.argv[3]), built, state.parent / "reports", out)
heavy = sorted(m for m in json.loads(sys.argv[4]) if m in sys.modules)
print(json.dumps({"heavy": heavy, "started": started, "pages": sum(1 for _ in out.rglob("*.html"))}))
"""


def _ica_built(work: Path) -> BuiltFiling:
    return make_ica_built(ROOT / "data" / "pge" / "ica-2026-h2", work / "reports")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[BuiltFiling]]:
    work = tmp_path_factory.mktemp("stage")
    built = [make_built(work, "pge"), make_built(work, "sce"), _ica_built(work)]
    prepare_editions(built, work / "reports", work / "editions")
    return work, built


def test_the_site_stage_loads_no_data_library_and_runs_no_pandoc(prepared: tuple[Path, list[BuiltFiling]]) -> None:
    work, built = prepared
    state = work / "built.pickle"
    state.write_bytes(pickle.dumps(built))
    done = subprocess.run(
        [sys.executable, "-c", STAGE, str(state), str(work / "site"), str(REPO), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["heavy"] == [], f"the site stage loaded {figures['heavy']}"
    assert figures["started"] == [], f"the site stage started {figures['started']}"
    assert figures["pages"] > 20
    # What the editions made reached the site: a table in all three formats and the ICA feeder table.
    page = work / "site" / "filings" / "gmr-2026" / "pge"
    assert {
        "pge-gmr-2026-costs.csv",
        "pge-gmr-2026-costs.xlsx",
        "pge-gmr-2026-costs.parquet",
        "pge-gmr-2026-data.zip",
        "pge-gmr-2026.pdf",
    } <= {p.name for p in page.iterdir()}
    assert (page / "figures" / "costs.svg").is_file(), "the image the report shows is beside its page"
    feeders = (work / "site" / "ica" / "downloads" / "ica-feeders.csv").read_text(encoding="utf-8").splitlines()
    assert len(feeders) - 1 == len(built[2].web.feeders) > 0


def test_an_edition_holds_the_report_fragment_downloads_and_model(prepared: tuple[Path, list[BuiltFiling]]) -> None:
    _, built = prepared
    gmr, _, ica = built
    assert gmr.web is not None and gmr.web.report is not None and gmr.model is not None
    assert "<script" not in gmr.web.report.html
    assert [d.name for d in gmr.web.downloads.documents] == ["pge-gmr-2026.pdf", "pge-gmr-2026.docx"]
    names = {str(p) for p in gmr.web.files()}
    assert {d.name for d in gmr.web.downloads.all} <= names
    assert "figures/costs.svg" in names
    assert ica.web is not None and ica.web.report is None and ica.model is not None
    assert {r["utility"] for r in ica.web.feeders} == {"PG&E"}
    assert ica.web.feeders[0].keys() >= {"feeder_id", "line_sections", "uniform_generation_kw"}


def test_build_site_prepares_what_was_not_prepared_and_leaves_no_edition_behind(tmp_path: Path) -> None:
    built = make_built(tmp_path, "pge")
    build_site(REPO, [built], tmp_path / "reports", tmp_path / "out")
    assert built.web is None, "the edition made for the call lived in a folder that is gone"
    assert (tmp_path / "out" / "filings" / "gmr-2026" / "pge" / "pge-gmr-2026-costs.parquet").is_file()


def test_a_filing_that_cannot_be_prepared_is_named(tmp_path: Path) -> None:
    built = make_built(tmp_path, "pge")
    built.outputs["qmd"].unlink()
    with pytest.raises(SiteError, match=r"report source \(\.qmd\) of data/pge/gmr-2026 is missing"):
        prepare_editions([built], tmp_path / "reports", tmp_path / "editions")
    assert built.web is None


def test_the_report_model_is_built_once_for_report_and_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gridmod.render import model as report_model
    from gridmod.render import render_filing

    from ..render.filings import copy_minimal, validated

    calls = []
    real = report_model.build_model
    monkeypatch.setattr(report_model, "build_model", lambda *a: calls.append(a) or real(*a))
    filing, profile, result = validated(copy_minimal(tmp_path))
    built = render_filing(filing, profile, result, tmp_path / "reports")
    prepare_editions([built], tmp_path / "reports", tmp_path / "editions")
    build_site(REPO, [built], tmp_path / "reports", tmp_path / "out")
    assert len(calls) == 1
    assert built.web is not None and built.web.report is not None
    assert "ADMS" in built.web.report.html


def test_the_feeder_csv_defuses_text_keeps_numbers_and_leaves_missing_cells_empty(tmp_path: Path) -> None:
    from gridmod.site.ica import _write_csv

    rows = [
        {
            "utility": "PG&E",
            "feeder_id": "F-1",
            "feeder_name": '=HYPERLINK("http://x")',
            "kv": 12.47,
            "line_sections": 3,
            "pv_kw": None,
            "criterion": "-thermal",
        },
        {
            "utility": "SCE",
            "feeder_id": "F-2",
            "feeder_name": "Line, north",
            "kv": -5.25,
            "line_sections": 0,
            "pv_kw": 1250.0,
            "criterion": None,
        },
    ]
    _write_csv(rows, tmp_path / "feeders.csv")
    assert (tmp_path / "feeders.csv").read_bytes().decode("utf-8") == (
        "utility,feeder_id,feeder_name,kv,line_sections,pv_kw,criterion\r\n"
        'PG&E,F-1,"\'=HYPERLINK(""http://x"")",12.47,3,,\'-thermal\r\n'
        'SCE,F-2,"Line, north",-5.25,0,1250.0,\r\n'
    )


def test_an_edition_whose_folder_is_gone_is_refused_by_name(
    prepared: tuple[Path, list[BuiltFiling]], tmp_path: Path
) -> None:
    from dataclasses import replace

    work, built = prepared
    gmr = replace(built[0], web=replace(built[0].web, folder=tmp_path / "gone"))
    with pytest.raises(SiteError, match="web edition's folder .*gone"):
        build_site(REPO, [gmr], work / "reports", tmp_path / "out")


def test_a_filing_id_that_cannot_be_an_address_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    built = make_built(tmp_path, "pge")
    built.filing.meta["filing_id"] = "../gmr-2026"
    with pytest.raises(SiteError, match=r"no usable gridmod.filing_id for a page address: '\.\./gmr-2026'"):
        prepare_editions([built], tmp_path / "reports", tmp_path / "editions")
    assert not (tmp_path / "editions").exists() or not any((tmp_path / "editions").rglob("*"))


def test_an_ica_filing_whose_rendered_pdf_is_missing_is_named(tmp_path: Path) -> None:
    built = _ica_built(tmp_path)
    built.outputs["pdf"].unlink()
    with pytest.raises(SiteError, match=r"Report \(PDF\) of data/pge/ica-2026-h2 is missing"):
        prepare_editions([built], tmp_path / "reports", tmp_path / "editions")
