"""`gridmod new`: a filing's package, shaped by its profile, ready for the filer to fill in.

What the scaffold writes and why:
- datapackage.json with every resource the profile requires, the reporting period and filing date taken
  from the profile's calendar, and stamped sizes and hashes, so the first `gridmod validate` talks about
  the content and not about bookkeeping.
- Every table with its header. A table keyed by one enumerated column (Appendix A's categories a-e)
  gets one row per allowed key, because the profile already knows those rows.
- A table the profile marks `carry_forward` starts from the utility's previous filing of the profile: the
  rows still open there (`unless`: a column and the values that close a row) and the rows that belong to
  them (`with`: a table whose carried rows this table's foreign key points to). An ICA filing thus starts
  with the issues not yet resolved and their remediation actions, which the plan holds from filing to
  filing (ICA-E149 for an open action left out); the values are copied as the filer wrote them, column
  by column under the new version's header.
- Every narrative with its heading and the profile's guidance on what to write, as Markdown comments
  (`[guidance-outlook-1]: # "..."`). Pandoc and every Markdown renderer drop such lines, so guidance never
  reaches a report. They stand before the element headings, never under them: the sections stay empty, so
  until the filer writes them validation reports each missing element at its heading (GMR-X032), and a
  section file holding only guidance as unwritten (GMR-E033); `unwritten_narratives` finds such files for
  `excel import` and `serve` to point out.

The calendar (`schedule:`, with the `period:` each filing covers) and the guidance (`guidance:` on
narratives and elements) are the profile's, in profile.yaml: a profile without them gets no dates, and its
filer gives them with --period-start, --period-end and --filing-date.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gridmod.filing import DESCRIPTOR, stamp_resources
from gridmod.narrative import is_written
from gridmod.record.attestation import prescribed
from gridmod.spec import Profile, SetupError, available_profiles, load_profile
from gridmod.utilities import utility as names_of


class ScaffoldError(SetupError):
    """The filing cannot be scaffolded as asked; the message says what to do instead (exit code 2)."""


@dataclass
class FilingDates:
    period_start: date
    period_end: date
    filing_date: date


@dataclass
class Scaffold:
    folder: Path
    profile: Profile
    dates: FilingDates
    files: list[str] = field(default_factory=list)
    carried: dict[str, int] = field(default_factory=dict)  # table -> rows taken from the previous filing
    previous: str | None = None


def choose_profile(root: Path, filing_id: str, name: str | None = None, version: str | None = None) -> Profile:
    """The profile named, else the one whose filing_id_pattern matches; the newest version in force unless one
    is given. A version whose governance names no effective day (a proposal such as gmr-appendix-a 1.1) is not in
    force: a filer chooses it with --profile-version, or migrates to it, and `gridmod new` keeps to the last
    version in force (the newest, when none is)."""
    found = available_profiles(root)
    if name is not None and not any(n == name for n, _ in found):
        raise ScaffoldError(f"There is no profile {name}. Available: {_listing(found)}.")
    names = [name] if name else sorted({n for n, _ in found})
    matches = []
    for candidate in names:
        versions = sorted((v for n, v in found if n == candidate), key=_version_key)
        chosen = version if version is not None else _in_force(root, candidate, versions)
        if chosen not in versions and not name:
            continue
        if chosen not in versions:
            raise ScaffoldError(f"Profile {candidate} has no version {version}. Available: {_listing(found)}.")
        profile = load_profile(root, candidate, chosen)
        pattern = profile.meta.get("filing_id_pattern")
        if name or (pattern and re.fullmatch(pattern, filing_id)):
            matches.append(profile)
    if len(matches) != 1:
        lower = filing_id.lower()
        if not matches and lower != filing_id and _profile_of(root, found, lower):
            raise ScaffoldError(
                f"Filing id {filing_id} has capital letters; did you mean {lower}? Filing ids are lowercase."
            )
        raise ScaffoldError(
            f"Cannot tell which profile filing {filing_id} follows; name it with --profile "
            f"(available: {_listing(found)})."
        )
    profile = matches[0]
    pattern = profile.meta.get("filing_id_pattern")
    if pattern and not re.fullmatch(pattern, filing_id):
        raise ScaffoldError(
            f"Filing id {filing_id} does not have the form {pattern} that profile "
            f"{profile.name} {profile.version} requires, e.g. gmr-2026."
        )
    return profile


def _profile_of(root: Path, found: list[tuple[str, str]], filing_id: str) -> bool:
    """Whether some profile's newest version has filing ids like `filing_id`."""
    newest: dict[str, str] = {}
    for name, version in sorted(found, key=lambda item: _version_key(item[1])):
        newest[name] = version
    return any(
        re.fullmatch(load_profile(root, n, v).meta.get("filing_id_pattern") or "(?!)", filing_id)
        for n, v in newest.items()
    )


def schedule_entries(profile: Profile) -> list[dict[str, Any]]:
    """The profile's `schedule:` entries (one mapping or a list of them)."""
    entries = profile.meta.get("schedule") or []
    return list(entries) if isinstance(entries, list) else [entries]


def filing_dates(profile: Profile, filing_id: str) -> FilingDates:
    """Reporting period and deadline of a filing, from the schedule entry of the profile its id matches."""
    for entry in schedule_entries(profile):
        pattern = re.escape(str(entry["filing_id"])).replace(re.escape("{year}"), r"(\d{4})")
        match = re.fullmatch(pattern, filing_id)
        if match and entry.get("period"):
            return _dates(profile, entry, filing_id, int(match.group(1)))
    raise ScaffoldError(
        f"Profile {profile.name} {profile.version} states no filing calendar for {filing_id}: give "
        "the dates with --period-start, --period-end and --filing-date."
    )


def _dates(profile: Profile, entry: dict[str, Any], filing_id: str, year: int) -> FilingDates:
    years = entry.get("years", "every")
    if (years == "even" and year % 2) or (years == "odd" and not year % 2):
        raise ScaffoldError(
            f"Profile {profile.name} filings are due in {years} years only; {filing_id} names {year}. "
            f"Did you mean {filing_id.replace(str(year), str(year + 1))}?"
        )
    try:
        period = entry["period"]
        month, day = (int(x) for x in str(period["ends"]).split("-"))
        end = date(year - int(period.get("years_before", 0)), month, day)
        start = period_start(end, int(period["months"]))
        month, day = (int(x) for x in str(entry["due"]).split("-"))
        due = date(year, month, day)
    except (KeyError, TypeError, ValueError) as exc:
        raise SetupError(
            f"The schedule of profile {profile.name} {profile.version} cannot be read ({exc}): `due` "
            "and `period: ends` are MM-DD, `period: months` a number."
        ) from exc
    return FilingDates(period_start=start, period_end=end, filing_date=due)


def period_start(end: date, months: int) -> date:
    """The first day of the period of `months` months that ends on `end`: the day after the same date that
    many months before; a period ending on the last day of a month starts on the first of a month."""
    if date.fromordinal(end.toordinal() + 1).day == 1:
        index = end.year * 12 + end.month - months
        return date(index // 12, index % 12 + 1, 1)
    index = end.year * 12 + end.month - 1 - months
    year, month = index // 12, index % 12 + 1
    last = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
    return date.fromordinal(min(date(year, month, 1).toordinal() + end.day - 1, last) + 1)


def new_filing(
    root: Path,
    utility: str,
    filing_id: str,
    profile: Profile,
    dates: FilingDates,
    activities: tuple[str, ...] = (),
    folder: Path | None = None,
) -> Scaffold:
    """Write the package into data/<utility>/<filing_id>/ (or `folder`); never over an existing one."""
    _check_utility(profile, utility)
    if dates.period_end < dates.period_start:
        raise ScaffoldError(
            f"The reporting period would end on {dates.period_end}, before it starts on "
            f"{dates.period_start}; give --period-start and --period-end in that order."
        )
    folder = folder or root / "data" / utility / filing_id
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(
            f"{_show(folder, root)} already exists and is not empty; gridmod new never writes "
            "over a filing. Choose another folder or remove it first."
        )
    pattern = (profile.meta.get("activity_narrative") or {}).get("id_pattern", r"[a-z0-9][a-z0-9-]{1,39}")
    for activity_id in activities:
        if not re.fullmatch(pattern, activity_id):
            raise ScaffoldError(
                f"Activity id {activity_id!r} must be lower-case letters, digits and hyphens "
                "(2 to 40 characters), e.g. adms-phase-2."
            )
    folder.mkdir(parents=True, exist_ok=True)
    scaffold = Scaffold(folder, profile, dates)
    resources = []
    for table in profile.tables:
        if table.get("required") is False and table["path"].endswith(".parquet"):
            continue  # an optional Parquet table (ICA 1.1's line sections) is written by `gridmod import`, not typed
        _write(folder / table["path"], table_text(profile, table["name"]))
        resources.append(_resource(table["name"], table["path"]))
    for spec in profile.narratives:
        _write(folder / spec["path"], narrative_text(profile, spec))
        resources.append(_resource(spec["name"], spec["path"]))
    for activity_id in activities:
        path = profile.activity_path(activity_id)
        _write(folder / path, activity_text(profile, activity_id))
        resources.append(_resource(profile.activity_resource(activity_id), path))
    descriptor = {
        "name": f"{utility}-{filing_id}",
        "title": f"{names_of(utility).short} {profile.meta.get('title', profile.name)} {dates.filing_date.year}",
        "gridmod": {
            "profile": profile.name,
            "profile_version": profile.version,
            "utility": utility,
            "filing_id": filing_id,
            **_fixed_fields(profile),
            "reporting_period_start": dates.period_start.isoformat(),
            "reporting_period_end": dates.period_end.isoformat(),
            "filing_date": dates.filing_date.isoformat(),
            **_attestation(profile, utility),
        },
        "resources": resources,
    }
    _write(folder / DESCRIPTOR, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    scaffold.previous, scaffold.carried = _carry_forward(folder, root, profile)
    stamp_resources(folder)
    scaffold.files = [DESCRIPTOR] + [r["path"] for r in resources]
    return scaffold


def _carry_forward(folder: Path, root: Path, profile: Profile) -> tuple[str | None, dict[str, int]]:
    """Rewrite each `carry_forward` table with the open rows of the previous filing: that filing's id and
    the rows taken per table."""
    specs = {t["name"]: t["carry_forward"] for t in profile.tables if t.get("carry_forward")}
    if not specs:
        return None, {}
    from gridmod.filing import load_filing
    from gridmod.previous import find_previous

    previous = find_previous(load_filing(folder, root))
    if previous is None:
        return None, {}
    kept: dict[str, list[dict[str, str]]] = {}
    carried: dict[str, int] = {}
    for name, spec in specs.items():  # profile order: a table named by `with` comes before its followers
        rows = _previous_rows(previous.folder, profile, name)
        unless = spec.get("unless") if isinstance(spec, dict) else None
        if isinstance(unless, dict) and len(unless) == 1:
            column, closing = next(iter(unless.items()))
            rows = [r for r in rows if r.get(column, "").strip() not in {str(v) for v in closing}]
        elif unless is not None or not isinstance(spec, dict):
            raise SetupError(
                f"Profile {profile.name} {profile.version}: carry_forward of table {name} must be "
                "{unless: {column: [closing values]}} or {with: table}."
            )
        if "with" in spec:
            parent = str(spec["with"])
            links = [
                (fk["fields"], fk["reference"]["fields"])
                for fk in profile.schemas[name].get("foreignKeys", [])
                if fk.get("reference", {}).get("resource") == parent
            ]
            if not links:
                raise SetupError(
                    f"Profile {profile.name} {profile.version}: carry_forward of table {name} follows {parent}, "
                    f"but {name} has no foreign key to {parent}."
                )
            keys = {tuple(r.get(f, "") for f in theirs) for r in kept.get(parent, []) for _, theirs in links}
            rows = [r for r in rows if any(tuple(r.get(f, "") for f in ours) in keys for ours, _ in links)]
        kept[name] = rows
        if rows:
            fields = [f["name"] for f in profile.schemas[name]["fields"]]
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(fields)
            writer.writerows([r.get(f, "") for f in fields] for r in rows)
            _write(folder / profile.table_spec(name)["path"], out.getvalue())
            carried[name] = len(rows)
    return str(previous.meta.get("filing_id") or previous.folder.name), carried


def _previous_rows(folder: Path, profile: Profile, name: str) -> list[dict[str, str]]:
    """The rows of table `name` in an earlier filing, as text by column; none when it cannot be read."""
    try:
        text = (folder / profile.table_spec(name)["path"]).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    rows = [{k: v or "" for k, v in row.items() if isinstance(k, str)} for row in csv.DictReader(io.StringIO(text))]
    return [row for row in rows if any(v.strip() for v in row.values())]


def add_activity_narratives(folder: Path, profile: Profile, activity_ids: list[str]) -> list[str]:
    """Give each listed activity without a narrative resource its skeleton file; returns the paths added.

    Existing files are never overwritten; the caller stamps datapackage.json afterwards.
    """
    path = folder / DESCRIPTOR
    descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
    names = {r.get("name") for r in descriptor.get("resources", []) if isinstance(r, dict)}
    pattern = (profile.meta.get("activity_narrative") or {}).get("id_pattern", r"[a-z0-9][a-z0-9-]{1,39}")
    added = []
    for activity_id in activity_ids:
        name = profile.activity_resource(activity_id)
        if name in names or not re.fullmatch(pattern, activity_id):
            continue
        rel = profile.activity_path(activity_id)
        if not (folder / rel).exists():
            _write(folder / rel, activity_text(profile, activity_id))
        descriptor.setdefault("resources", []).append(_resource(name, rel))
        names.add(name)
        added.append(rel)
    if added:
        _write(path, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    return added


def unwritten_narratives(folder: Path, profile: Profile) -> list[str]:
    """Narrative files of the profile's sections that hold nothing but guidance notes and blank lines."""
    unwritten = []
    for spec in profile.narratives:
        path = folder / spec["path"]
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        if lines and not any(is_written(line) for line in lines):
            unwritten.append(spec["path"])
    return unwritten


def table_text(profile: Profile, name: str) -> str:
    """The header, plus one row per key when the table's key is a single enumerated column."""
    schema = profile.schemas[name]
    fields = [f["name"] for f in schema["fields"]]
    rows: list[list[str]] = [fields]
    keys = schema.get("primaryKey") or []
    if len(keys) == 1:
        spec = next(f for f in schema["fields"] if f["name"] == keys[0])
        for value in spec.get("constraints", {}).get("enum", []):
            rows.append([str(value) if f == keys[0] else "" for f in fields])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def narrative_text(profile: Profile, spec: dict[str, Any]) -> str:
    title = f"{spec.get('section', '')} {spec.get('title', spec['name'])}".strip()
    notes = [
        f"{title}, a section of the {profile.meta.get('title', profile.name)}.",
        _NOTE_ABOUT_NOTES,
        spec.get("guidance", ""),
        "Write the section's text below these notes. Use ### for sub-headings: the report gives the "
        "section its heading and number.",
    ]
    return _comments(spec["name"], notes) + "\n"


def activity_text(profile: Profile, activity_id: str) -> str:
    """Six element headings in Appendix A's order, each section empty, guidance as comments above them."""
    notes = [f"Activity {activity_id}: the narrative of Appendix A section II, elements 1 to 6.", _NOTE_ABOUT_NOTES]
    for element in profile.elements:
        if element.get("source") == "table":
            table = element["table"]
            description = profile.schemas[table].get("description", "")
            text = element.get("guidance") or (
                f"The report shows the rows of {profile.table_path(table)} here. {description} "
                "A few sentences of context are welcome but not required."
            )
        else:
            text = element.get("guidance", "")
        notes.append(f"{element['number']}. {element['heading']}: {text}")
    notes.append("Keep the headings below as they are and in this order; write under each one.")
    headings = "\n\n".join(f"## {e['heading']}" for e in profile.elements)
    return _comments(activity_id, notes) + "\n\n" + headings + "\n"


_NOTE_ABOUT_NOTES = (
    "Lines that start with [guidance- are notes for you; they never appear in the report, and you may delete them."
)


def _comments(key: str, notes: list[str]) -> str:
    """Markdown comments (link reference definitions, which render as nothing). Labels are unique in the
    whole report, which holds every narrative: a repeated label makes pandoc warn."""
    lines = []
    for number, note in enumerate((n for n in notes if n), start=1):
        text = " ".join(note.split()).replace('"', "'")
        lines.append(f'[guidance-{key}-{number}]: # "{text}"')
    return "\n".join(lines)


def _attestation(profile: Profile, utility: str) -> dict[str, Any]:
    """The officer's verification with the profile's statement and the officer's name, title and date left to
    fill in: validation names each as missing until they are."""
    wording = (profile.meta.get("attestation") or {}).get("statement")
    if not wording:
        return {}
    statement = prescribed(str(wording), names_of(utility).legal)
    return {"attestation": {"name": "", "title": "", "date": "", "statement": statement}}


def _fixed_fields(profile: Profile) -> dict[str, Any]:
    """Filing fields the profile allows exactly one value for (e.g. the proceeding)."""
    fixed = {}
    for spec in profile.meta.get("filing_fields", []):
        if spec["name"] not in ("profile", "profile_version", "utility") and len(spec.get("enum", [])) == 1:
            fixed[spec["name"]] = spec["enum"][0]
    return fixed


def _check_utility(profile: Profile, utility: str) -> None:
    spec: dict[str, Any] = next((f for f in profile.meta.get("filing_fields", []) if f["name"] == "utility"), {})
    allowed = spec.get("enum")
    if allowed and utility not in allowed and utility.lower() in allowed:
        raise ScaffoldError(
            f"Utility {utility!r} is not one of {', '.join(allowed)}; did you mean "
            f"{utility.lower()!r}? Utility codes are lowercase."
        )
    if allowed and utility not in allowed:
        raise ScaffoldError(
            f"Utility {utility!r} is not one of {', '.join(allowed)} (profile {profile.name} {profile.version})."
        )


def _resource(name: str, path: str) -> dict[str, Any]:
    kind = path.rsplit(".", 1)[-1]
    media = {"csv": "text/csv", "md": "text/markdown", "parquet": "application/vnd.apache.parquet"}
    resource: dict[str, Any] = {
        "name": name,
        "path": path,
        "format": kind,
        "mediatype": media.get(kind, "application/octet-stream"),
    }
    if kind != "parquet":
        resource["encoding"] = "utf-8"
    return resource


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _show(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _in_force(root: Path, name: str, versions: list[str]) -> str | None:
    """The newest of `versions` (oldest first) whose governance names an effective day, else the newest."""
    effective = [v for v in versions if load_profile(root, name, v).governance.effective is not None]
    chosen = effective or versions
    return chosen[-1] if chosen else None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version))


def _listing(found: list[tuple[str, str]]) -> str:
    return ", ".join(f"{n} {v}" for n, v in found) or "none"
