"""Confidential items: the public outputs never hold a withheld value; the restricted build holds them all.

The SCE sample withholds two forecast amounts and a narrative section (data/sce/gmr-2026/confidential.csv),
sealed to the samples' public TEST key (validation/_shared/sample-test-key.agekey). The values the tests look
for are read by decrypting confidential.age with that key, so the scan checks whatever the sample holds, in every
form a page or file could show it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pypdf
import pytest

from gridmod.confidential import declaration_digest, read_identity, unseal

from ..conftest import ROOT, built_copy, repo_copy

KEY = ROOT / "validation/_shared/sample-test-key.agekey"
FILING = "data/sce/gmr-2026"


def _secrets(root: Path) -> dict[str, str]:
    sealed = (root / FILING / "confidential.age").read_bytes()
    items = unseal(sealed, read_identity(KEY), "confidential.age")["items"]
    return {item: place["value"] for item, place in items.items()}


def _forms(value: str) -> set[str]:
    """A withheld amount as any output could print it (as filed, with separators, in dollars); of a withheld
    text, every run of four words (a page or PDF breaks lines and may hyphenate a word, never all of them)."""
    try:
        amount = Decimal(value)
    except InvalidOperation:
        words = value.split()
        assert len(words) >= 8, value
        return {" ".join(words[i : i + 4]) for i in range(len(words) - 3)}
    return {value, f"{amount:,.0f}", f"{amount:,.2f}", f"{amount:.1f}"}


def _files(*folders: Path):
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                yield path


def _text_of(path: Path) -> list[bytes]:
    """The file's bytes, and for PDFs and zips what they hold in plain form; every run of white space (a
    line break in a Markdown source or a PDF) as one space."""
    data = path.read_bytes()
    found = [data]
    if path.suffix == ".pdf":
        found.append("\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages).encode("utf-8"))
    if path.suffix in (".zip", ".docx", ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            found += [archive.read(n) for n in archive.namelist()]
    return [re.sub(rb"\s+", b" ", blob) for blob in found]


def _leaks(folders: list[Path], values: dict[str, str]) -> list[str]:
    needles = {form.encode("utf-8") for v in values.values() for form in _forms(v)}
    return sorted(
        f"{path}: {needle.decode()}"
        for path in _files(*folders)
        for blob in _text_of(path)
        for needle in needles
        if needle in blob
    )


def test_the_sample_withholds_real_values_from_the_public_tables() -> None:
    values = _secrets(ROOT)
    assert sorted(values) == ["c1", "c2", "n1"] and all(Decimal(values[c]) > 1_000_000 for c in ("c1", "c2"))
    costs = (ROOT / FILING / "costs.csv").read_text(encoding="utf-8")
    assert "grid-cybersecurity,2027,capital,forecast,,23500000,\n" in costs  # amount_usd withheld, left empty
    narrative = (ROOT / FILING / "narrative/activities/grid-cybersecurity.md").read_text(encoding="utf-8")
    assert "## Challenges encountered and any modifications to the original plan\n\n## Planned" in narrative
    assert len(values["n1"].split()) > 30
    assert _leaks([ROOT / FILING], values) == []


def test_no_public_output_holds_a_confidential_value(sample_build: Path, tmp_path: Path) -> None:
    """The published site (pages, search index, downloads), the reports, and what the review job uploads."""
    values = _secrets(sample_build)
    review = tmp_path / "review"
    env = {**os.environ}
    for args in (
        [
            "validate",
            "--write",
            "json",
            str(review / "validation-report.json"),
            "--data-docs",
            str(review / "data-docs"),
            "--format",
            "markdown",
            "--output",
            str(review / "summary.md"),
        ],
        ["render", FILING, "--output", str(review / "reports")],
    ):
        done = subprocess.run(["gridmod", *args], cwd=sample_build, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert not any(form in done.stdout + done.stderr for v in values.values() for form in _forms(v))
    assert list((sample_build / "site").rglob("search_index.json"))
    assert _leaks([sample_build / "site", sample_build / "reports", review], values) == []
    page = (sample_build / "site/filings/gmr-2026/sce/index.html").read_text(encoding="utf-8")
    assert "Withheld as confidential" in page and "withheld (confidential)" in page
    assert (
        "the section “Challenges encountered and any modifications to the original plan” of activity "
        "grid-cybersecurity" in page
    )
    report = (sample_build / "reports/gmr-2026/sce.html").read_text(encoding="utf-8")
    assert (
        "Withheld as confidential (Critical infrastructure, CPUC General Order 66-D): Energy Division holds "
        "the text." in report
    )


def test_the_restricted_build_holds_every_value_marked_confidential(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    done = subprocess.run(
        ["gridmod", "build", "--confidential-key", str(KEY)], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert not (root / "site" / "index.html").exists()  # the public outputs are not touched
    values = _secrets(root)
    pdf = root / "restricted/gmr-2026/sce.pdf"
    pages = [p.extract_text() for p in pypdf.PdfReader(pdf).pages]
    assert all("CONFIDENTIAL — restricted edition, not for public release" in p for p in pages)
    text = re.sub(r"\s+", " ", "\n".join(pages))
    assert all(f"{Decimal(values[c]):,.0f}" in text for c in ("c1", "c2"))
    section = _forms(values["n1"])
    assert sum(1 for words in section if words in text) > 0.8 * len(section)
    assert "Withheld as confidential" not in text
    with zipfile.ZipFile(root / "restricted/gmr-2026/sce-data.zip") as archive:
        costs = archive.read("costs.csv").decode("utf-8")
        narrative = archive.read("narrative/activities/grid-cybersecurity.md").decode("utf-8")
        assert "confidential.csv" in archive.namelist() and "confidential.age" not in archive.namelist()
    assert values["c1"] in costs and values["c2"] in costs and values["n1"] in narrative


def test_a_key_that_does_not_open_the_values_is_refused(tmp_path: Path) -> None:
    import pyrage

    other = tmp_path / "other.agekey"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n", encoding="utf-8")
    root = repo_copy(tmp_path / "repo")
    done = subprocess.run(
        ["gridmod", "build", "--confidential-key", str(other)], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"gridmod: {FILING}/confidential.age does not decrypt with this key (")
    assert not (root / "restricted").exists()


def _findings(root: Path, code: str) -> list[str]:
    done = subprocess.run(
        ["gridmod", "validate", FILING, "--quick", "--format", "json"], cwd=root, capture_output=True, text=True
    )
    report = json.loads(done.stdout)
    return [
        f"{f['path']}:{f['line']}:{f['column']}: {f['message']}"
        for p in report["packages"]
        for f in p["findings"]
        if f["code"] == code
    ]


def test_a_value_left_in_clear_is_an_error_at_its_cell_without_the_value(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    values = _secrets(root)
    costs = root / FILING / "costs.csv"
    costs.write_text(costs.read_text().replace("forecast,,23500000", f"forecast,{values['c1']},23500000"))
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    found = _findings(root, "GMR-E049")
    assert found == [
        f"{FILING}/costs.csv:46:5: The public table holds a value in column amount_usd of row "
        "grid-cybersecurity/2027/capital/forecast: it is declared confidential (item c1) and would be "
        "published in clear."
    ]
    assert values["c1"] not in json.dumps(found)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "c3,activities,gms-adms,activity_name,market_sensitive,A name the vendor considers proprietary here.,ED",
            "Confidential item c3 is activities,gms-adms,activity_name, which this profile does not let a filer "
            "withhold (eligible: costs.amount_usd; use_cases.benefit_value; the whole table use_cases (use_cases,*,*); "
            "the sections benefits, challenges, future of an activity narrative (activity-<activity_id>,<section>,"
            "text)).",
        ),
        (
            "c3,activity-gms-adms,description,text,market_sensitive,The description names a vendor not yet public.,ED",
            "Confidential item c3 is activity-gms-adms,description,text, which this profile does not let a filer "
            "withhold (eligible: costs.amount_usd; use_cases.benefit_value; the whole table use_cases (use_cases,*,*); "
            "the sections benefits, challenges, future of an activity narrative (activity-<activity_id>,<section>,"
            "text)).",
        ),
        (
            "c3,costs,gms-adms/2027/om/forecast,amount_usd,secret,The budget of a contract that is out for bid.,ED",
            "Confidential item c3 gives the legal basis 'secret'; allowed: critical_infrastructure, market_sensitive, "
            "vendor_proprietary.",
        ),
        (
            "c3,costs,gms-adms/2031/om/forecast,amount_usd,market_sensitive,The budget of a contract out for bid.,ED",
            "Confidential item c3 names the row gms-adms/2031/om/forecast, which costs.csv does not have.",
        ),
        (
            "c3,costs,gms-adms/2027/om/forecast,amount_usd,market_sensitive,Secret.,ED",
            "Confidential item c3 says too little about why it is confidential (at least 20 characters).",
        ),
    ],
)
def test_a_declaration_row_that_cannot_hold_is_an_error_at_its_line(tmp_path: Path, row: str, message: str) -> None:
    root = repo_copy(tmp_path / "repo")
    declaration = root / FILING / "confidential.csv"
    declaration.write_text(declaration.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    assert _findings(root, "GMR-E048") == [f"{FILING}/confidential.csv:5:None: {message}"]


def test_a_section_left_in_clear_or_not_there_is_an_error(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    declaration = root / FILING / "confidential.csv"
    declaration.write_text(
        declaration.read_text(encoding="utf-8") + "n2,activity-gms-adms,challenges,text,"
        "critical_infrastructure,It describes the control-center network architecture.,ED\n",
        encoding="utf-8",
    )
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    narrative = f"{FILING}/narrative/activities/gms-adms.md"
    assert _findings(root, "GMR-E049") == [
        f"{narrative}:22:None: The public narrative/activities/gms-adms.md still has text under '## Challenges "
        "encountered and any modifications to the original plan': it is declared confidential (item n2) and would "
        "be published in clear."
    ]
    path = root / narrative
    path.write_text(path.read_text(encoding="utf-8").replace("## Challenges encountered", "## Challenges met"))
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    assert _findings(root, "GMR-E048") == [
        f"{FILING}/confidential.csv:5:None: Confidential item n2 names the section '## Challenges encountered and "
        "any modifications to the original plan', which narrative/activities/gms-adms.md does not have exactly "
        "once."
    ]


def test_a_whole_table_is_withheld_to_its_header_and_restored(tmp_path: Path) -> None:
    """use_cases withheld whole: redact keeps its header line, the public filing validates without use cases, the
    report says they are withheld, and the restricted build has every row back."""
    root = repo_copy(tmp_path / "repo")
    values = _secrets(root)
    folder = root / FILING
    costs, narrative = folder / "costs.csv", folder / "narrative/activities/grid-cybersecurity.md"
    costs.write_text(
        costs.read_text()
        .replace("2027,capital,forecast,,", f"2027,capital,forecast,{values['c1']},")
        .replace("2028,capital,forecast,,", f"2028,capital,forecast,{values['c2']},")
    )
    heading = "## Challenges encountered and any modifications to the original plan\n"
    narrative.write_text(narrative.read_text().replace(heading, heading + values["n1"]))
    use_cases = (folder / "use_cases.csv").read_text(encoding="utf-8")
    declaration = folder / "confidential.csv"
    declaration.write_text(
        declaration.read_text(encoding="utf-8") + "u1,use_cases,*,*,vendor_proprietary,Benefit "
        "estimates from a vendor's proprietary model (SAMPLE).,Energy Division staff\n"
    )
    done = subprocess.run(["gridmod", "redact", FILING], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"  withheld u1 in {FILING}/use_cases.csv" in done.stdout.splitlines()
    assert (folder / "use_cases.csv").read_text(encoding="utf-8") == use_cases.split("\n", 1)[0] + "\n"
    checked = subprocess.run(["gridmod", "validate", FILING], cwd=root, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    rendered = subprocess.run(
        ["gridmod", "render", FILING, "--output", str(tmp_path / "out")], cwd=root, capture_output=True, text=True
    )
    assert rendered.returncode == 0, rendered.stderr
    report = (tmp_path / "out/gmr-2026/sce.html").read_text(encoding="utf-8")
    assert "The use cases are withheld as confidential (Vendor proprietary, CPUC General Order 66-D)" in report
    row = use_cases.split("\n")[1].split(",")[4]  # a benefit metric, which only the table holds
    assert row and row not in report
    assert _secrets(root)["u1"] == use_cases
    built = subprocess.run(
        ["gridmod", "build", "--confidential-key", str(KEY)], cwd=root, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(root / "restricted/gmr-2026/sce-data.zip") as archive:
        assert archive.read("use_cases.csv").decode("utf-8") == use_cases
    # Its rows filed again in public, the table is in clear.
    (folder / "use_cases.csv").write_text(use_cases, encoding="utf-8")
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    rows = len(use_cases.strip().split("\n")) - 1
    assert _findings(root, "GMR-E049") == [
        f"{FILING}/use_cases.csv:2:None: The public use_cases.csv still has {rows} rows of a table withheld whole: "
        "it is declared confidential (item u1) and would be published in clear."
    ]


def test_redact_seals_the_declared_values_and_empties_their_cells(tmp_path: Path) -> None:
    """From a filer's working copy with every value in the tables to the redacted filing, and back (restricted)."""
    root = repo_copy(tmp_path / "repo")
    values = _secrets(root)
    folder = root / FILING
    costs = folder / "costs.csv"
    costs.write_text(
        costs.read_text()
        .replace("2027,capital,forecast,,", f"2027,capital,forecast,{values['c1']},")
        .replace("2028,capital,forecast,,", f"2028,capital,forecast,{values['c2']},")
    )
    narrative = folder / "narrative/activities/grid-cybersecurity.md"
    public = narrative.read_text()
    heading = "## Challenges encountered and any modifications to the original plan\n"
    narrative.write_text(public.replace(heading, heading + values["n1"]))
    (folder / "confidential.age").unlink()
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "confidential_values"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    assert [f.split(": ", 1)[1] for f in _findings(root, "GMR-E055")] == [
        "confidential.age is missing, but confidential.csv declares 3 withheld items, whose values must travel "
        "encrypted."
    ]
    done = subprocess.run(["gridmod", "redact", FILING], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:3] == [
        f"  withheld c1, c2 in {FILING}/costs.csv",
        f"  withheld n1 in {FILING}/narrative/activities/grid-cybersecurity.md",
    ]
    assert _leaks([folder], values) == [] and _secrets(root) == values
    assert narrative.read_text() == public  # the section back to its heading, every other line as it was
    assert subprocess.run(["gridmod", "validate", FILING, "--quick"], cwd=root, capture_output=True).returncode == 0
    again = subprocess.run(["gridmod", "redact", FILING], cwd=root, capture_output=True, text=True)
    assert again.returncode == 1 and "c1, c2, n1 are already withheld" in again.stderr


def test_a_sealed_part_that_does_not_match_the_declaration_is_refused(sample_build: Path, tmp_path: Path) -> None:
    root = built_copy(sample_build, tmp_path / "repo")
    declaration = root / FILING / "confidential.csv"
    lines = declaration.read_text(encoding="utf-8").splitlines(keepends=True)
    declaration.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")  # c2 no longer declared, still sealed
    costs = root / FILING / "costs.csv"
    costs.write_text(costs.read_text().replace("2028,capital,forecast,,", "2028,capital,forecast,23000000,"))
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    # Public validation sees that the declaration is not the one the values were sealed with ...
    assert _e055(root) == [
        "confidential.age was sealed with another confidential.csv than the filing's: an item was "
        "added, removed or changed since gridmod redact ran."
    ]
    # ... and if the recorded hash is forged to match, the restricted build still refuses what it decrypts.
    descriptor = root / FILING / "datapackage.json"
    data = json.loads(descriptor.read_text())
    values = next(r for r in data["resources"] if r["name"] == "confidential_values")
    values["declaration_hash"] = declaration_digest(declaration)
    descriptor.write_text(json.dumps(data, indent=2) + "\n")
    done = subprocess.run(
        ["gridmod", "build", "--confidential-key", str(KEY)], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"gridmod: {FILING}/confidential.age does not match {FILING}/confidential.csv (sealed "
        "but not declared: c2): the filer must run gridmod redact again on the complete "
        "tables.\n"
    )
    shutil.rmtree(root)


def test_the_size_of_the_sealed_part_does_not_tell_the_values() -> None:
    """The sealed JSON is padded to 4 KiB blocks: one digit more or less in a value does not change the size."""
    from gridmod.confidential import seal

    key = [str(read_identity(KEY).to_public())]
    place = {"resource": "costs", "key": "a/2027/capital/forecast", "field": "amount_usd"}

    def payload(sealed: bytes) -> int:
        """What follows the age header (which anyone can parse, and whose size varies at random)."""
        mac = sealed.index(b"\n--- ") + 1
        return len(sealed) - (sealed.index(b"\n", mac) + 1)

    sizes = {payload(seal({"c1": {**place, "value": v}}, FILING, key)) for v in ("1", "22613900", "9" * 30)}
    assert len(sizes) == 1


def _e055(root: Path) -> list[str]:
    return [f.split(": ", 1)[1] for f in _findings(root, "GMR-E055")]


def test_a_declaration_changed_after_sealing_is_an_error(tmp_path: Path) -> None:
    """A new item declared and its cell emptied by hand, without gridmod redact: its value is nowhere."""
    root = repo_copy(tmp_path / "repo")
    declaration = root / FILING / "confidential.csv"
    declaration.write_text(
        declaration.read_text() + "c3,costs,gms-adms/2027/om/forecast,amount_usd,market_sensitive,"
        "The budget of a contract that is out for bid.,Energy Division staff\n"
    )
    costs = root / FILING / "costs.csv"
    lines = costs.read_text().split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("gms-adms,2027,om,forecast,"))
    cells = lines[number].split(",")
    cells[4] = ""
    lines[number] = ",".join(cells)
    costs.write_text("\n".join(lines))
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    assert _e055(root) == [
        "confidential.age was sealed with another confidential.csv than the filing's: an item was "
        "added, removed or changed since gridmod redact ran."
    ]


def test_a_real_filing_sealed_to_the_test_key_is_refused(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    descriptor = root / FILING / "datapackage.json"
    data = json.loads(descriptor.read_text())
    data["gridmod"]["is_sample"] = False
    data["gridmod"]["attestation"]["name"] = "Jane Doe"
    data["gridmod"]["edition"] = "restricted"
    descriptor.write_text(json.dumps(data, indent=2) + "\n")
    assert sorted(_e055(root)) == [
        "confidential.age opens with the public sample TEST key, so anyone can read it: a real filing's values must "
        "be sealed to Energy Division's keys only.",
        "datapackage.json says gridmod.edition, which only the restricted build's own copy of a filing says.",
    ]
    # Redacting it again cannot use the test key either: a real filing is sealed to Energy Division's keys, which
    # the shipped recipients file does not list yet.
    from gridmod.confidential import recipients
    from gridmod.errors import SetupError

    with pytest.raises(SetupError, match="lists no key yet: Energy Division must add its age public keys"):
        recipients(root, sample=False)
    listed = root / "validation/_shared/confidential-recipients.txt"
    listed.write_text(f"{read_identity(KEY).to_public()}\n", encoding="utf-8")
    with pytest.raises(SetupError, match="lists the sample TEST key"):
        recipients(root, sample=False)
