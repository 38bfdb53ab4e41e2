"""The glossary page: Energy Division's terms in plain words, one anchor each, linked from the home page."""

from __future__ import annotations

import re

import pytest

from gridmod.errors import SetupError
from gridmod.site.glossary import GLOSSARY, load_glossary

from .sitefixtures import REPO
from .test_site_build import links


def test_the_glossary_page_has_every_term_with_its_anchor(built_site):
    out = built_site["out"]
    page = (out / "glossary" / "index.html").read_text(encoding="utf-8")
    terms = load_glossary(REPO)
    assert len(terms) >= 20
    for t in terms:
        assert f'id="{t.anchor}"' in page, t.term
    for expected in ("GRC", "O&amp;M", "P10 and P90", "Op Flex", "15/15 rule"):
        assert re.search(rf"<h2[^>]*>{re.escape(expected)}", page), expected
    assert "<em>General Rate Case</em>" in page and "operations and maintenance" in page
    assert any(href.rstrip("/").endswith("glossary") for href in links(out / "index.html"))


def test_a_broken_glossary_stops_with_the_entry_named(tmp_path):
    path = tmp_path / GLOSSARY
    path.parent.mkdir(parents=True)
    path.write_text(
        "terms:\n  - {term: GRC, meaning: Rate case.}\n  - {term: grc, meaning: Again.}\n", encoding="utf-8"
    )
    with pytest.raises(SetupError, match=r"entry 2: 'grc' is already in the glossary"):
        load_glossary(tmp_path)
    path.write_text("terms:\n  - {term: GRC}\n", encoding="utf-8")
    with pytest.raises(SetupError, match="entry 1 needs a term and its meaning"):
        load_glossary(tmp_path)
    path.write_text("terms: [\n", encoding="utf-8")
    with pytest.raises(SetupError, match="cannot be read"):
        load_glossary(tmp_path)
    assert load_glossary(tmp_path / "none") == []
