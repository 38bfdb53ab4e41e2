"""site/data.json, the DCAT-US 1.1 catalogue of everything the site publishes, and the frozen releases it
lists: validated against Project Open Data's own schema (bundled in tests/data/dcat-us, no network)."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from gridmod.build import build
from gridmod.record.release import check_release

from ..conftest import ROOT, built_copy

SCHEMAS = ROOT / "tests/data/dcat-us"
BASE = "https://example.org/gridmod/"


def _validator(check_formats: bool) -> jsonschema.Draft4Validator:
    registry: Registry = Registry()
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(schema["id"].rstrip("#"), Resource.from_contents(schema, DRAFT4))
    catalog = json.loads((SCHEMAS / "catalog.json").read_text(encoding="utf-8"))
    checker = jsonschema.FormatChecker(formats=()) if check_formats else None
    if checker is not None:

        @checker.checks("uri")
        def _absolute(value: object) -> bool:
            parts = urlsplit(str(value))
            return parts.scheme in ("http", "https") and bool(parts.netloc)

    return jsonschema.Draft4Validator(catalog, registry=registry, format_checker=checker)


def _published(site: Path) -> set[str]:
    """Every download the site offers: reports, data packages, tables, and the releases' files."""
    kinds = ("*.pdf", "*.docx", "*.zip", "*.csv", "*.xlsx", "*.parquet")
    found = {p.relative_to(site).as_posix() for kind in kinds for p in site.rglob(kind)}
    found |= {p.relative_to(site).as_posix() for p in (site / "releases").rglob("*") if p.is_file()}
    # Files that are parts of pages, not downloads: the browser tests' and chart data of pages.
    return {p for p in found if p.startswith(("filings/", "ica/downloads/", "releases/", "record/"))}


def test_the_catalogue_is_dcat_us_and_lists_every_download(sample_build: Path) -> None:
    site = sample_build / "site"
    catalogue = json.loads((site / "data.json").read_text(encoding="utf-8"))
    errors = sorted(_validator(check_formats=False).iter_errors(catalogue), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    urls = {d["downloadURL"] for s in catalogue["dataset"] for d in s["distribution"]}
    assert all((site / url).is_file() for url in urls), sorted(u for u in urls if not (site / u).is_file())
    offered = {p for p in _published(site) if not p.startswith("record/")}
    assert offered - urls == set()
    titles = [s["title"] for s in catalogue["dataset"]]
    assert all("SAMPLE" in t for t in titles)  # every dataset here is synthetic and says so
    identifiers = [s["identifier"] for s in catalogue["dataset"]]
    assert len(identifiers) == len(set(identifiers))
    assert "R.21-06-017/release/gmr-2026/2026-12-08" in identifiers


def test_with_the_site_address_every_link_is_absolute(sample_build: Path, tmp_path: Path, monkeypatch) -> None:
    root = built_copy(sample_build, tmp_path / "repo")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GRIDMOD_SITE_URL", BASE)
    assert build(root).published
    catalogue = json.loads((root / "site/data.json").read_text(encoding="utf-8"))
    errors = list(_validator(check_formats=True).iter_errors(catalogue))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert catalogue["@id"] == BASE + "data.json"
    for dataset in catalogue["dataset"]:
        for distribution in dataset["distribution"]:
            assert distribution["downloadURL"].startswith(BASE)
            assert (root / "site" / distribution["downloadURL"][len(BASE) :]).is_file()


def test_a_release_is_published_as_it_was_made(sample_build: Path) -> None:
    release = sample_build / "releases/gmr-2026/2026-12-08"
    published = sample_build / "site/releases/gmr-2026/2026-12-08"
    assert check_release(release, sample_build) == []
    names = sorted(p.name for p in release.iterdir())
    assert sorted(p.name for p in published.iterdir()) == names
    assert all((release / n).read_bytes() == (published / n).read_bytes() for n in names)
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert [f["utility"] for f in manifest["filings"]] == ["pge", "sce", "sdge"]
    with zipfile.ZipFile(release / manifest["bundle"]) as bundle:
        assert sorted(Path(n).name for n in bundle.namelist()) == sorted(
            ["release.json", *(f["file"] for f in manifest["filings"])]
        )
    page = (sample_build / "site/open-data/index.html").read_text(encoding="utf-8")
    assert all(f["accession"] in page for f in manifest["filings"])


def test_rebuilding_never_changes_a_release_and_a_changed_one_stops_the_build(
    sample_build: Path, tmp_path: Path, monkeypatch
) -> None:
    root = built_copy(sample_build, tmp_path / "repo")
    monkeypatch.chdir(root)
    folder = root / "releases/gmr-2026/2026-12-08"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # A filing of the cycle changes after the release: the release, and its copy on the site, do not.
    costs = root / "data/pge/gmr-2026/narrative/summary.md"
    costs.write_text(costs.read_text(encoding="utf-8") + "\nA sentence added after the release.\n", encoding="utf-8")
    subprocess.run(["gridmod", "stamp", "data/pge/gmr-2026"], cwd=root, check=True, capture_output=True)
    assert build(root).published
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    site = root / "site/releases/gmr-2026/2026-12-08"
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    # The same day cannot be released again: a release is never overwritten.
    again = subprocess.run(
        ["gridmod", "release", "gmr-2026", "--date", "2026-12-08"], cwd=root, capture_output=True, text=True
    )
    assert again.returncode == 1 and "exists already: a release is never changed" in again.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # A file of the release changed by hand stops the build, which names it; the site stays as it was.
    shutil.copy(folder / "sce-gmr-2026-data.zip", folder / "pge-gmr-2026-data.zip")
    result = subprocess.run(["gridmod", "build"], cwd=root, capture_output=True, text=True)
    assert result.returncode != 0
    assert "releases/gmr-2026/2026-12-08/pge-gmr-2026-data.zip has changed since the release" in result.stderr
    assert (root / "site/releases/gmr-2026/2026-12-08/pge-gmr-2026-data.zip").read_bytes() == before[
        "pge-gmr-2026-data.zip"
    ]


@pytest.mark.parametrize(
    ("cycle", "problem"),
    [
        ("gmr-2030", "No filing under data/ is of cycle gmr-2030"),
        ("ica-2026-h2", ""),
    ],
)
def test_release_command(sample_build: Path, tmp_path: Path, cycle: str, problem: str) -> None:
    root = built_copy(sample_build, tmp_path / "repo")
    result = subprocess.run(
        ["gridmod", "release", cycle, "--date", "2027-01-15"], cwd=root, capture_output=True, text=True
    )
    if problem:
        assert result.returncode == 1 and problem in result.stderr
        assert not (root / "releases" / cycle).exists()
        return
    assert result.returncode == 0, result.stderr
    folder = root / "releases" / cycle / "2027-01-15"
    assert check_release(folder, root) == []
    manifest = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    assert {f["utility"] for f in manifest["filings"]} == {"pge", "sce", "sdge"}
    assert manifest["sample"] is True
