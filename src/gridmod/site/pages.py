"""The site's Markdown pages, generated from the filings and the rule spec into a docs folder.

Templates live in templates/site/ (Energy Division's, like the report templates); this module only gathers
what they show. Every value a template prints is escaped for Markdown and HTML unless it is `Markup`
(see gridmod.site.text), so data from a filing cannot add markup to a page.
"""

from __future__ import annotations

import posixpath
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from gridmod.clock import build_date
from gridmod.engines import engine_of
from gridmod.outputs import BuiltFiling
from gridmod.proceeding import PURPOSE_TITLES, load_register
from gridmod.site import text
from gridmod.site.calendar import filing_calendar
from gridmod.site.catalogue import (
    FieldRow,
    applies_to_links,
    filing_fields,
    load_profiles,
    profile_label,
    profile_slug,
    rule_catalogue,
    rule_places,
    rule_slug,
    table_fields,
)
from gridmod.site.changelog import version_changes
from gridmod.site.charts import Chart
from gridmod.site.compare import Comparison, compare, timeline
from gridmod.site.errors import PageError
from gridmod.site.figures import total
from gridmod.site.filings import FilingPage, filing_page, next_legislature_report
from gridmod.site.glossary import load_glossary
from gridmod.site.ical import calendar_ics
from gridmod.site.opendata import CATALOGUE, copy_releases, write_catalogue
from gridmod.site.record import record_pages
from gridmod.site.revisions import EarlierRevision
from gridmod.site.sections import SiteContext, sections
from gridmod.site.statewide import statewide_pages
from gridmod.spec import Profile
from gridmod.utilities import UTILITIES
from gridmod.utilities import utility as names_of

if TYPE_CHECKING:
    from gridmod.statewide import StatewideEdition

SAMPLE = "SAMPLE — synthetic data, not a utility's filing"
SAMPLE_SOME = "SAMPLE — filings marked SAMPLE on this site are synthetic data, not a utility's filing"
CALENDAR_FILE = "calendar.ics"
PROCEEDING_PAGE = "proceeding.md"
GLOSSARY_PAGE = "glossary.md"
OPEN_DATA_PAGE = "open-data.md"


@dataclass
class Docs:
    """What build_site needs besides the files: the navigation and the banner text."""

    folder: Path
    nav: list[Any]
    banner: str | None


def is_report_filing(built: BuiltFiling) -> bool:
    """Filings whose engine asks for the site's filing pages (Appendix A) get one here; filings of other
    engines (ICA) are the business of their engine's own site sections."""
    return engine_of(built.profile).filing_pages


def write_docs(
    root: Path,
    built: list[BuiltFiling],
    reports_dir: Path,
    docs: Path,
    earlier: list[EarlierRevision] | None = None,
    statewide: list[StatewideEdition] | None = None,
) -> Docs:
    """Write every page and download into `docs`; return the navigation and the SAMPLE banner text.

    `reports_dir` is the folder the rendered reports are in; a report may show images from it, never from
    anywhere else. Filings without a web edition are prepared first (gridmod.site.prepare), in this process,
    into a temporary folder that lives as long as this call (their `web` is None again afterwards; a report
    model built on the way is kept). The build prepares them beforehand, so that this stage needs neither
    pandoc nor polars. `earlier` are the earlier revisions the build rebuilt from git
    (gridmod.site.revisions), published on the filings' record pages. Raises PageError, or SiteError when a
    filing cannot be prepared.
    """
    unprepared = [b for b in built if b.web is None]
    if not unprepared:
        return _write_docs(root, built, reports_dir, docs, earlier or [], statewide or [])
    from gridmod.site.prepare import prepare_editions

    with tempfile.TemporaryDirectory(prefix="gridmod-editions-") as tmp:
        try:
            prepare_editions(unprepared, reports_dir, Path(tmp))
            return _write_docs(root, built, reports_dir, docs, earlier or [], statewide or [])
        finally:
            for b in unprepared:
                b.web = None


def _write_docs(
    root: Path,
    built: list[BuiltFiling],
    reports_dir: Path,
    docs: Path,
    earlier: list[EarlierRevision],
    statewide: list[StatewideEdition],
) -> Docs:
    env = _environment(root)
    profiles = load_profiles(root)
    entries = rule_catalogue(profiles)

    filings = sorted(
        (filing_page(b, docs) for b in built if is_report_filing(b)),
        key=lambda f: (-_year(f.filing_id), f.filing_id, f.utility),
    )
    samples = [b for b in built if b.filing.is_sample]
    banner = SAMPLE if samples and len(samples) == len(built) else SAMPLE_SOME if samples else None
    as_of = build_date()
    calendar = filing_calendar(root, built, profiles, as_of)
    cycles = _cycles(filings)
    comparisons = [compare(fid, group) for fid, group in cycles.items() if len(group) > 1]

    writer = _Writer(env, docs)
    common = {
        "profiles": profiles,
        "filings": filings,
        "comparisons": comparisons,
        "rule_codes": {entry.code for entry in entries},
        "notes": field_notes,
        "utilities": UTILITIES,
        "names_of": names_of,
    }
    newest = next(iter(cycles.values()), [])
    writer.page(
        "index.md",
        "home.md.j2",
        next_report=next_legislature_report(filings),
        calendar=calendar,
        calendar_file=CALENDAR_FILE,
        newest=newest,
        statewide=total([f.figures for f in newest]) if newest else None,
        **common,
    )
    name = "Grid modernization filing deadlines, CPUC R.21-06-017"
    (docs / CALENDAR_FILE).write_bytes(calendar_ics(calendar, name, sample=bool(samples)))
    for f in filings:
        f.timeline = timeline(f)
        _write_charts(docs, f.folder, [f.timeline] if f.timeline else [])
        comparison = next((c for c in comparisons if c.filing_id == f.filing_id), None)
        writer.page(f.path, "filing.md.j2", f=f, comparison=comparison, **common)
    for c in comparisons:
        _write_charts(docs, c.folder, c.charts)
        writer.page(c.path, "compare.md.j2", c=c, **common)
    writer.page("rules/index.md", "rules.md.j2", **common)
    for entry in entries:
        writer.page(f"rules/{entry.slug}.md", "rule.md.j2", entry=entry, places=rule_places(entry), **common)
    writer.page("data-dictionary/index.md", "dictionary.md.j2", **common)
    for profile in profiles:
        writer.page(
            f"data-dictionary/{profile_slug(profile)}.md",
            "dictionary-profile.md.j2",
            profile=profile,
            tables=[(t, profile.schemas[t["name"]], table_fields(profile.schemas[t["name"]])) for t in profile.tables],
            filing_fields=filing_fields(profile),
            as_of=as_of,
            changes_page=changes_page(profile),
            **common,
        )
        writer.page(
            changes_page(profile), "changelog.md.j2", profile=profile, changes=version_changes(profile), **common
        )
    writer.page(
        PROCEEDING_PAGE,
        "proceeding.md.j2",
        letters=load_register(root),
        purposes=PURPOSE_TITLES,
        events=[e for e in calendar.events if e.utility is None],
        register_rules=sorted(e.code for e in entries if "advice-letters" in e.latest.records),
        **common,
    )
    writer.page(GLOSSARY_PAGE, "glossary.md.j2", terms=load_glossary(root), **common)
    context = SiteContext(root, built, reports_dir, docs, profiles, as_of, env, writer.page)
    extra = [item for section, filings_of in sections(context) for item in section(filings_of)]
    extra = statewide_pages(context, statewide) + extra
    extra += record_pages(context, earlier)
    published = copy_releases(root, docs)
    writer.page(OPEN_DATA_PAGE, "open-data.md.j2", releases=published, catalogue=CATALOGUE, **common)
    # Last: the catalogue lists every download, wherever a section placed it.
    write_catalogue(docs, built, published, context.offered)
    return Docs(folder=docs, nav=_nav(filings, comparisons, profiles, extra), banner=banner)


def changes_page(profile: Profile) -> str:
    return f"data-dictionary/{profile_slug(profile)}-changes.md"


def _cycles(filings: list[FilingPage]) -> dict[str, list[FilingPage]]:
    """Report filings grouped by filing id, newest cycle first, utilities in their usual order."""
    groups: dict[str, list[FilingPage]] = {}
    for f in filings:
        groups.setdefault(f.filing_id, []).append(f)
    order = list(UTILITIES)
    for group in groups.values():
        group.sort(key=lambda f: order.index(f.utility) if f.utility in order else len(order))
    return groups


def _write_charts(docs: Path, folder: str, charts: list[Chart]) -> None:
    target = docs / folder
    target.mkdir(parents=True, exist_ok=True)
    for chart in charts:
        (target / chart.file).write_text(chart.svg, encoding="utf-8")
        if chart.narrow:
            (target / chart.narrow_file).write_text(chart.narrow[0], encoding="utf-8")


def _nav(
    filings: list[FilingPage], comparisons: list[Comparison], profiles: list[Profile], extra: list[Any]
) -> list[Any]:
    """Home, filings (newest first), comparison, added sections, rules and dictionary; the rule pages stay
    out of the sidebar."""
    nav: list[Any] = [{"Home": "index.md"}]
    by_filing = _cycles(filings)
    if by_filing:
        nav.append({"Filings": [{fid: [{f.utility_short: f.path} for f in group]} for fid, group in by_filing.items()]})
    if comparisons:
        nav.append({"Compare utilities": [{c.filing_id: c.path} for c in comparisons]})
    nav.extend(extra)
    nav.append({"Proceeding records": PROCEEDING_PAGE})
    nav.append({"Open data": OPEN_DATA_PAGE})
    nav.append({"Glossary": GLOSSARY_PAGE})
    nav.append({"Rule catalogue": "rules/index.md"})
    nav.append(
        {
            "Data dictionary": [
                "data-dictionary/index.md",
                *({profile_label(p): f"data-dictionary/{profile_slug(p)}.md"} for p in profiles),
                {"Changes by version": [{profile_label(p): changes_page(p)} for p in profiles]},
            ]
        }
    )
    return nav


def field_notes(f: FieldRow, href: Callable[[str], Markup]) -> Markup:
    """The constraints of one field in words, values in code, checks linked to their rule pages."""
    c = f.constraints
    notes = []
    if "enum" in c:
        notes.append("one of " + ", ".join(text.code(v) for v in c["enum"]))
    if "pattern" in c:
        notes.append(f"of the form {text.code(c['pattern'])}")
    for key, words in (
        ("minimum", "at least {}"),
        ("maximum", "at most {}"),
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
    ):
        if key in c:
            notes.append(text.escape(words.format(c[key])))
    if f.type == "boolean":
        notes.append(f"{text.code('true')} or {text.code('false')}")
    if f.references:
        notes.append(f"a value of {text.code(f.references)}")
    for check, code in sorted(f.rules.items()):
        link = href(f"rules/{rule_slug(code)}.md")
        notes.append(f"{text.escape(check)}: rule [{text.escape(code)}]({link})")
    return Markup("; ".join(notes) if notes else "—")


def _year(filing_id: str) -> int:
    digits = "".join(c if c.isdigit() else " " for c in filing_id).split()
    return int(digits[0]) if digits else 0


def _environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "templates" / "site"),
        autoescape=False,
        finalize=text.escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        code=text.code,
        anchor=text.anchor,
        spec=text.spec_text,
        usd=text.usd,
        count=text.count,
        size=text.size,
        label=profile_label,
        slug=profile_slug,
        h=text.html_text,
    )
    env.globals["applies_to_links"] = applies_to_links
    return env


class _Writer:
    def __init__(self, env: jinja2.Environment, docs: Path) -> None:
        self.env = env
        self.docs = docs

    def page(self, path: str, template: str, **context: Any) -> None:
        def href(target: str) -> Markup:
            """A link from this page to another docs file, relative so MkDocs checks and rewrites it."""
            return Markup(posixpath.relpath(target, posixpath.dirname(path) or "."))

        try:
            content = self.env.get_template(template).render(href=href, page_path=path, **context)
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f" (line {line})" if line else ""
            raise PageError(f"Template {template}{where} cannot render {path}: {exc}") from exc
        out = self.docs / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(content, encoding="utf-8")
