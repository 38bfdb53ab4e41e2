"""Structure phase, part 1: datapackage.json against the profile — metadata, resources, paths, hashes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gridmod.confidential import DECLARATION, DECLARATION_PATH, VALUES, VALUES_PATH
from gridmod.datasets import SUFFIXES, dataset_parts, is_dataset, manifest_digest
from gridmod.filing import DESCRIPTOR, Filing, FilingMeta
from gridmod.findings import Finding
from gridmod.spec import Profile, available_profiles, load_profile
from gridmod.validate.cells import check_descriptor_text
from gridmod.validate.confidential import Withheld, check_confidential
from gridmod.validate.paths import path_problem
from gridmod.validate.reading import check_reading
from gridmod.validate.record import check_record
from gridmod.validate.scan import scan_file


@dataclass
class DescriptorOutcome:
    profile: Profile | None
    findings: list[Finding] = field(default_factory=list)
    usable: set[str] = field(default_factory=set)  # resources whose files can be read safely
    broken: set[str] = field(default_factory=set)  # resources with a structural error of their own
    activity_narratives: dict[str, str] = field(default_factory=dict)  # activity_id -> resource name
    withheld: Withheld = field(default_factory=Withheld)  # confidential items (gridmod.validate.confidential)


_NAME = re.compile(r'"name"\s*:\s*"([^"\\]*)"')


class _Locator:
    """Line numbers of keys in datapackage.json, so findings point where an editor shows them."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        # The line of each resource's "name", found in one pass: a lookup per resource stays linear in the
        # file's size however many resources it lists.
        self._names: dict[str, int] = {}
        for number, line in enumerate(self.lines, 1):
            for found in _NAME.finditer(line):
                self._names.setdefault(found.group(1), number)

    def line_of(self, needle: str, after: int = 0) -> int | None:
        for number, line in enumerate(self.lines[after:], start=after + 1):
            if needle in line:
                return number
        return None

    def resource_line(self, name: str, key: str | None = None) -> int | None:
        start = self._names.get(name)
        if start is None or key is None:
            return start
        # The key may stand before or after "name" inside the resource's braces.
        first = start
        while first > 1 and "{" not in self.lines[first - 1]:
            first -= 1
        last = start
        while last < len(self.lines) and "}" not in self.lines[last - 1]:
            last += 1
        for number in range(first, last + 1):
            if f'"{key}"' in self.lines[number - 1]:
                return number
        return start


def fallback_profile(root) -> Profile:
    """The catalogue that names descriptor problems found before the filing's own profile is known."""
    candidates = [p for p in available_profiles(root) if p[0] == "gmr-appendix-a"] or available_profiles(root)
    name, version = max(candidates, key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p[1])))
    return load_profile(root, name, version)


def check_descriptor(filing: Filing) -> DescriptorOutcome:
    path = filing.rel_path(DESCRIPTOR)
    if filing.descriptor_error is not None:
        detail, line, column = filing.descriptor_error
        rule = fallback_profile(filing.root).structure_rule("E001")
        return DescriptorOutcome(None, [rule.finding(path, line=line, column=column, detail=detail)])
    where = _Locator(filing.descriptor_text)
    meta = filing.meta
    name, version = meta.get("profile"), meta.get("profile_version")
    fallback = fallback_profile(filing.root)
    if not isinstance(name, str) or not isinstance(version, (str, int, float)):
        missing = "profile" if not isinstance(name, str) else "profile_version"
        finding = fallback.structure_rule("E003").finding(
            path,
            line=where.line_of('"gridmod"') or 1,
            field=missing,
            variant="no_profile",
            description="the profile and version the filing follows, e.g. gmr-appendix-a and 1.0.",
        )
        return DescriptorOutcome(None, [finding])
    try:
        profile = load_profile(filing.root, name, str(version))
    except KeyError:
        available = ", ".join(f"{n} {v}" for n, v in available_profiles(filing.root))
        finding = fallback.structure_rule("E002").finding(
            path, line=where.line_of('"profile"'), field="profile", value=f"{name} {version}", available=available
        )
        return DescriptorOutcome(None, [finding])
    outcome = DescriptorOutcome(profile)
    _check_metadata(filing, profile, where, outcome)
    _check_resources(filing, profile, where, outcome)
    outcome.withheld = check_confidential(filing, profile, outcome.usable)
    outcome.findings += outcome.withheld.findings
    return outcome


def _parse(kind: str, value: Any) -> Any:
    if kind == "date":
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else _raise()
    if kind == "boolean":
        return value if isinstance(value, bool) else _raise()
    return value if isinstance(value, str) and value.strip() else _raise()


def _raise() -> Any:
    raise ValueError


def _check_metadata(filing: Filing, profile: Profile, where: _Locator, outcome: DescriptorOutcome) -> None:
    path = filing.rel_path(DESCRIPTOR)
    meta = filing.meta
    e003 = profile.structure_rule("E003")
    parsed: dict[str, Any] = {}
    for spec in profile.meta["filing_fields"]:
        key = spec["name"]
        line = where.line_of(f'"{key}"') or where.line_of('"gridmod"') or 1
        if key not in meta or meta[key] in (None, ""):
            if spec.get("required"):
                outcome.findings.append(
                    e003.finding(path, line=line, field=key, variant="missing", description=spec["description"])
                )
            continue
        try:
            parsed[key] = _parse(spec["type"], meta[key])
        except ValueError:
            outcome.findings.append(
                e003.finding(
                    path,
                    line=line,
                    field=key,
                    value=meta[key],
                    variant=f"wrong_{spec['type']}",
                    given=repr(meta[key]),
                    description=spec["description"],
                )
            )
            continue
        if "enum" in spec and parsed[key] not in spec["enum"]:
            outcome.findings.append(
                e003.finding(
                    path,
                    line=line,
                    field=key,
                    value=meta[key],
                    variant="not_allowed",
                    given=repr(meta[key]),
                    allowed=", ".join(spec["enum"]),
                    description=spec["description"],
                )
            )
    outcome.findings += check_descriptor_text(filing, profile, meta, where.line_of)
    filing_id = parsed.get("filing_id")
    if filing_id and not re.fullmatch(profile.meta["filing_id_pattern"], filing_id):
        outcome.findings.append(
            e003.finding(
                path,
                line=where.line_of('"filing_id"'),
                field="filing_id",
                value=filing_id,
                variant="wrong_pattern",
                given=repr(filing_id),
                pattern=profile.meta["filing_id_pattern"],
                description="the filing's identifier, e.g. gmr-2026.",
            )
        )
    _check_folder(filing, profile, parsed, where, outcome)
    outcome.findings += check_record(filing, profile, where.line_of)
    start, end, filed = (parsed.get(k) for k in ("reporting_period_start", "reporting_period_end", "filing_date"))
    if start and end:
        if end < start:
            outcome.findings.append(
                profile.structure_rule("E022").finding(
                    path,
                    line=where.line_of('"reporting_period_end"'),
                    field="reporting_period_end",
                    value=end.isoformat(),
                    start=start.isoformat(),
                )
            )
        else:
            low, high = profile.thresholds["reporting_period_days"]
            days = (end - start).days + 1
            if not low <= days <= high:
                outcome.findings.append(
                    profile.structure_rule("W024").finding(
                        path, line=where.line_of('"reporting_period_start"'), field="reporting_period_start", value=days
                    )
                )
    if end and filed and filed < end:
        outcome.findings.append(
            profile.structure_rule("E023").finding(
                path,
                line=where.line_of('"filing_date"'),
                field="filing_date",
                value=filed.isoformat(),
                end=end.isoformat(),
            )
        )
    if start and end and filed:
        # The dates every later rule measures against read; the header is typed from here on.
        filing.header = FilingMeta(
            profile=profile.name,
            profile_version=profile.version,
            utility=str(parsed.get("utility") or ""),
            filing_id=str(parsed.get("filing_id") or ""),
            period_start=start,
            period_end=end,
            filing_date=filed,
            is_sample=filing.is_sample,
            fields=parsed,
        )


def _check_folder(
    filing: Filing, profile: Profile, parsed: dict[str, Any], where: _Locator, outcome: DescriptorOutcome
) -> None:
    """Filings under data/ live at data/<utility>/<filing_id>/; elsewhere (test fixtures) no check."""
    parts = filing.rel.split("/")
    if len(parts) != 3 or parts[0] != "data":
        return
    for key, expected in (("utility", parts[1]), ("filing_id", parts[2])):
        if key in parsed and parsed[key] != expected:
            outcome.findings.append(
                profile.structure_rule("E021").finding(
                    filing.rel_path(DESCRIPTOR),
                    line=where.line_of(f'"{key}"'),
                    field=key,
                    value=parsed[key],
                    expected=f"{key} {expected!r} (data/{parts[1]}/{parts[2]}/)",
                )
            )


def _expected_resources(profile: Profile) -> dict[str, str]:
    expected = {r["name"]: r["path"] for r in profile.tables + profile.narratives}
    if profile.meta.get("confidential"):  # the declaration and the encrypted part (gridmod.confidential)
        expected |= {DECLARATION: DECLARATION_PATH, VALUES: VALUES_PATH}
    return expected


def _check_resources(filing: Filing, profile: Profile, where: _Locator, outcome: DescriptorOutcome) -> None:
    path = filing.rel_path(DESCRIPTOR)
    expected = _expected_resources(profile)
    prefix = (profile.meta.get("activity_narrative") or {}).get("resource_prefix")
    descriptor = filing.descriptor or {}
    if not isinstance(descriptor.get("resources"), list):
        outcome.findings.append(
            profile.structure_rule("E001").finding(
                path, line=where.line_of('"resources"') or 1, detail="it has no list of resources"
            )
        )
        return
    for name, res in filing.resources.items():
        if name in expected:
            want = expected[name]
        elif prefix and name.startswith(prefix) and re.fullmatch(r"[a-z0-9][a-z0-9-]{1,39}", name[len(prefix) :]):
            want = profile.activity_path(name[len(prefix) :])
            outcome.activity_narratives[name[len(prefix) :]] = name
        else:
            outcome.findings.append(
                profile.structure_rule("W019").finding(
                    path, line=where.resource_line(name), value=name, profile=f"{profile.name} {profile.version}"
                )
            )
            continue
        # A property that would have other tools read the file otherwise than it is checked (E065).
        misread = check_reading(filing, profile, name, res, where.resource_line) if isinstance(res, dict) else []
        outcome.findings += misread
        if misread:
            outcome.broken.add(name)
        if _check_file(filing, profile, name, res, want, where, outcome) and not misread:
            outcome.usable.add(name)
    optional = {t["name"] for t in profile.tables if t.get("required") is False} | {DECLARATION, VALUES}
    for name, want in expected.items():
        if name not in filing.resources and name not in optional:
            outcome.findings.append(
                profile.structure_rule("E004").finding(path, line=where.line_of('"resources"'), value=name, file=want)
            )
    if "W031" in profile.structure_numbers:
        outcome.findings += _unlisted(filing, profile)


MAX_UNLISTED = 20  # named one by one; more are counted in the last finding


def _unlisted(filing: Filing, profile: Profile) -> list[Finding]:
    """W031 for each file in the filing's folder that no resource lists (a workbook, a lock file, an old copy):
    it would land in the pull request without being part of the filing. Files inside a listed folder (a
    dataset's parts) count as listed; links are not followed."""
    listed = {str(res.get("path")).rstrip("/") for res in filing.resources.values() if isinstance(res, dict)}
    listed.add(DESCRIPTOR)
    found: list[str] = []
    for folder, dirs, files in os.walk(filing.folder):
        base = Path(folder).relative_to(filing.folder)
        dirs[:] = sorted(d for d in dirs if (base / d).as_posix() not in listed)
        found += [(base / f).as_posix() for f in sorted(files) if (base / f).as_posix() not in listed]
    rule = profile.structure_rule("W031")
    named = found if len(found) <= MAX_UNLISTED + 2 else found[:MAX_UNLISTED]  # "and N more" with N >= 2
    findings = [rule.finding(filing.rel_path(rel), value=rel, variant="one") for rel in named]
    if len(found) > len(named):
        rest = found[len(named)]
        findings.append(
            rule.finding(filing.rel_path(rest), value=rest, variant="more", count=len(found) - len(named) - 1)
        )
    return findings


def _check_file(
    filing: Filing,
    profile: Profile,
    name: str,
    res: dict[str, Any],
    want: str,
    where: _Locator,
    outcome: DescriptorOutcome,
) -> bool:
    path = filing.rel_path(DESCRIPTOR)
    line = where.resource_line(name, "path")
    given = res.get("path")
    if (
        isinstance(given, str)
        and is_dataset(given)
        and any(t["name"] == name for t in profile.tables)
        and profile.dataset(name) == given
    ):
        return _check_dataset(filing, profile, name, res, given, where, outcome)
    problem = path_problem(filing.folder, given)
    # A large table may be filed in another format the profile lists, e.g. results.parquet for results.csv.
    if problem is None and any(t["name"] == name for t in profile.tables):
        want = profile.table_file(name, given)
    if problem is None and given != want:
        problem = f"is not where this profile keeps resource {name}"
    if problem:
        outcome.findings.append(
            profile.structure_rule("E005").finding(
                path, line=line, field="path", value=given, resource=name, detail=problem, expected=want
            )
        )
        outcome.broken.add(name)
        return False
    target = filing.folder / want
    if not target.is_file():
        outcome.findings.append(
            profile.structure_rule("E006").finding(path, line=line, field="path", value=want, resource=name)
        )
        outcome.broken.add(name)
        return False
    limit_key = "max_narrative_bytes" if want.endswith(".md") else "max_file_bytes"
    limit = profile.limits.get(limit_key)
    size = target.stat().st_size
    if limit and size > limit:
        outcome.findings.append(
            profile.structure_rule("E025").finding(filing.rel_path(want), value=size, resource=want, limit=limit)
        )
        outcome.broken.add(name)
        return False
    if want.endswith(".parquet") and _parquet_too_large(filing, profile, target, want, limit, outcome):
        outcome.broken.add(name)
        return False
    scan = scan_file(target, text=not want.endswith((".parquet", ".age")))  # Parquet and age are binary
    size, digest = scan.size, scan.digest
    ok = True
    intact = True
    if res.get("bytes") != size:
        outcome.findings.append(
            profile.structure_rule("E007").finding(
                path,
                line=where.resource_line(name, "bytes"),
                field="bytes",
                value=want,
                actual=size,
                folder=filing.rel,
                expected=res.get("bytes", "nothing (the bytes entry is missing)"),
            )
        )
        intact = False
    if res.get("hash") != digest:
        outcome.findings.append(
            profile.structure_rule("E008").finding(
                path,
                line=where.resource_line(name, "hash"),
                field="hash",
                value=want,
                actual=digest[7:],
                folder=filing.rel,
                expected=res.get("hash", "nothing (the hash entry is missing)"),
            )
        )
        intact = False
    if scan.text_problem:
        detail, line = scan.text_problem
        outcome.findings.append(
            profile.structure_rule("E018").finding(filing.rel_path(want), line=line, resource=want, detail=detail)
        )
        ok = False
    if not (ok and intact):
        outcome.broken.add(name)
    return ok


# A Parquet file is compressed: its footer says how many rows it holds and how large its pages are
# unpacked, which is checked before anything reads it. A real table takes bytes per row even compressed (the
# ICA samples: 3 to 12); a file that packs more than 20 rows into each byte (a constant column run-length
# encoded, say) is refused as a decompression bomb, as is one whose pages unpack beyond the file limit.
MAX_ROWS_PER_BYTE = 20


def _parquet_too_large(
    filing: Filing, profile: Profile, target: Path, shown: str, limit: int | None, outcome: DescriptorOutcome
) -> bool:
    """Whether the Parquet file's footer refuses it (E059, added to the findings)."""
    import pyarrow.parquet as pq

    rule = profile.structure_rule("E059")
    try:
        meta = pq.read_metadata(target)
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        outcome.findings.append(
            rule.finding(
                filing.rel_path(shown),
                resource=shown,
                value=shown,
                variant="unreadable",
                reason=str(exc).split("\n")[0],
            )
        )
        return True
    size = max(target.stat().st_size, 1)
    if limit and unpacked > limit:
        outcome.findings.append(
            rule.finding(
                filing.rel_path(shown),
                resource=shown,
                value=unpacked,
                variant="too_large",
                rows=f"{meta.num_rows:,}",
                limit=f"{limit:,}",
                unpacked=f"{unpacked:,}",
            )
        )
        return True
    if meta.num_rows > MAX_ROWS_PER_BYTE * size:
        outcome.findings.append(
            rule.finding(
                filing.rel_path(shown),
                resource=shown,
                value=meta.num_rows,
                variant="expansion",
                rows=f"{meta.num_rows:,}",
                size=f"{size:,}",
                limit=MAX_ROWS_PER_BYTE,
            )
        )
        return True
    return False


def _check_dataset(
    filing: Filing,
    profile: Profile,
    name: str,
    res: dict[str, Any],
    want: str,
    where: _Locator,
    outcome: DescriptorOutcome,
) -> bool:
    """A table filed as a dataset folder (gridmod.datasets): the folder and every part are safe paths, the
    parts are all CSV or all Parquet, each within the file limit and (CSV) UTF-8; bytes and hash are the
    dataset's."""
    path = filing.rel_path(DESCRIPTOR)
    line = where.resource_line(name, "path")
    e005 = profile.structure_rule("E005")
    problem = path_problem(filing.folder, want.rstrip("/"), directory=True)
    if problem:
        outcome.findings.append(
            e005.finding(path, line=line, field="path", value=want, resource=name, detail=problem, expected=want)
        )
        outcome.broken.add(name)
        return False
    folder = filing.folder / want
    parts = dataset_parts(folder) if folder.is_dir() else []
    if not parts:
        outcome.findings.append(
            profile.structure_rule("E006").finding(path, line=line, field="path", value=want, resource=name)
        )
        outcome.broken.add(name)
        return False
    limit = profile.limits.get("max_file_bytes")
    kinds = {p.suffix for p in parts}
    ok, entries, total = True, [], 0
    for part in parts:
        relative = part.relative_to(folder).as_posix()
        shown = want + relative
        problem = path_problem(filing.folder, shown)
        if problem is None and part.suffix not in SUFFIXES:
            problem = "is neither a CSV (.csv) nor a Parquet (.parquet) part of the dataset"
        elif problem is None and len(kinds) > 1:
            problem = "is one of a dataset that mixes CSV and Parquet parts; file all parts in one format"
        if problem:
            outcome.findings.append(
                e005.finding(
                    filing.rel_path(shown), field="path", value=shown, resource=name, detail=problem, expected=want
                )
            )
            ok = False
            continue
        size = part.stat().st_size
        if limit and size > limit:
            outcome.findings.append(
                profile.structure_rule("E025").finding(filing.rel_path(shown), value=size, resource=shown, limit=limit)
            )
            ok = False
            continue
        if part.suffix == ".parquet" and _parquet_too_large(filing, profile, part, shown, limit, outcome):
            ok = False
            continue
        scan = scan_file(part, text=part.suffix == ".csv")
        total += scan.size
        entries.append((relative, scan.digest))
        if scan.text_problem:
            detail, at = scan.text_problem
            outcome.findings.append(
                profile.structure_rule("E018").finding(filing.rel_path(shown), line=at, resource=shown, detail=detail)
            )
            ok = False
    if not ok:
        outcome.broken.add(name)
        return False
    digest = manifest_digest(entries)
    if res.get("bytes") != total:
        outcome.findings.append(
            profile.structure_rule("E007").finding(
                path,
                line=where.resource_line(name, "bytes"),
                field="bytes",
                value=want,
                actual=total,
                folder=filing.rel,
                expected=res.get("bytes", "nothing (the bytes entry is missing)"),
            )
        )
        ok = False
    if res.get("hash") != digest:
        outcome.findings.append(
            profile.structure_rule("E008").finding(
                path,
                line=where.resource_line(name, "hash"),
                field="hash",
                value=want,
                actual=digest[7:],
                folder=filing.rel,
                expected=res.get("hash", "nothing (the hash entry is missing)"),
            )
        )
        ok = False
    if not ok:
        outcome.broken.add(name)
    return True
