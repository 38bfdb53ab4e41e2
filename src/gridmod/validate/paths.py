"""Where a resource path may point: inside the filing folder, a regular file, never a URL."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def path_problem(folder: Path, path: object, directory: bool = False) -> str | None:
    """Why `path` is not a safe resource path of the filing in `folder`, or None when it is; `directory` for
    the folder of a dataset (gridmod.datasets), which must then be a folder and not a file."""
    if not isinstance(path, str) or not path:
        return "is not a file name"
    if "\x00" in path:
        return "contains a NUL character"
    if _SCHEME.match(path) or path.startswith("//"):
        return "is a URL or names a drive; only files inside the filing are read"
    if "\\" in path:
        return "uses backslashes; write paths with forward slashes"
    if path.startswith(("/", "~")) or "$" in path or "%" in path:
        return "is absolute or names a home folder or a variable"
    parts = PurePosixPath(path).parts
    if ".." in parts:
        return "leaves the filing folder (..)"
    if any(part.startswith(".") for part in parts):
        return "names a hidden file or folder (such as .git)"
    current = folder
    for part in parts:
        current = current / part
        if current.is_symlink():
            return "is a symbolic link; links are not followed"
    if directory:
        return "is not a folder" if current.exists() and not current.is_dir() else None
    if current.exists() and not current.is_file():
        return "is not a regular file"
    return None
