"""What the build hands from rendering to the site: one validated filing, its rendered files, the report
model they were made from, and what the site publishes of it (gridmod.site.edition)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.spec import Profile

if TYPE_CHECKING:
    from gridmod.site.edition import WebEdition


@dataclass
class BuiltFiling:
    filing: Filing
    profile: Profile
    result: PackageResult
    # "qmd", "pdf", "docx", "html" -> file in the (staging) reports folder
    outputs: dict[str, Path] = field(default_factory=dict)
    # the report model (gridmod.render.model.ReportModel or gridmod.render.ica.IcaReportModel) the report was
    # rendered from; None until a stage builds it
    model: Any = None
    # the downloads and report fragment the site publishes (gridmod.site.prepare); None until prepared
    web: WebEdition | None = None
