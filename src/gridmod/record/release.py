"""What a frozen release of a filing cycle is (gridmod.release makes one): the folder
releases/<cycle>/<YYYY-MM-DD>/ with release.json and SHA256SUMS, and the check that it is still as made."""

from __future__ import annotations

import json
from pathlib import Path

from gridmod.filing import file_digest

RELEASES = "releases"
MANIFEST = "release.json"
SUMS = "SHA256SUMS"


def check_release(folder: Path, root: Path) -> list[str]:
    """Problems of a release folder: a file SHA256SUMS lists that is missing or changed, a file it does not
    list, or a manifest that does not read. Empty when the release is as it was made."""
    shown = folder.relative_to(root).as_posix()
    sums = folder / SUMS
    if not sums.is_file():
        return [f"{shown}/{SUMS} is missing, so the release cannot be checked."]
    problems = []
    listed = {}
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name or "/" in name:
            problems.append(f"{shown}/{SUMS}:{number}: not a line of the form <sha256>  <file name>.")
            continue
        listed[name] = digest
    present = {p.name for p in folder.iterdir()} - {SUMS}
    for name in sorted(present - set(listed)):
        problems.append(f"{shown}/{name} is not listed in {SUMS}: a release holds only what it listed.")
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.is_file() or path.is_symlink():
            problems.append(f"{shown}/{name} is listed in {SUMS} but missing.")
        elif sha256_of(path) != digest:
            problems.append(f"{shown}/{name} has changed since the release: its SHA-256 is not the one in {SUMS}.")
    if not problems:
        try:
            json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{shown}/{MANIFEST} cannot be read: {exc}.")
    return problems


def read_sums(folder: Path) -> dict[str, str]:
    """File name -> SHA-256 of a release that check_release found as made."""
    lines = (folder / SUMS).read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines)}


def releases(root: Path) -> list[Path]:
    """Every release folder, newest day first within a cycle."""
    base = root / RELEASES
    if not base.is_dir():
        return []
    found = [d for c in sorted(base.iterdir()) if c.is_dir() and not c.name.startswith(".") for d in c.iterdir()]
    return sorted((d for d in found if d.is_dir()), key=lambda d: (d.parent.name, d.name), reverse=True)


def sha256_of(path: Path) -> str:
    """The hexadecimal SHA-256 of a file, as SHA256SUMS lists it (sha256sum's form)."""
    return file_digest(path)[1].removeprefix("sha256:")
