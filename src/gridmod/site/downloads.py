"""A filing's downloads, written into its web edition (gridmod.site.prepare); the site places them next to
the filing's page (Appendix A) or in the ICA downloads folder, so links are relative.

File names carry utility and filing (`pge-gmr-2026-costs.csv`): a reader who downloads the same table from
three utilities must be able to tell the files apart. Tables are offered as CSV, Excel and Parquet with
spreadsheet formulas defused (gridmod.site.exports); the zip holds the files exactly as filed, described
for any Data Package reader (gridmod.site.package). The standalone HTML report is deliberately not
published: it is the renderer's output, not passed through the sanitiser; the page itself is the HTML
version of the report.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

from gridmod.confidential import DECLARATION
from gridmod.datasets import is_dataset
from gridmod.errors import GridmodError
from gridmod.filing import DESCRIPTOR
from gridmod.outputs import BuiltFiling
from gridmod.site.edition import Download, TableDownloads
from gridmod.site.exports import is_formula_like, read_filed_table, write_csv, write_parquet, write_xlsx
from gridmod.site.package import FILED, published_descriptor


class DownloadError(GridmodError):
    """A file the page must offer is missing or lies outside its filing."""


DOCUMENTS = (("pdf", "Report (PDF)"), ("docx", "Report (Word)"))
TABLE_FORMATS = (("csv", "CSV"), ("xlsx", "Excel"), ("parquet", "Parquet"))


def write_documents(built: BuiltFiling, folder: Path) -> list[Download]:
    """Copy the report's PDF and Word documents, named by utility and filing."""
    stem = _stem(built)
    documents = []
    for key, label in DOCUMENTS:
        source = built.outputs.get(key)
        if source is None:
            continue
        if not Path(source).is_file():
            raise DownloadError(f"The {label} of {built.filing.rel} is missing: {source} does not exist.")
        name = f"{stem}.{key}"
        shutil.copyfile(source, folder / name)
        documents.append(Download(label, name, (folder / name).stat().st_size))
    return documents


def write_package(built: BuiltFiling, folder: Path) -> Download:
    """The data package as filed, as one zip (write_package_zip)."""
    name = f"{_stem(built)}-data.zip"
    write_package_zip(built, folder / name)
    return Download(
        "Data package (zip)",
        name,
        (folder / name).stat().st_size,
        "Every table and narrative exactly as filed, with a datapackage.json that describes their columns and types.",
    )


def write_tables(built: BuiltFiling, folder: Path) -> list[TableDownloads]:
    """Each table of the profile as CSV, XLSX (when it fits a worksheet) and Parquet."""
    stem = _stem(built)
    stamp = _filing_day(built.filing.meta.get("filing_date"))
    title = str((built.filing.descriptor or {}).get("title") or stem)
    tables = []
    for table in built.profile.tables:
        schema = built.profile.schemas[table["name"]]
        filed = read_filed_table(table["name"], _resource_file(built, table["name"]), schema)
        files = {}
        for key, label in TABLE_FORMATS:
            name = f"{stem}-{table['name']}.{key}"
            if key == "csv":
                write_csv(filed, folder / name)
            elif key == "xlsx":
                if not write_xlsx(filed, folder / name, f"{title}: {table['path']}", stamp):
                    continue
            else:
                write_parquet(filed, folder / name)
            files[key] = Download(f"{table['path']} ({label})", name, (folder / name).stat().st_size)
        tables.append(
            TableDownloads(table["name"], table["path"], schema.get("description", ""), len(filed.records), files)
        )
    return tables


def _stem(built: BuiltFiling) -> str:
    return built.filing.head.stem


def write_package_zip(built: BuiltFiling, target: Path) -> None:
    """The data package as one zip: datapackage.json at the top, resources at their own paths.

    datapackage.json is the published descriptor (gridmod.site.package): each table's schema inline, the
    dialect, licence, sources, profile version and receipt, so that frictionless and any other tool read
    the files as gridmod checked them. The descriptor as filed, whose hash the receipt binds, is beside it as
    datapackage.filed.json. The files are as filed (their hashes are in both descriptors); a table with a text
    cell that a spreadsheet would run as a formula also gets a defused copy under for-spreadsheets/, and
    README.txt says which is which. Resources outside the profile (warning GMR-W019) are not published.

    Entries are sorted and stamped with the filing date, with fixed permissions, so one commit always
    yields the same bytes.
    """
    published = published_resources(built)
    files: dict[str, Path] = {}
    for resource in published:
        files[built.filing.resources[resource]["path"]] = _resource_file(built, resource)
    descriptor, files = published_descriptor(built, published, files)
    texts = {
        DESCRIPTOR: (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        FILED: (built.filing.folder / DESCRIPTOR).read_bytes(),
    }
    extra = _defused_copies(built, published)
    folders = sorted({p.split("/", 1)[1] for p in extra})
    texts[README] = (README_TEXT + (README_DEFUSED.format(folders=", ".join(folders)) if extra else "")).encode()
    texts |= extra
    stamp = _zip_time(built.filing.meta.get("filing_date"))
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted([*texts, *files]):
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds
            info.external_attr = 0o100644 << 16
            info._compresslevel = 9  # type: ignore[attr-defined]  # ZipFile.open takes the level from the entry
            if path in texts:
                archive.writestr(info, texts[path], compresslevel=9)
                continue
            # Copied in blocks: a large table is never read into memory whole.
            large = files[path].stat().st_size > 1 << 31
            with files[path].open("rb") as source, archive.open(info, "w", force_zip64=large) as sink:
                shutil.copyfileobj(source, sink, 1 << 20)


def published_resources(built: BuiltFiling) -> list[str]:
    """Names of the filing's resources that its profile defines: tables, narratives, activity narratives, and
    the declaration of confidential items (never the encrypted part, which only Energy Division can open)."""
    profile = built.profile
    names = {t["name"] for t in profile.tables} | {n["name"] for n in profile.narratives} | {DECLARATION}
    prefix = (profile.meta.get("activity_narrative") or {}).get("resource_prefix")
    return sorted(n for n in built.filing.resources if n in names or (prefix and n.startswith(prefix)))


DEFUSED = "for-spreadsheets"
README = "README.txt"
README_TEXT = """This zip is a data package as the utility filed it: every file is exactly as filed.

datapackage.json describes it for any tool that reads Frictionless Data Packages (such as `frictionless
validate datapackage.json`): each table's columns and types (the profile's Table Schema), the CSV dialect,
the licence, the source, the profile version and the receipt it was accepted with. datapackage.filed.json is
the descriptor as the utility filed it: its SHA-256 hash is the package hash on the receipt, and it lists
the size and hash of every file, so the receipt pins every byte here.
"""
README_DEFUSED = """
Some text cells of the tables start like a spreadsheet formula (=, +, -, @); a spreadsheet that opens the
file as filed may run them. The folder for-spreadsheets/ holds copies of those tables ({folders}) in which
each such cell starts with an apostrophe, which spreadsheets show as plain text. Open those copies in a
spreadsheet; use the files as filed for anything that checks their hashes.
"""


def _defused_copies(built: BuiltFiling, published: list[str]) -> dict[str, bytes]:
    """for-spreadsheets/<path> of each small table with a formula-like text cell: the CSV with those cells
    defused (the same download the site offers per table)."""
    import tempfile

    out: dict[str, bytes] = {}
    tables = {t["name"] for t in built.profile.tables if not t.get("large")}
    for resource in published:
        path = built.filing.resources[resource]["path"]
        if resource not in tables or is_dataset(path) or not path.endswith(".csv"):
            continue
        table = read_filed_table(resource, _resource_file(built, resource), built.profile.schemas[resource])
        if not any(is_formula_like(c) for cells in table.records for i, c in enumerate(cells) if table.is_text(i)):
            continue
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "table.csv"
            write_csv(table, copy)
            out[f"{DEFUSED}/{path}"] = copy.read_bytes()
    return out


def _resource_file(built: BuiltFiling, resource: str) -> Path:
    """The resource's file, refused if its path leaves the filing folder (validation already checked)."""
    folder = built.filing.folder.resolve()
    given = built.filing.resources[resource]["path"]
    path = (built.filing.folder / given).resolve()
    if folder not in path.parents or not (path.is_file() or is_dataset(given) and path.is_dir()):
        raise DownloadError(f"Resource {resource} of {built.filing.rel} is not a file inside the filing.")
    return path


def _filing_day(filing_date: object) -> date:
    """The filing date, which stamps every generated file; 1980-01-01 (the earliest a zip entry can hold)
    when there is none."""
    try:
        day = date.fromisoformat(str(filing_date))
    except ValueError:
        day = date(1980, 1, 1)
    return max(day, date(1980, 1, 1))


def _zip_time(filing_date: str | None) -> tuple[int, int, int, int, int, int]:
    day = _filing_day(filing_date)
    return (day.year, day.month, day.day, 0, 0, 0)
