"""The engine of the test profile asset-register: all the code a new profile needs beyond its data.

It is a plugin, declared to gridmod the way an installed package would declare it (an entry point in the
group gridmod.engines, see tests/engines/test_third_profile.py), so that nothing in gridmod names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from gridmod.engines import Engine
from gridmod.filing import Filing
from gridmod.findings import Checked, Finding, PackageResult
from gridmod.outputs import BuiltFiling
from gridmod.render.header import Explanation, ReportHeader, Validation, report_header, validation_summary
from gridmod.site.downloads import write_documents, write_package
from gridmod.site.edition import Downloads, WebEdition
from gridmod.site.filings import edition, place_files
from gridmod.site.sections import SiteContext
from gridmod.site.tabular import Column, DataTable
from gridmod.spec import Profile
from gridmod.tables import read_table
from gridmod.utilities import utility

DOWNLOADS = "register/downloads"

ENGINE = Engine(
    name="register",
    checks="tests.engines.register_engine:check",
    model="tests.engines.register_engine:build_model",
    edition="tests.engines.register_engine:web_edition",
    report=("register", ""),
    sections=("tests.engines.register_engine:pages",),
)


def _assets(filing: Filing, profile: Profile) -> list[dict[str, Any]]:
    return read_table(filing.file("assets"), profile.schemas["assets"])


def check(filing: Filing, profile: Profile, structure: Any, earlier: list[Finding], run: Any) -> Checked:
    """REG-E101: no asset is commissioned after the filing date (the validation stage has said already when
    assets.csv has structural errors, and why its content is not checked)."""
    if "assets" not in structure.tables_ok:
        return Checked()
    filed = date.fromisoformat(str(filing.meta["filing_date"]))
    path = filing.rel_path(profile.table_path("assets"))
    findings = [
        profile.rule("REG-E101").finding(
            path,
            line=row["_line"],
            column=5,
            field="commissioned_date",
            value=row["commissioned_date"].isoformat(),
            key=row["asset_id"],
            filing_date=filed.isoformat(),
        )
        for row in _assets(filing, profile)
        if row["commissioned_date"] > filed
    ]
    return Checked(findings, [] if "expectations" in run.phases else ["No expectations for this profile."])


@dataclass
class RegisterModel(ReportHeader):
    assets: list[dict[str, Any]]
    total_kw: float
    explanations: list[Explanation]
    validation: Validation


def build_model(filing: Filing, profile: Profile, result: PackageResult) -> RegisterModel:
    assets = _assets(filing, profile)
    return RegisterModel(
        **report_header(filing, profile),
        assets=assets,
        total_kw=sum(a["capacity_kw"] for a in assets),
        explanations=[],
        validation=validation_summary(result, profile, filing),
    )


def web_edition(built: BuiltFiling, reports_dir: Path, folder: Path) -> WebEdition:
    return WebEdition(folder, Downloads(write_documents(built, folder), write_package(built, folder)))


def pages(context: SiteContext) -> list[Any]:
    """One page with every register on the site, its assets and downloads."""
    downloads = context.docs / DOWNLOADS
    downloads.mkdir(parents=True, exist_ok=True)
    filings = []
    for built in context.built:
        place_files(edition(built), downloads)
        model, label = built.model, built.profile.label
        table = DataTable(
            f"Assets of {model.filing_id}",
            [Column("Asset"), Column("Technology"), Column("Capacity (kW)", True)],
            [[a["asset_id"], label(a["technology"]), f"{a['capacity_kw']:,.1f}"] for a in model.assets],
        )
        filings.append(
            {
                "utility": utility(model.utility).short,
                "filing_id": model.filing_id,
                "table": table,
                "downloads": edition(built).downloads.all,
            }
        )
    context.page(
        "register/index.md",
        "register/index.md.j2",
        filings=filings,
        downloads=DOWNLOADS,
        sample=any(b.filing.is_sample for b in context.built),
    )
    return [{"Asset registers": "register/index.md"}]
