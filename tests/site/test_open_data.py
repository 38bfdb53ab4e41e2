"""Every data package the built site publishes describes itself: `frictionless validate` passes on it, any
reader gets the types gridmod checked, and the numbers are exactly what was filed."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import frictionless

from gridmod.record.ledger import load_ledger


def _packages(site: Path, releases: bool = True) -> list[Path]:
    """Every data package the site publishes; without `releases`, only the current filings' (a frozen release
    keeps the packages as they were on its day)."""
    found = sorted(p for p in site.rglob("*-data.zip") if releases or not p.is_relative_to(site / "releases"))
    assert len(found) >= 8, found  # four Appendix A filings and four ICA filings at least
    return found


def _unpacked(archive: Path, target: Path) -> Path:
    folder = target / archive.stem
    with zipfile.ZipFile(archive) as z:
        z.extractall(folder)
    return folder


def test_frictionless_validates_every_published_package(sample_build: Path, tmp_path: Path) -> None:
    for archive in _packages(sample_build / "site"):
        folder = _unpacked(archive, tmp_path)
        report = frictionless.Package(str(folder / "datapackage.json")).validate()
        assert report.valid, (archive.name, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"]))
        # The CLI a consumer runs says the same.
        assert frictionless.validate(str(folder / "datapackage.json")).valid


def test_every_package_says_its_licence_source_profile_and_receipt(sample_build: Path, tmp_path: Path) -> None:
    receipts = {r.package_sha256: r for r in load_ledger(sample_build).receipts}
    for archive in _packages(sample_build / "site", releases=False):
        folder = _unpacked(archive, tmp_path)
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        assert [licence["name"] for licence in descriptor["licenses"]] == ["CC0-1.0"]  # the samples' own
        assert descriptor["sources"] and "R.21-06-017" in descriptor["sources"][0]["title"]
        published = descriptor["gridmod"]["published"]
        filed = (folder / "datapackage.filed.json").read_bytes()
        assert published["filed_descriptor_sha256"] == hashlib.sha256(filed).hexdigest()
        assert published["profile_version"] == json.loads(filed)["gridmod"]["profile_version"]
        receipt = receipts[published["filed_descriptor_sha256"]]
        assert published["accession"] == receipt.accession and descriptor["version"] == str(receipt.revision)
        # Every table carries its Table Schema inline: no reader has to guess a type.
        for resource in descriptor["resources"]:
            if resource["path"].endswith((".csv", ".parquet")):
                assert isinstance(resource["schema"], dict) and resource["schema"]["fields"], resource["name"]


def test_identifiers_stay_text_and_numbers_are_as_filed(sample_build: Path, tmp_path: Path) -> None:
    archive = sample_build / "site/ica/downloads/pge-ica-2026-h2-data.zip"
    folder = _unpacked(archive, tmp_path)
    package = frictionless.Package(str(folder / "datapackage.json"))
    feeders = package.get_resource("feeders").read_rows()
    filed = (sample_build / "data/pge/ica-2026-h2/feeders.csv").read_text(encoding="utf-8").splitlines()
    ids = [line.split(",")[0] for line in filed[1:]]
    assert [row["feeder_id"] for row in feeders] == ids
    # PG&E's feeder IDs are digits: a reader that guessed the types, as it must without the schema inline,
    # would make them integers (and drop any leading zero).
    guessed = frictionless.Resource(str(folder / "feeders.csv")).read_rows()
    assert all(isinstance(row["feeder_id"], int) for row in guessed)
    # The files in every zip are the filed files, byte for byte.
    for archive in _packages(sample_build / "site", releases=False):
        unpacked = _unpacked(archive, tmp_path / "all")
        descriptor = json.loads((unpacked / "datapackage.filed.json").read_text(encoding="utf-8"))
        filing = sample_build / "data" / descriptor["gridmod"]["utility"] / descriptor["gridmod"]["filing_id"]
        for resource in json.loads((unpacked / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
            assert (unpacked / resource["path"]).read_bytes() == (filing / resource["path"]).read_bytes()


def test_a_withheld_value_is_allowed_empty_by_the_published_schema(sample_build: Path, tmp_path: Path) -> None:
    folder = _unpacked(sample_build / "site/filings/gmr-2026/sce/sce-gmr-2026-data.zip", tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    schema = next(r["schema"] for r in descriptor["resources"] if r["name"] == "costs")
    amount = next(f for f in schema["fields"] if f["name"] == "amount_usd")
    assert "required" not in amount.get("constraints", {}) and "withheld as confidential" in amount["description"]
    others = next(f for f in schema["fields"] if f["name"] == "activity_id")
    assert others["constraints"]["required"] is True
