"""Generated pages without the full site: escaping, banner, dates, zip, retired rules, failures."""

from __future__ import annotations

import html
import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridmod.site import SiteError, build_site, write_docs
from gridmod.site.downloads import write_package_zip
from gridmod.site.filings import next_legislature_report
from gridmod.site.pages import SAMPLE, SAMPLE_SOME
from gridmod.site.text import escape, spec_text

from .sitefixtures import REPO, make_built

EXTENSIONS = ["admonition", "tables", "attr_list", "md_in_html", "def_list", "toc"]
BLNS = REPO / "tests" / "data" / "blns.json"  # the Big List of Naughty Strings, licence beside it


def rendered_text(value: str) -> str | None:
    """What a reader sees when `escape(value)` is a Markdown paragraph, or None if it is not plain text."""
    out = markdown.markdown(str(escape(value)), extensions=EXTENSIONS)
    match = re.fullmatch(r"<p>(.*)</p>", out, re.S)
    if not match or "<" in match.group(1):
        return None
    return html.unescape(match.group(1)).strip()


def expected_text(value: str) -> str:
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value)
    return re.sub(r"\s+", " ", value).strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\\`*_{}[]()#+-.!|<>&\"':=~ \nab1")) | st.characters()))
def test_escaped_text_renders_as_itself(value):
    if expected_text(value):
        assert rendered_text(value) == expected_text(value)


def test_naughty_strings_render_as_themselves():
    for value in json.loads(BLNS.read_text(encoding="utf-8")):
        if expected_text(value):
            assert rendered_text(value) == expected_text(value), value


def test_spec_text_shows_placeholders_and_code():
    out = markdown.markdown(str(spec_text("Run `gridmod new` for {value}.")), extensions=EXTENSIONS)
    assert out == "<p>Run <code>gridmod new</code> for <code>{value}</code>.</p>"


@pytest.mark.parametrize(
    ("filed", "report"),
    [
        ("2026-10-01", date(2027, 2, 1)),
        ("2027-01-15", date(2027, 2, 1)),
        ("2027-02-01", date(2029, 2, 1)),
        ("2028-11-30", date(2029, 2, 1)),
    ],
)
def test_next_legislature_report(filed, report):
    class F:
        filing_date = date.fromisoformat(filed)

    assert next_legislature_report([F()]) == report


def test_banner_follows_the_filings(tmp_path):
    sample = make_built(tmp_path, "pge")
    real = make_built(tmp_path, "sce", is_sample=False)
    reports = tmp_path / "reports"
    assert write_docs(REPO, [sample], reports, tmp_path / "d1").banner == SAMPLE
    assert write_docs(REPO, [sample, real], reports, tmp_path / "d2").banner == SAMPLE_SOME
    docs = write_docs(REPO, [real], reports, tmp_path / "d3")
    assert docs.banner is None
    assert "SAMPLE" not in (tmp_path / "d3/filings/gmr-2026/sce/index.md").read_text(encoding="utf-8")


def test_zip_is_byte_identical_when_rebuilt(tmp_path):
    built = make_built(tmp_path, "pge")
    write_package_zip(built, tmp_path / "one.zip")
    write_package_zip(built, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


def test_zip_leaves_out_resources_outside_the_profile(tmp_path):
    built = make_built(tmp_path, "pge")
    folder = built.filing.folder
    (folder / "notes.txt").write_text("internal", encoding="utf-8")
    built.filing.resources["notes"] = {"name": "notes", "path": "notes.txt"}
    built.filing.descriptor["resources"].append({"name": "notes", "path": "notes.txt"})
    write_package_zip(built, tmp_path / "p.zip")
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        assert "notes.txt" not in z.namelist()
        descriptor = json.loads(z.read("datapackage.json"))
        assert "notes" not in [r["name"] for r in descriptor["resources"]]
        package = {n for n in z.namelist() if n != "README.txt" and not n.startswith("for-spreadsheets/")}
        assert {r["path"] for r in descriptor["resources"]} | {"datapackage.json", "datapackage.filed.json"} == package
        # The descriptor as filed travels beside it unchanged, so its hash is the receipt's.
        assert z.read("datapackage.filed.json") == (folder / "datapackage.json").read_bytes()


def copy_root(target: Path) -> Path:
    """A repository with this checkout's site configuration and spec, to change without touching it."""
    target.mkdir()
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO / "templates" / "site", target / "templates" / "site")
    shutil.copytree(REPO / "validation", target / "validation")
    return target


def test_retired_rule_keeps_its_page_and_no_filing_means_no_banner(tmp_path):
    root = copy_root(tmp_path / "repo")
    rules = root / "validation/gmr-appendix-a/1.0/rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8")
        + "  - code: GMR-W099\n    title: Old check\n    severity: warning\n    phase: content\n"
        '    applies_to: costs.csv\n    message: "Old {value}."\n    fix: "Nothing."\n    retired: true\n',
        encoding="utf-8",
    )
    build_site(root, [], tmp_path / "reports", tmp_path / "out")
    page = (tmp_path / "out/rules/gmr-w099/index.html").read_text(encoding="utf-8")
    assert "Retired" in page and "never given to another rule" in page
    assert "(retired)" in (tmp_path / "out/rules/index.html").read_text(encoding="utf-8")
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "No filing has passed validation yet" in home
    assert "md-banner" not in home


def test_broken_internal_link_fails_the_build(tmp_path):
    root = copy_root(tmp_path / "repo")
    home = root / "templates/site/home.md.j2"
    home.write_text(home.read_text(encoding="utf-8") + "\n[gone](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(SiteError, match="nowhere.md"):
        build_site(root, [], tmp_path / "reports", tmp_path / "out")


def test_missing_report_source_is_a_plain_site_error(tmp_path):
    built = make_built(tmp_path, "pge")
    built.outputs["qmd"].unlink()
    with pytest.raises(SiteError, match=r"report source \(\.qmd\) of .* is missing"):
        build_site(REPO, [built], tmp_path / "reports", tmp_path / "out")


@pytest.mark.parametrize("problem", ["missing", "outside"])
def test_report_image_must_be_in_the_reports_folder(tmp_path, problem):
    built = make_built(tmp_path, "pge")
    image = tmp_path / "reports/gmr-2026/figures/costs.svg"
    image.unlink()
    if problem == "outside":
        (tmp_path / "secret.svg").write_text("<svg/>", encoding="utf-8")
        image.symlink_to(tmp_path / "secret.svg")
    with pytest.raises(SiteError, match="figures/costs.svg"):
        build_site(REPO, [built], tmp_path / "reports", tmp_path / "out")
