"""A small valid filing per utility and its fake rendered outputs, as the build hands them to the site.

The filings are written here rather than read from data/: the site tests must not change when the sample
filings do, and one narrative carries hostile markup that a real filing would not. (A module of its own,
not conftest.py, so that tests can import it by a name no other test folder uses.)
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from gridmod.filing import Filing, FilingMeta, load_filing, stamp_resources
from gridmod.findings import PackageResult
from gridmod.outputs import BuiltFiling
from gridmod.spec import load_profile

REPO = Path(__file__).resolve().parents[2]
PROFILE = ("gmr-appendix-a", "1.0")

HOSTILE = (
    "Field crews said <script>alert(1)</script> twice. "
    "<img src=x onerror=alert(1)> "
    "[x](javascript:alert(1)) "
    '<a href="javascript:alert(2)" onclick="alert(3)">click</a> '
    "![pixel](https://tracker.example/p.gif) "
    "<iframe src=https://evil.example></iframe>"
)

TABLES = {
    "categories.csv": """category_id,has_activities,no_activity_reason
a,true,
b,true,
c,false,No engineering software project had work or costs in the reporting period.
d,false,AMI 2.0 planning starts in the next General Rate Case cycle.
e,false,No other technology activity in the reporting period.
""",
    "activities.csv": """activity_id,category_id,activity_name,status,start_date,completion_date,grc_reference
adms-phase-2,a,Advanced Distribution Management System (ADMS) phase 2,in_progress,2023-01-15,,2023 GRC
field-area-network,b,Field area network,completed,2022-06-01,2025-03-31,2023 GRC
""",
    "milestones.csv": """activity_id,milestone_id,milestone_name,status,baseline_date,forecast_date,actual_date
adms-phase-2,m1,FLISR in service on 100 circuits,achieved,2025-06-30,,2025-05-20
adms-phase-2,m2,DERMS integration,delayed,2026-06-30,2026-12-15,
field-area-network,m1,Network complete,achieved,2025-03-31,,2025-03-31
""",
    "costs.csv": """activity_id,year,cost_type,basis,amount_usd,authorized_usd
adms-phase-2,2024,capital,recorded,14000000,12000000
adms-phase-2,2025,capital,recorded,14000000,15000000
adms-phase-2,2026,capital,forecast,9000000,
field-area-network,2024,capital,recorded,6000000,6500000
field-area-network,2025,om,recorded,1200000,
""",
    "use_cases.csv": """activity_id,use_case_id,timing,use_case,benefit_metric,benefit_value,benefit_unit
adms-phase-2,uc1,current,"Fault location, isolation and service restoration",customer minutes of interruption avoided,1200000,minutes
adms-phase-2,uc2,planned,Operating DER as non-wires alternatives,,,
field-area-network,uc1,current,Backhaul for line sensors and reclosers,,,
field-area-network,uc2,planned,"=HYPERLINK(""http://x"")",,,
""",
    "explanations.csv": (
        'code,key,text\nGMR-X062,adms-phase-2/2024/capital,"Storm season <script>alert(1)</script> added crews."\n'
    ),
}

NARRATIVES = {
    "introduction": ("narrative/introduction.md", "The utility's Grid Modernization plan in brief.\n"),
    "summary": ("narrative/summary.md", "FLISR now covers 100 circuits.\n"),
    "outlook": ("narrative/outlook.md", "DERMS integration follows in 2026.\n"),
}


def activity_narrative(name: str, hostile: bool) -> str:
    body = HOSTILE if hostile else f"{name} is in service."
    return (
        f"## Description and status\n\n{body}\n\n"
        "## Benefits realized and current use cases\n\nFewer customer minutes of interruption.\n\n"
        "## Challenges encountered and any modifications to the original plan\n\nVendor delays.\n\n"
        "## Planned future use cases and anticipated benefits\n\nDER dispatch.\n"
    )


def write_filing(folder: Path, utility: str, *, is_sample: bool = True, hostile: bool = False) -> Path:
    """A filing valid under gmr-appendix-a 1.0, stamped with sizes and hashes like a real one."""
    folder.mkdir(parents=True)
    resources = []
    for path, content in TABLES.items():
        (folder / path).write_text(content, encoding="utf-8")
        name = path.removesuffix(".csv")
        resources.append(
            {
                "name": name,
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": f"schemas/{name}.json",
            }
        )
    texts = {name: (path, content) for name, (path, content) in NARRATIVES.items()}
    texts["activity-adms-phase-2"] = (
        "narrative/activities/adms-phase-2.md",
        activity_narrative("ADMS phase 2", hostile),
    )
    texts["activity-field-area-network"] = (
        "narrative/activities/field-area-network.md",
        activity_narrative("Field area network", False),
    )
    for name, (path, content) in texts.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(content, encoding="utf-8")
        resources.append({"name": name, "path": path, "format": "md", "mediatype": "text/markdown"})
    descriptor = {
        "name": f"{utility}-gmr-2026",
        "title": f"{utility.upper()} Grid Modernization progress report 2026",
        "gridmod": {
            "profile": PROFILE[0],
            "profile_version": PROFILE[1],
            "utility": utility,
            "filing_id": "gmr-2026",
            "proceeding": "R.21-06-017",
            "reporting_period_start": "2024-07-01",
            "reporting_period_end": "2026-06-30",
            "filing_date": "2026-10-01",
            "is_sample": is_sample,
        },
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    stamp_resources(folder)
    return folder


def write_outputs(reports: Path, folder: Path, utility: str) -> dict[str, Path]:
    """What render_report would leave in the staging reports folder: a .qmd and document bytes."""
    out = reports / "gmr-2026"
    out.mkdir(parents=True, exist_ok=True)
    narrative = (folder / "narrative/activities/adms-phase-2.md").read_text(encoding="utf-8")
    qmd = out / f"{utility}.qmd"
    qmd.write_text(
        "---\n"
        f'title: "{utility.upper()} Grid Modernization Progress Report"\n'
        "format: typst\n"
        "---\n\n"
        "# I. Introduction\n\n## a. Overview\n\nThe plan in brief.\n\n"
        "{{< pagebreak >}}\n\n"
        "# II. Grid Modernization Activities (Past Two Years)\n\n"
        "## a. Grid Management Systems\n\n### ADMS phase 2\n\n"
        + narrative.replace("## ", "#### ")
        + "\n| Year | Recorded (USD) |\n|---|--:|\n| 2024 | 14,000,000 |\n\n"
        "![Recorded costs by year](figures/costs.svg)\n\n"
        "::: {.callout-note}\n## Explanation\nOverrun explained in explanations.csv.\n:::\n\n"
        "```{=typst}\n#pagebreak()\n```\n\n"
        "# III. Conclusion\n\n## a. Summary\n\nFLISR now covers 100 circuits.\n",
        encoding="utf-8",
    )
    (out / "figures").mkdir(exist_ok=True)
    (out / "figures" / "costs.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Costs</title></svg>\n',
        encoding="utf-8",
    )
    outputs = {"qmd": qmd}
    for kind in ("pdf", "docx", "html"):
        path = out / f"{utility}.{kind}"
        path.write_bytes(f"fake {kind} of {utility}".encode())
        outputs[kind] = path
    return outputs


def checked(filing: Filing) -> Filing:
    """The filing with the typed header the structure phase gives a filing whose header has no error."""
    meta = filing.meta
    filing.header = FilingMeta(
        profile=meta["profile"],
        profile_version=meta["profile_version"],
        utility=meta["utility"],
        filing_id=meta["filing_id"],
        period_start=date.fromisoformat(meta["reporting_period_start"]),
        period_end=date.fromisoformat(meta["reporting_period_end"]),
        filing_date=date.fromisoformat(meta["filing_date"]),
        is_sample=filing.is_sample,
        fields=dict(meta),
    )
    return filing


def make_built(root: Path, utility: str, **kwargs) -> BuiltFiling:
    """One BuiltFiling as the build hands it over: filing, profile, a valid result, rendered outputs."""
    folder = write_filing(root / "data" / utility / "gmr-2026", utility, **kwargs)
    outputs = write_outputs(root / "reports", folder, utility)
    filing = checked(load_filing(folder, root))
    profile = load_profile(REPO, *PROFILE)
    warning = profile.rule("GMR-W092").finding(
        filing.rel_path("milestones.csv"), value="<b>34</b> | [x](javascript:alert(1))", threshold=50
    )
    explained = profile.rule("GMR-X062").finding(
        filing.rel_path("costs.csv"),
        line=3,
        value="16.7",
        key="adms-phase-2/2024/capital",
        cost_type="capital",
        activity_id="adms-phase-2",
        year=2024,
        recorded="$14,000,000",
        authorized="$12,000,000",
        threshold=10,
    )
    explained.explanation = "Storm season <script>alert(1)</script> added crews."
    result = PackageResult(path=filing.rel, profile=PROFILE[0], version=PROFILE[1], findings=[warning, explained])
    return BuiltFiling(filing=filing, profile=profile, result=result, outputs=outputs)


def make_ica_built(folder: Path, reports: Path) -> BuiltFiling:
    """A validated sample ICA filing as the build hands it over, with stand-in PDF and Word files."""
    from gridmod.validate import validate_filing

    item = validate_filing(folder, REPO)
    assert item.result.valid and item.profile is not None
    outputs = {}
    for kind in ("pdf", "docx"):
        path = reports / folder.name / f"{folder.parent.name}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"fake {kind} of {folder.parent.name} {folder.name}".encode())
        outputs[kind] = path
    return BuiltFiling(item.filing, item.profile, item.result, outputs)
