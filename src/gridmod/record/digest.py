"""The two hashes a receipt binds: the package as filed, and the findings it was accepted with."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from gridmod.filing import DESCRIPTOR
from gridmod.findings import PackageResult

# What identifies a finding; messages and links may be reworded without changing what was found.
_IDENTITY = ("code", "severity", "path", "line", "column", "field", "value", "key", "explanation")


def package_sha256(folder: Path) -> str:
    """sha256 of datapackage.json. The structure phase checks that it lists the size and sha256 of every
    resource (and the manifest digest of every dataset), so this one hash pins every byte of the filing."""
    return hashlib.sha256((folder / DESCRIPTOR).read_bytes()).hexdigest()


def findings_digest(result: PackageResult) -> str:
    rows = sorted(json.dumps([f.to_dict()[k] for k in _IDENTITY], ensure_ascii=False) for f in result.findings)
    return "sha256:" + hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
