"""A filing: one Frictionless data package under data/<utility>/<filing>/."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridmod.datasets import dataset_parts, is_dataset, manifest_digest
from gridmod.errors import InputError
from gridmod.files import replacing

if TYPE_CHECKING:
    from gridmod.record.history import FilingRecord

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class FilingMeta:
    """The filing's header (the `gridmod` object of datapackage.json), typed, as the structure phase read it once
    its dates read (other fields may still have findings of their own). The engines, the report and the site's
    pages read this; only tools that read filings not yet validated (diff, the calendar of the repository,
    excel, new) read the raw object."""

    profile: str
    profile_version: str
    utility: str
    filing_id: str
    period_start: date
    period_end: date
    filing_date: date
    is_sample: bool
    fields: dict[str, Any]  # every field the profile lists, as parsed (e.g. proceeding, workshop_cadence)

    @property
    def stem(self) -> str:
        """utility-filing, e.g. pge-gmr-2026: how downloads are named, so files of several filings differ."""
        return f"{self.utility}-{self.filing_id}"


@dataclass
class Filing:
    folder: Path
    root: Path
    descriptor: dict[str, Any] | None = None
    descriptor_error: tuple[str, int | None, int | None] | None = None
    # datapackage.json as read (once, from a regular file: _read_descriptor), for locating lines in findings
    descriptor_text: str = ""
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Set by the structure phase when the header has no error (gridmod.validate.descriptor).
    header: FilingMeta | None = None
    # Set by the structure phase for filings under data/ (gridmod.validate.record): its accepted revisions.
    record: FilingRecord | None = None

    @property
    def head(self) -> FilingMeta:
        """The checked header of a filing that passed the structure phase's header checks."""
        if self.header is None:
            raise ValueError(f"{self.rel}: its datapackage.json header has not passed validation")
        return self.header

    @property
    def rel(self) -> str:
        """The filing folder relative to the repository root, as findings and outputs name it."""
        try:
            return self.folder.relative_to(self.root).as_posix()
        except ValueError:
            return self.folder.as_posix()

    def rel_path(self, resource_path: str) -> str:
        return f"{self.rel}/{resource_path}"

    @property
    def meta(self) -> dict[str, Any]:
        """The `gridmod` object of datapackage.json: profile, utility, period, dates."""
        if isinstance(self.descriptor, dict) and isinstance(self.descriptor.get("gridmod"), dict):
            return self.descriptor["gridmod"]
        return {}

    @property
    def is_sample(self) -> bool:
        """A SAMPLE filing of synthetic data: anything but an explicit false (or no is_sample at all) counts,
        since a wrong SAMPLE label is the safer mistake. FilingMeta.is_sample is this, read once."""
        return self.meta.get("is_sample") not in (None, False)

    def file(self, resource_name: str) -> Path:
        return self.folder / self.resources[resource_name]["path"]


# A descriptor lists a filing's files: a few dozen for Appendix A, one per table or dataset for ICA. The limits
# keep a hostile one from costing minutes or gigabytes before any check can say what is wrong.
MAX_DESCRIPTOR_BYTES = 4 * 1024 * 1024
MAX_RESOURCES = 1000


class _Refused(Exception):
    """datapackage.json is not a file gridmod reads: a link, a device or far too large."""


def _read_descriptor(path: Path) -> bytes:
    """The bytes of datapackage.json, read only from a regular file of at most MAX_DESCRIPTOR_BYTES (never
    through a symbolic link, never from a device or a pipe)."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        raise _Refused("it is a symbolic link; a filing's files must be regular files in its own folder")
    if not stat.S_ISREG(mode):
        raise _Refused("it is not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise _Refused("it is not a regular file")
        raw = handle.read(MAX_DESCRIPTOR_BYTES + 1)
    if len(raw) > MAX_DESCRIPTOR_BYTES:
        raise _Refused(f"it is larger than the {MAX_DESCRIPTOR_BYTES // (1024 * 1024)} MiB a descriptor may have")
    return raw


def load_filing(folder: Path, root: Path) -> Filing:
    """Read datapackage.json; a descriptor that cannot be read is recorded, not raised."""
    filing = Filing(folder=folder.resolve() if not folder.is_symlink() else folder, root=root)
    path = folder / DESCRIPTOR
    try:
        raw = _read_descriptor(path)
        filing.descriptor_text = raw.decode("utf-8-sig")
        data = json.loads(filing.descriptor_text)
    except _Refused as exc:
        filing.descriptor_error = (str(exc), 1, None)
        return filing
    except FileNotFoundError:
        filing.descriptor_error = ("the file does not exist", None, None)
        return filing
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        filing.descriptor_error = (f"it is not UTF-8 text (byte 0x{exc.object[exc.start]:02x})", line, None)
        return filing
    except json.JSONDecodeError as exc:
        filing.descriptor_error = (exc.msg, exc.lineno, exc.colno)
        return filing
    except RecursionError:
        filing.descriptor_error = ("it is nested too deeply to read", 1, None)
        return filing
    except OSError as exc:
        filing.descriptor_error = (f"it cannot be read ({exc.strerror})", None, None)
        return filing
    if not isinstance(data, dict):
        filing.descriptor_error = ("the top level must be an object in braces { }", 1, 1)
        return filing
    resources = data.get("resources")
    if isinstance(resources, list) and len(resources) > MAX_RESOURCES:
        filing.descriptor_error = (
            f"it lists {len(resources):,} resources, more than the {MAX_RESOURCES:,} a filing may have",
            1,
            None,
        )
        return filing
    filing.descriptor = data
    if isinstance(resources, list):
        for res in resources:
            if isinstance(res, dict) and isinstance(res.get("name"), str):
                filing.resources.setdefault(res["name"], res)
    return filing


def find_filings(root: Path, paths: list[Path] | None = None) -> list[Path]:
    """Filing folders under the given paths (default data/): every folder holding datapackage.json."""
    targets = paths or [root / "data"]
    found: set[Path] = set()
    for target in targets:
        if target.is_file():
            # A file inside a filing (e.g. its costs.csv) stands for the whole filing.
            holder = next((p for p in target.parents if (p / DESCRIPTOR).is_file()), None)
            if holder is not None:
                found.add(holder)
            continue
        if (target / DESCRIPTOR).exists():
            found.add(target)
            continue
        for descriptor in target.rglob(DESCRIPTOR):
            found.add(descriptor.parent)
    return sorted(found)


def file_digest(path: Path) -> tuple[int, str]:
    """Size in bytes and `sha256:<hex>` of a file, as datapackage.json records them."""
    import hashlib

    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return size, f"sha256:{digest.hexdigest()}"


def dataset_digest(folder: Path) -> tuple[int, str]:
    """Size of all parts and the manifest hash of a dataset folder (gridmod.datasets)."""
    entries, total = [], 0
    for part in dataset_parts(folder):
        if part.is_symlink() or not part.is_file():
            continue
        size, digest = file_digest(part)
        total += size
        entries.append((part.relative_to(folder).as_posix(), digest))
    return total, manifest_digest(entries)


class StampError(InputError, ValueError):
    """datapackage.json cannot be stamped; the message says why in plain words."""


# The format and media type `gridmod new` and `gridmod stamp` write for each kind of file a filing holds.
FILE_KINDS = {
    ".csv": ("csv", "text/csv"),
    ".parquet": ("parquet", "application/vnd.apache.parquet"),
    ".md": ("md", "text/markdown"),
    ".age": ("age", "application/octet-stream"),
}


def stamp_resources(folder: Path) -> list[str]:
    """Rewrite `bytes` and `hash` of every resource in datapackage.json from the files on disk, and its
    `format` and `mediatype`, where it has them, from the file's kind (FILE_KINDS).

    Returns the paths (as the descriptor gives them) of the files whose entries changed. Files outside the
    folder are never read, and entries that are not resources with a path are left as they are for
    validation to report. The new
    descriptor is written beside the old one and then moved over it, so an interrupted stamp loses nothing.
    """
    path = folder / DESCRIPTOR
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise StampError(
            f"{path} does not exist: give the folder of a filing, or create one with `gridmod new`."
        ) from None
    except OSError as exc:
        raise StampError(f"{path} cannot be read ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise StampError(f"{path} is not UTF-8 text; save it as UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise StampError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); repair it, then stamp again."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("resources", []), list):
        raise StampError(f"{path} is not a data package: it needs an object with a list of resources.")
    changed = []
    base = folder.resolve()
    for res in data.get("resources", []):
        if not isinstance(res, dict) or not isinstance(res.get("path"), str):
            continue
        target = (folder / res["path"]).resolve()
        if base not in target.parents or not (target.is_file() or is_dataset(res["path"]) and target.is_dir()):
            continue
        size, digest = file_digest(target) if target.is_file() else dataset_digest(target)
        kind = FILE_KINDS.get(target.suffix.lower()) if target.is_file() else None
        # What kind of file it is, where the descriptor says: a table saved again as Parquet is no CSV.
        retyped = kind is not None and any(
            key in res and res[key] != value for key, value in zip(("format", "mediatype"), kind, strict=True)
        )
        if res.get("bytes") != size or res.get("hash") != digest or retyped:
            res["bytes"], res["hash"] = size, digest
            if retyped and kind is not None:
                res |= {key: value for key, value in zip(("format", "mediatype"), kind, strict=True) if key in res}
            changed.append(res["path"])
    with replacing(path, prefix=f".{DESCRIPTOR}.") as staged:
        staged.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed
