"""The site's open-data catalogue and releases.

site/data.json lists everything the site publishes in DCAT-US 1.1 (Project Open Data's metadata schema,
which data.gov and state open-data portals harvest): one dataset per published filing with a distribution
per download, and one per frozen release. Links are absolute when the site's address is known
(GRIDMOD_SITE_URL, as the publish job sets it), else relative to the site's root.

Releases (gridmod.release) are copied from releases/ as they are, after every file is checked against the
release's SHA256SUMS, and listed on the open-data page with their checksums.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridmod.outputs import BuiltFiling
from gridmod.record.release import MANIFEST, SUMS, check_release, read_sums, releases
from gridmod.site.errors import PageError
from gridmod.site.package import Terms, terms_of
from gridmod.site.sections import Offered

CATALOGUE = "data.json"
SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
MEDIATYPES = {
    ".pdf": ("application/pdf", "PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    ".csv": ("text/csv", "CSV"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    ".parquet": ("application/vnd.apache.parquet", "Parquet"),
    ".zip": ("application/zip", "ZIP"),
    ".json": ("application/json", "JSON"),
    "": ("text/plain", "Text"),
}
DATA_PACKAGE = "https://specs.frictionlessdata.io/data-package/"


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    path: str  # relative to the docs folder
    size: int
    sha256: str


@dataclass(frozen=True)
class PublishedRelease:
    cycle: str
    day: str
    folder: str  # relative to the docs folder
    manifest: dict[str, Any]
    files: list[ReleaseFile]

    @property
    def sample(self) -> bool:
        return bool(self.manifest.get("sample"))


def copy_releases(root: Path, docs: Path) -> list[PublishedRelease]:
    """Copy every release under releases/ into the docs folder as it is; PageError naming each file that
    is not as the release listed it."""
    found = []
    for folder in releases(root):
        problems = check_release(folder, root)
        if problems:
            raise PageError("A release under releases/ is not as it was made:\n- " + "\n- ".join(problems))
        relative = folder.relative_to(root).as_posix()
        shutil.copytree(folder, docs / relative)
        sums = read_sums(folder)
        files = [
            ReleaseFile(name, f"{relative}/{name}", (folder / name).stat().st_size, sums[name]) for name in sorted(sums)
        ]
        files.append(ReleaseFile(SUMS, f"{relative}/{SUMS}", (folder / SUMS).stat().st_size, ""))
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        found.append(PublishedRelease(folder.parent.name, folder.name, relative, manifest, files))
    return found


def write_catalogue(
    docs: Path, built: list[BuiltFiling], published: list[PublishedRelease], offered: list[Offered]
) -> None:
    """site/data.json: a DCAT-US 1.1 catalogue of every published filing's downloads, every download of no
    single filing that a section offers, and every release."""
    base = os.environ.get("GRIDMOD_SITE_URL") or ""
    if base and not base.endswith("/"):
        base += "/"
    where = {p.name: p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}

    def url(path: str) -> str:
        return base + path

    datasets = [_filing(b, where, url, docs) for b in sorted(built, key=_order) if b.web is not None]
    if built:
        terms = terms_of(built[0])
        sample = any(b.filing.is_sample for b in built)
        licence = terms.sample_license if all(b.filing.is_sample for b in built) else terms.filing_license
        datasets += [_offered(o, url, terms, licence, sample) for o in offered]
        datasets += [_release(r, url, terms) for r in published]
    catalogue = {
        "@context": f"{SCHEMA}/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": f"{SCHEMA}/catalog.json",
        "dataset": datasets,
    }
    if base:
        catalogue["@id"] = url(CATALOGUE)
    text = json.dumps(catalogue, indent=2, ensure_ascii=False) + "\n"
    (docs / CATALOGUE).write_text(text, encoding="utf-8")


def _order(built: BuiltFiling) -> tuple[str, str]:
    return (built.filing.head.filing_id, built.filing.head.utility)


def _filing(built: BuiltFiling, where: dict[str, str], url: Callable[[str], str], docs: Path) -> dict[str, Any]:
    from gridmod.utilities import utility as names_of

    assert built.web is not None
    head = built.filing.head
    descriptor = built.filing.descriptor or {}
    terms = terms_of(built)
    record = built.filing.record
    receipt = record.current if record is not None else None
    package = where[built.web.downloads.package.name]
    folder = package.rsplit("/", 1)[0]
    landing = folder if (docs / folder / "index.md").is_file() else f"record/{head.utility}/{head.filing_id}"
    title = str(descriptor.get("title") or head.stem)
    distributions = []
    for download in built.web.downloads.all:
        path = where[download.name]
        entry = _distribution(download.label, path, url, download.description)
        if download is built.web.downloads.package:
            entry["conformsTo"] = DATA_PACKAGE
        distributions.append(entry)
    dataset: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": title,
        "description": str(descriptor.get("description") or title),
        "keyword": ["grid modernization", "R.21-06-017", built.profile.name, names_of(head.utility).short],
        "modified": (receipt.accepted_day if receipt is not None else head.filing_date).isoformat(),
        "publisher": {"@type": "org:Organization", "name": terms.publisher},
        "contactPoint": {"@type": "vcard:Contact", "fn": terms.contact},
        "identifier": f"R.21-06-017/{head.utility}/{head.filing_id}",
        "accessLevel": "public",
        "spatial": "California",
        "temporal": f"{head.period_start.isoformat()}/{head.period_end.isoformat()}",
        "issued": head.filing_date.isoformat(),
        "describedBy": url(f"data-dictionary/{built.profile.name}-{built.profile.version}/"),
        "distribution": distributions,
    }
    if (docs / landing / "index.md").is_file():
        dataset["landingPage"] = url(f"{landing}/")
    _licence(dataset, terms.license_of(built), terms)
    return dataset


def _offered(
    offered: Offered, url: Callable[[str], str], terms: Terms, licence: dict[str, str] | None, sample: bool
) -> dict[str, Any]:
    dataset: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": offered.title + (" (SAMPLE filings among them)" if sample else ""),
        "description": offered.description,
        "keyword": ["grid modernization", "R.21-06-017"],
        "modified": _build_day(),
        "publisher": {"@type": "org:Organization", "name": terms.publisher},
        "contactPoint": {"@type": "vcard:Contact", "fn": terms.contact},
        "identifier": f"R.21-06-017/site/{offered.path}",
        "accessLevel": "public",
        "spatial": "California",
        "landingPage": url(offered.page.removesuffix(".md") + "/"),
        "distribution": [_distribution(offered.title, offered.path, url, offered.description)],
    }
    _licence(dataset, licence, terms)
    return dataset


def _build_day() -> str:
    from gridmod.clock import build_date

    return build_date().isoformat()


def _release(release: PublishedRelease, url: Callable[[str], str], terms: Terms) -> dict[str, Any]:
    sample = " (SAMPLE, synthetic data)" if release.sample else ""
    filings = release.manifest.get("filings", [])
    accessions = ", ".join(f"{f['utility']} {f['accession']}" for f in filings)
    dataset: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": f"{release.cycle} filings, release of {release.day}{sample}",
        "description": (
            f"The data packages of the {release.cycle} filings as released on {release.day}, frozen: the files "
            f"never change, and SHA256SUMS lists their hashes. Filings: {accessions}."
        ),
        "keyword": ["grid modernization", "R.21-06-017", release.cycle, "release"],
        "modified": release.day,
        "issued": release.day,
        "publisher": {"@type": "org:Organization", "name": terms.publisher},
        "contactPoint": {"@type": "vcard:Contact", "fn": terms.contact},
        "identifier": f"R.21-06-017/release/{release.cycle}/{release.day}",
        "accessLevel": "public",
        "spatial": "California",
        "landingPage": url("open-data/"),
        "distribution": [
            _distribution(f"{f.name} of the {release.cycle} release of {release.day}", f.path, url, "")
            for f in release.files
        ],
    }
    _licence(dataset, terms.sample_license if release.sample else terms.filing_license, terms)
    return dataset


def _distribution(title: str, path: str, url: Callable[[str], str], description: str) -> dict[str, Any]:
    suffix = Path(path).suffix
    mediatype, kind = MEDIATYPES.get(suffix, MEDIATYPES[""])
    entry: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "title": title,
        "downloadURL": url(path),
        "mediaType": mediatype,
        "format": kind,
    }
    if description:
        entry["description"] = description
    return entry


def _licence(dataset: dict[str, Any], licence: dict[str, str] | None, terms: Terms) -> None:
    if licence is not None:
        dataset["license"] = licence["path"]
    else:
        dataset["rights"] = terms.rights[:255]
