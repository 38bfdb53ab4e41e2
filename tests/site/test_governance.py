"""Profile governance: each version's status, effective day, authority, review date and proposals, read from
profile.yaml and shown on the site (data dictionary, changes page, calendar, rules) and the report."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from gridmod.errors import SetupError
from gridmod.governance import parse_governance
from gridmod.site import build_site
from gridmod.spec import load_profile

from .sitefixtures import REPO

ADOPTED = {
    "status": "adopted",
    "effective": "2026-01-01",
    "authority": {"document": "D.24-10-030", "date": "2024-10"},
    "review_by": "2027-06-30",
}


def governance(**changes):
    return parse_governance({"governance": {**ADOPTED, **changes}}, "profile.yaml", {"X-E101"})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "draft"}, "governance.status: 'draft' is not one of adopted, proposed"),
        ({"effective": None}, "governance.status: an adopted version states its effective day"),
        ({"effective": "2026-13-01"}, "governance.effective: '2026-13-01' is not a day written YYYY-MM-DD"),
        ({"authority": {"date": "2024-10"}}, "governance.authority: give the document"),
        ({"authority": {"document": "D.24-10-030", "date": "October 2024"}}, "governance.authority.date"),
        ({"review_by": "2025-12-31"}, "governance.review_by: 2025-12-31 is not after the effective day 2026-01-01"),
        ({"proposed": [{"item": "X-E999", "note": "n"}]}, "'X-E999' is neither `schedule` nor a rule code"),
        ({"proposed": [{"item": "X-E101"}]}, "the proposal 'X-E101' needs a note"),
    ],
)
def test_a_broken_governance_block_names_its_field(changes, message):
    with pytest.raises(SetupError) as caught:
        governance(**changes)
    assert str(caught.value).startswith("profile.yaml: governance.") and message in str(caught.value)


def test_every_profile_version_needs_a_governance_block():
    with pytest.raises(SetupError, match="has no `governance:` block"):
        parse_governance({}, "validation/x/1.0/profile.yaml", set())


def test_review_state_and_summary():
    g = governance()
    assert g.review_state(date(2026, 12, 1)) is None  # 211 days ahead
    assert g.review_state(date(2027, 1, 1)) == "near"
    assert g.review_state(date(2027, 7, 1)) == "passed"
    assert g.summary == "Adopted, in force since 2026-01-01: D.24-10-030 (2024-10)"
    proposed = governance(status="proposed", effective=None, authority={"document": "A proposal"}, review_by=None)
    assert (
        proposed.summary == "Proposed, not yet adopted: A proposal" and proposed.review_state(date(2030, 1, 1)) is None
    )


def test_the_proceedings_profiles_say_what_they_are():
    """Appendix A and its fall-of-even-years calendar are the ruling's proposals (section 6, questions 1 and
    2); the biannual ICA reports are D.24-10-030's, and ICA 1.1 is a proposal not yet in force."""
    gmr = load_profile(REPO, "gmr-appendix-a", "1.0").governance
    assert gmr.is_proposed and gmr.review_by is None and "question 1" in gmr.proposal("schedule").note
    ica = load_profile(REPO, "ica-biannual", "1.0").governance
    assert ica.status == "adopted" and ica.authority.startswith("D.24-10-030")
    newer = load_profile(REPO, "ica-biannual", "1.1").governance
    assert newer.is_proposed and newer.effective is None


def text_of(path: Path) -> str:
    """The page's text, tags and scripts dropped, spaces collapsed."""
    page = re.sub(r"<script.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).replace(" .", ".").replace(" ,", ",")


def test_the_site_shows_each_versions_status_changes_and_the_proceedings_records(built_site):
    out = built_site["out"]
    gmr = text_of(out / "data-dictionary/gmr-appendix-a-1.0/index.html")
    assert "Proposed, not yet adopted" in gmr and "Review by none set" in gmr
    assert "Proposed: the filing calendar. Filing in the fall of even-numbered years" in gmr
    home = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<td>2026-10-01 \(proposed\)</td>", home) and "A date marked proposed is not adopted" in home
    changes = text_of(out / "data-dictionary/gmr-appendix-a-1.0-changes/index.html")
    assert "Changes in gmr-appendix-a 1.0" in changes and "GMR-W094 (total recorded cost)" in changes
    ica = text_of(out / "data-dictionary/ica-biannual-1.1-changes/index.html")
    assert "Moving a filing from 1.0 to 1.1" in ica and "the field longitude is added, empty" in ica
    assert "Corrections to 1.0 and 1.1" in ica and "Line sections" in ica
    older = text_of(out / "data-dictionary/ica-biannual-1.0-changes/index.html")
    assert "Corrections to 1.0 and 1.1" in older and "Moving a filing" not in older
    records = text_of(out / "proceeding/index.html")
    assert (
        "No advice letter is recorded yet" in records
        and "Rules that read the register: ICA-W151, ICA-W154, ICA-X148." in records
    )
    assert "TSO-DSO coordination workshop with CAISO" in records
    rule = text_of(out / "rules/ica-x148/index.html")
    assert "Reads: the register of advice letters" in rule
    assert "ica-biannual 1.1 (proposed)" in text_of(out / "rules/ica-e149/index.html")


def test_a_version_nearing_or_past_its_review_date_is_flagged(tmp_path, monkeypatch):
    """With the site's date 2027-01-15: ICA 1.0 reviewed by 2027-03-01 is due, ICA 1.1 by 2026-06-30 passed."""
    root = tmp_path / "repo"
    for name in ("validation", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for version, review in (("1.0", "2027-03-01"), ("1.1", "2026-06-30")):
        path = root / "validation/ica-biannual" / version / "profile.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  review_by: null\n", f'  review_by: "{review}"\n', 1), encoding="utf-8")
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["governance"]["review_by"] == review
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    build_site(root, [], tmp_path / "reports", tmp_path / "out")
    due = text_of(tmp_path / "out/data-dictionary/ica-biannual-1.0/index.html")
    assert "Review due by 2027-03-01" in due and "45 days after 2027-01-15" in due
    passed = text_of(tmp_path / "out/data-dictionary/ica-biannual-1.1/index.html")
    assert "Review date passed" in passed and "by 2026-06-30" in passed
    assert "Review" not in text_of(tmp_path / "out/data-dictionary/gmr-appendix-a-1.0/index.html").split(
        "Filing metadata"
    )[0].replace("Review by none set", "")


def test_a_version_without_a_changelog_section_stops_the_site(tmp_path):
    root = tmp_path / "repo"
    for name in ("validation", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    log = root / "validation/ica-biannual/CHANGELOG.md"
    text = log.read_text(encoding="utf-8").replace("## 1.1\n", "## Next\n")
    log.write_text(text.replace("## Corrections to 1.0 and 1.1", "## Corrections to 1.0"), encoding="utf-8")
    with pytest.raises(SetupError, match=r"validation/ica-biannual/CHANGELOG.md has no section for version 1.1"):
        build_site(root, [], tmp_path / "reports", tmp_path / "out")
