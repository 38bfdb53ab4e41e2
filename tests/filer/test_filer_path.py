"""Done-when of the filer's path: new -> export -> fill in Excel -> import -> validate -> fix -> build."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl

from tests.filer.filerfixtures import gridmod

FILING = "data/sdge/gmr-2028"
BOOK = "sdge-gmr-2028.xlsx"


def fill_like_a_person(book: Path) -> None:
    """What an analyst types: drop-down picks, a Python-side TRUE, a date typed as text in the US way,
    an amount pasted as text with thousands separators, a number stored as text, a stray trailing space."""
    wb = openpyxl.load_workbook(book)
    categories = wb["categories"]
    answers = [
        ("false", "No grid management system activity in this reporting period."),
        ("false", "No communications or cybersecurity activity in this reporting period."),
        (False, "No engineering software or planning tool activity in this reporting period."),
        ("TRUE", None),
        ("false", "No other activity in this reporting period."),
    ]
    for row, (flag, reason) in enumerate(answers, start=2):
        categories.cell(row, 2).value = flag
        categories.cell(row, 3).value = reason
    wb["activities"].append(
        ["ami-2-0", "d", "Advanced Metering Infrastructure 2.0", "in_progress", "3/15/2025", None, "2024 GRC"]
    )
    wb["milestones"].append(
        ["ami-2-0", "m1", "Head-end system in service", "achieved", datetime(2027, 6, 30), None, "2027-08-15 "]
    )
    wb["costs"].append(["ami-2-0", 2027, "capital", "recorded", "4,200,000", 4500000])
    wb["costs"].append(["ami-2-0", 2028, "capital", "forecast", "3900000", 4000000])
    wb["use_cases"].append(
        [
            "ami-2-0",
            "uc1",
            "current",
            "Remote meter reads for residential customers",
            "Truck rolls avoided",
            12000,
            "truck rolls",
        ]
    )
    wb.save(book)


def write_narrative(folder: Path) -> None:
    """The filer writes under each heading and leaves the guidance notes where they are."""
    for name in ("introduction", "summary", "outlook"):
        path = folder / "narrative" / f"{name}.md"
        path.write_text(path.read_text() + f"\nThe {name} section, written by the filer.\n", encoding="utf-8")
    path = folder / "narrative" / "activities" / "ami-2-0.md"
    text = path.read_text()
    for heading in (
        "Description and status",
        "Benefits realized and current use cases",
        "Challenges encountered and any modifications to the original plan",
        "Planned future use cases and anticipated benefits",
    ):
        text = text.replace(f"## {heading}\n", f"## {heading}\n\nWhat the filer says about {heading.lower()}.\n")
    path.write_text(text, encoding="utf-8")


def attest(folder: Path) -> None:
    """The officer signs: name, title and date beside the statement `gridmod new` wrote."""
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["gridmod"]["attestation"].update(
        name="Jane Doe", title="Vice President, Grid Modernization", date="2028-09-30"
    )
    path.write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")


def _line(folder: Path, key: str, after: str) -> int:
    lines = (folder / "datapackage.json").read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if f'"{after}"' in line)
    return next(n for n, line in enumerate(lines[start:], start + 1) if f'"{key}"' in line)


def test_a_filer_goes_from_nothing_to_a_built_report(repo: Path) -> None:
    created = gridmod("new", "sdge", "gmr-2028")
    assert created.exit_code == 0, created.output
    assert created.output.splitlines()[:2] == [
        f"Created {FILING} (profile gmr-appendix-a 1.0): datapackage.json, 6 tables, 3 narrative files.",
        "  Reporting period 2026-07-01 to 2028-06-30; filing date 2028-10-01 (the deadline: change it in "
        "datapackage.json if you file on another day).",
    ]
    exported = gridmod("excel", "export", FILING)
    assert exported.exit_code == 0, exported.output
    assert exported.output.startswith(f"Wrote {BOOK} for {FILING} (profile gmr-appendix-a 1.0): categories (5 rows)")

    fill_like_a_person(repo / BOOK)
    first = gridmod("excel", "import", BOOK, FILING)
    assert first.exit_code == 1, first.output
    lines = first.output.splitlines()
    assert "  Note: categories!B5: TRUE read as true." in lines
    assert "  Note: milestones!G2: spaces before or after the value were removed." in lines
    assert f"  Added {FILING}/narrative/activities/ami-2-0.md for a new activity: write its narrative there." in lines
    assert (
        f"  To do: {FILING}/narrative/introduction.md holds only the guidance notes; write the section there." in lines
    )
    assert "  activities!E2: error GMR-E010: '3/15/2025' in column start_date is not a valid date." in lines
    assert "  costs!E2: error GMR-E010: '4,200,000' in column amount_usd is not a valid number." in lines
    assert not any("costs!E3" in line for line in lines)  # "3900000" stored as text is a number all the same

    wb = openpyxl.load_workbook(repo / BOOK)
    wb["activities"]["E2"] = datetime(2025, 3, 15)
    wb["costs"]["E2"] = 4200000
    wb.save(repo / BOOK)
    second = gridmod("excel", "import", BOOK, FILING)
    assert second.exit_code == 1, second.output
    # The tables are right now; the new activity's narrative is not written yet, element by element.
    assert (
        f"  {FILING}/narrative/activities/ami-2-0.md:11: needs explanation GMR-X032: Activity ami-2-0 does not "
        "cover element 1 (Description and status)." in second.output.splitlines()
    )
    # The sections still holding only guidance are errors until written.
    errors = sorted(line.split(":")[0].strip() for line in second.output.splitlines() if " error " in line)
    # So is the officer's verification, which `gridmod new` left for the officer to sign.
    assert errors == [f"{FILING}/datapackage.json"] * 3 + [
        f"{FILING}/narrative/{name}.md" for name in ("introduction", "outlook", "summary")
    ]
    assert (
        f"  {FILING}/datapackage.json:{_line(repo / FILING, 'name', after='attestation')}: error GMR-E047: "
        "gridmod.attestation.name is missing or empty."
    ) in second.output.splitlines()

    write_narrative(repo / FILING)
    attest(repo / FILING)
    assert gridmod("stamp", FILING).exit_code == 0
    checked = gridmod("validate", FILING)
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith(f"{FILING}: valid (0 errors")
    costs = (repo / FILING / "costs.csv").read_text()
    assert costs == (
        "activity_id,year,cost_type,basis,amount_usd,authorized_usd\n"
        "ami-2-0,2027,capital,recorded,4200000,4500000\n"
        "ami-2-0,2028,capital,forecast,3900000,4000000\n"
    )
    assert (
        "ami-2-0,m1,Head-end system in service,achieved,2027-06-30,,2027-08-15\n"
        in (repo / FILING / "milestones.csv").read_text()
    )

    built = gridmod("build")
    assert built.exit_code == 0, built.output
    page = (repo / "site" / "filings" / "gmr-2028" / "sdge" / "index.html").read_text(encoding="utf-8")
    assert "What the filer says about description and status." in page
    assert "guidance" not in page.lower()  # the notes to the filer never reach a page
    qmd = (repo / "reports" / "gmr-2028" / "sdge.qmd").read_text(encoding="utf-8")
    assert "The introduction section, written by the filer." in qmd
    descriptor = json.loads((repo / FILING / "datapackage.json").read_text())
    assert descriptor["gridmod"]["filing_date"] == "2028-10-01"
    assert (repo / "reports" / "gmr-2028" / "sdge.pdf").stat().st_size > 10_000
    assert "Verified by:</strong> Jane Doe, Vice President, Grid Modernization, on 2028-09-30" in page
    assert "- **Record:** revision 1, not accepted yet" not in qmd and 'attested: "Jane Doe' in qmd
