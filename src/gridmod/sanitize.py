"""HTML that carries a filer's text passes an allowlist before anyone opens it (nh3).

Pandoc reads narratives with every raw-content extension off and the report's Lua filter drops every
key-value attribute, but a sanitiser on what pandoc wrote is the layer that does not depend on either
being configured right: no tag, attribute, class, URL scheme or style property that is not named here
reaches a page. The public site's report fragment (gridmod.site.report), the standalone HTML report
(gridmod.render.office) and the great-expectations Data Docs (gridmod.validate.datadocs) pass it, each
with the classes and ids its own page uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

TAGS = set(
    """a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption figure
    h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp section small span strong sub summary sup
    table tbody td tfoot th thead tr u ul var""".split()
)
ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "col": {"span", "style"},
    "abbr": {"title"},
}
# Pandoc's footnotes.
FOOTNOTE_CLASSES = {
    "section": {"footnotes", "footnotes-end-of-document"},
    "a": {"footnote-ref", "footnote-back"},
}
# The table roles keep a table a table for screen readers where a phone layout displays its parts as blocks.
TABLE_ROLES = {"table", "rowgroup", "row", "columnheader", "rowheader", "cell"}
ROLES = {"doc-noteref", "doc-endnotes", "doc-backlink", "doc-footnote", "doc-toc", "note", *TABLE_ROLES}
URL_SCHEMES = {"https", "mailto"}  # a plain http address can be read or changed on the way
STYLE_PROPERTIES = {"text-align", "width"}
_LOCAL_FILE = re.compile(r"(?!.*(?:^|/)\.\.?(?:/|$))[A-Za-z0-9_][A-Za-z0-9_./-]*")


def clean_html(
    fragment: str,
    classes: dict[str, set[str]],
    id_allowed: Callable[[str], bool],
    tags: set[str] = TAGS,
    attributes: dict[str, set[str]] = ATTRIBUTES,
) -> str:
    """`fragment` with only the allowlisted markup; `classes` by tag, `id_allowed` says which ids stay."""
    import nh3  # here, not at the top: the site stage imports this module's callers and must not load it

    def attribute(tag: str, name: str, value: str) -> str | None:
        if name == "id":
            return value if id_allowed(value) else None
        if name == "role":
            return value if value in ROLES else None
        if tag == "img" and name == "src":
            # Only images shipped with the report: an outside address would make every reader call a third party.
            return value if _LOCAL_FILE.fullmatch(value) else None
        if name == "href" and value.replace("\\", "/").startswith("//"):
            return None
        return value

    return nh3.clean(
        fragment,
        tags=tags,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
        attributes=attributes,
        attribute_filter=attribute,
        url_schemes=URL_SCHEMES,
        allowed_classes=classes,
        filter_style_properties=STYLE_PROPERTIES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
