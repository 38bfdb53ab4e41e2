"""Read the two filings to compare: their metadata, tables and narrative files, without validating them again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridmod.diff.model import Side
from gridmod.errors import SetupError
from gridmod.filing import Filing, load_filing
from gridmod.spec import Profile, load_profile
from gridmod.tables import LINE, _cast, read_records


class DiffError(SetupError):
    """The filings cannot be compared; the message says why in plain words."""


class NotComparable(DiffError):
    """The filing's profile has no tables this comparison knows (not an error of the filing or the call)."""


@dataclass
class Loaded:
    filing: Filing
    profile: Profile
    side: Side
    tables: dict[str, list[dict[str, Any]]]
    narratives: dict[str, Path]  # resource name -> file; activity narratives as "activity-<id>"
    skipped: dict[str, list[int]]  # table -> lines of rows left out because they do not read


TABLES = ("activities", "milestones", "costs")


def open_side(folder: Path, root: Path) -> tuple[Filing, Profile, Side]:
    """The filing, its profile and how the comparison names it; DiffError when its descriptor or profile does
    not read."""
    filing = load_filing(folder, root)
    if filing.descriptor is None:
        why = filing.descriptor_error[0] if filing.descriptor_error else "it is not a JSON object"
        raise DiffError(f"{filing.rel}/datapackage.json cannot be read: {why}.")
    meta = filing.meta
    try:
        profile = load_profile(root, str(meta.get("profile")), str(meta.get("profile_version")))
    except KeyError:
        raise DiffError(
            f"{filing.rel} names profile {meta.get('profile')} {meta.get('profile_version')}, "
            "which this repository does not have."
        ) from None
    side = Side(
        path=filing.rel,
        utility=str(meta.get("utility", "")),
        filing_id=str(meta.get("filing_id", "")),
        filing_date=str(meta.get("filing_date", "")),
        profile=profile.name,
        version=profile.version,
    )
    return filing, profile, side


def load_side(folder: Path, root: Path) -> Loaded:
    """An Appendix A filing's activities, milestones, costs and narratives."""
    filing, profile, side = open_side(folder, root)
    if not set(TABLES) <= {t["name"] for t in profile.tables}:
        raise NotComparable(
            f"{filing.rel} follows profile {profile.name} {profile.version}, which lacks the "
            f"{', '.join(TABLES)} tables an Appendix A comparison reads."
        )
    tables, skipped = {}, {}
    for name in TABLES:
        path = filing.folder / profile.table_path(name)
        try:
            tables[name], skipped[name] = read_rows(path, profile.schemas[name])
        except (OSError, ValueError) as exc:
            raise DiffError(
                f"{filing.rel}/{profile.table_path(name)} cannot be read ({exc}). "
                f"Run `gridmod validate {filing.rel}` and fix its errors first."
            ) from exc
    narratives = {}
    base = filing.folder.resolve()
    for name, resource in filing.resources.items():
        if name in {t["name"] for t in profile.tables} or not isinstance(resource.get("path"), str):
            continue
        path = (filing.folder / resource["path"]).resolve()
        # Only regular files inside the filing: the path is the filer's, and the structure phase may not have run.
        if base in path.parents and path.is_file() and path.suffix == ".md":
            narratives[name] = path
    return Loaded(filing, profile, side, tables, narratives, skipped)


def read_rows(path: Path, schema: dict[str, Any]) -> tuple[list[dict[str, Any]], list[int]]:
    """Typed rows, and the lines of rows left out: a value of the wrong type or a required value missing.

    A filing under review may still have errors; the comparison shows what it can and says what it left out.
    """
    header, records = read_records(path)
    fields = schema["fields"]
    kinds = {f["name"]: f.get("type", "string") for f in fields}
    required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
    if any(name not in header for name in required):
        raise ValueError(f"the header lacks {', '.join(n for n in required if n not in header)}")
    rows, skipped = [], []
    for line, cells in records:
        try:
            row = {name: _cast(cell, kinds.get(name, "string")) for name, cell in zip(header, cells, strict=False)}
        except ValueError:
            skipped.append(line)
            continue
        if any(row.get(name) is None for name in required):
            skipped.append(line)
            continue
        rows.append({name: row.get(name) for name in kinds} | {LINE: line})
    return rows, skipped


def check_comparable(old: Side, new: Side) -> None:
    if old.utility != new.utility:
        raise DiffError(
            f"{old.path} is a filing of {old.utility} and {new.path} of "
            f"{new.utility}; compare two filings of the same utility."
        )
    if old.profile != new.profile:
        raise DiffError(
            f"{old.path} follows profile {old.profile} and {new.path} "
            f"{new.profile}; compare two filings of the same profile."
        )
    if old.path == new.path:
        raise DiffError(f"Both sides are {old.path}; give two different filings.")
