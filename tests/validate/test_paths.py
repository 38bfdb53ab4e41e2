"""Resource paths may only name regular files inside the filing."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridmod.validate.paths import path_problem


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "../costs.csv",
        "narrative/../../x.md",
        "~/costs.csv",
        "$HOME/costs.csv",
        "%APPDATA%/x.csv",
        "file:///etc/passwd",
        "http://example.org/costs.csv",
        "C:/costs.csv",
        "//server/share/x.csv",
        "narrative\\intro.md",
        ".git/config",
        "a/.hidden.csv",
        "",
        None,
        42,
        "costs\x00.csv",
    ],
)
def test_unsafe_paths_are_named(tmp_path: Path, path: object) -> None:
    assert path_problem(tmp_path, path)


def test_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "costs.csv").symlink_to("/etc/passwd")
    assert path_problem(tmp_path, "costs.csv") == "is a symbolic link; links are not followed"


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "narrative").mkdir()
    assert path_problem(tmp_path, "narrative") == "is not a regular file"


@pytest.mark.parametrize("path", ["costs.csv", "narrative/activities/adms-phase-2.md"])
def test_plain_relative_paths_pass(tmp_path: Path, path: str) -> None:
    assert path_problem(tmp_path, path) is None


def test_a_file_stands_for_its_filing(root: Path) -> None:
    from gridmod.filing import find_filings

    assert find_filings(root, [root / "data/pge/gmr-2026/costs.csv"]) == [root / "data/pge/gmr-2026"]
