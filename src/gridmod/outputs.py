"""What the build hands from rendering to the site: one validated filing and its rendered files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.spec import Profile


@dataclass
class BuiltFiling:
    filing: Filing
    profile: Profile
    result: PackageResult
    # "qmd", "pdf", "docx", "html" -> file in the (staging) reports folder
    outputs: dict[str, Path] = field(default_factory=dict)
