"""Structure phase, part 1b: one pass over each small table and narrative before frictionless reads it.

It enforces the profile's limits (rows, cell size) so hostile input cannot exhaust the later checks, refuses
text the PDF report cannot print (E056: the report's fonts have no glyph for it, and a PDF/UA report with a
missing glyph cannot be made), and warns about text that is invisible or that a spreadsheet would run as a
formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from gridmod import converter
from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.fonts import printable
from gridmod.narrative import code_spans
from gridmod.spec import Profile
from gridmod.tables import other_separator

# C0/C1 controls except tab, line feed and carriage return; bidirectional overrides and isolates.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA = re.compile(r"^(?:[=+@\t\r]|-.*[=+|!(])", re.S)


def describe(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(chars))


def shown(chars: list[str]) -> str:
    """Characters as a reader can find them: each as itself (when it is visible) and its code point."""
    distinct = list(dict.fromkeys(chars))
    text = ", ".join(f"'{c}' (U+{ord(c):04X})" if c.isprintable() else f"U+{ord(c):04X}" for c in distinct[:10])
    return text + (f" and {len(distinct) - 10} more" if len(distinct) > 10 else "")


def unprintable(text: str, known: frozenset[str]) -> list[str]:
    return [c for c in text if c not in known] if not text.isascii() or not text.isprintable() else []


def check_cells(filing: Filing, profile: Profile, tables: list[str]) -> tuple[list[Finding], set[str]]:
    """Findings on limits and suspicious text of the given tables; tables too large for later phases."""
    findings: list[Finding] = []
    broken: set[str] = set()
    limits = profile.limits
    max_rows, max_cell = limits.get("max_rows"), limits.get("max_cell_chars")
    csv.field_size_limit(2**31 - 1)
    for name in tables:
        path = filing.resources[name]["path"]
        where = filing.rel_path(path)
        fields = profile.schemas[name]["fields"]
        text_columns = {i for i, f in enumerate(fields) if f.get("type", "string") == "string"}
        names = _name_columns(profile.schemas[name], text_columns)
        text = (filing.folder / path).read_bytes().decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""))
        rows, line = 0, 1
        try:
            for number, cells in enumerate(reader):
                start, line = line, reader.line_num + 1
                if number == 0:
                    separator = other_separator(cells, len(fields))
                    if separator and "E063" in profile.structure_numbers:
                        findings.append(
                            profile.structure_rule("E063").finding(
                                where, line=1, column=1, resource=path, separator=separator
                            )
                        )
                        broken.add(name)
                        break
                    continue
                if not any(cells):
                    continue
                rows += 1
                if max_rows and rows > max_rows:
                    findings.append(
                        profile.structure_rule("E027").finding(where, line=start, resource=path, limit=max_rows)
                    )
                    broken.add(name)
                    break
                findings += _cells(
                    profile,
                    where,
                    start,
                    cells,
                    fields,
                    text_columns,
                    max_cell,
                    broken,
                    name,
                    printable(filing.root),
                    names,
                )
        except csv.Error as exc:
            findings.append(
                profile.structure_rule("E017").finding(
                    where, line=line, resource=path, variant="unreadable", reason=exc
                )
            )
            broken.add(name)
            continue
        if name in broken:
            continue
        if rows == 0 and next((t for t in profile.tables if t["name"] == name), {}).get("min_rows"):
            findings.append(
                profile.structure_rule("E026").finding(
                    where, line=1, resource=path, description=profile.schemas[name].get("description", "")
                )
            )
            broken.add(name)
    return findings, broken


def _name_columns(schema: dict, text_columns: set[int]) -> set[int]:
    """Text columns that name or identify something: the key's, the foreign keys', and every *_name, *_id,
    title or use_case column."""
    fields = [f["name"] for f in schema["fields"]]
    keyed = set(schema.get("primaryKey", [])) | {
        f
        for fk in schema.get("foreignKeys", [])
        for f in ([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])
    }
    return {
        i
        for i in text_columns
        if fields[i] in keyed or fields[i].endswith(("_name", "_id")) or fields[i] in ("title", "use_case")
    }


def _cells(
    profile: Profile,
    where: str,
    line: int,
    cells: list[str],
    fields: list[dict],
    text_columns: set[int],
    max_cell: int | None,
    broken: set[str],
    name: str,
    known: frozenset[str],
    names: set[int],
) -> list[Finding]:
    out = []
    for column, cell in enumerate(cells):
        field = fields[column]["name"] if column < len(fields) else None
        if max_cell and len(cell) > max_cell:
            out.append(
                profile.structure_rule("E028").finding(
                    where, line=line, column=column + 1, field=field, value=len(cell), limit=max_cell
                )
            )
            broken.add(name)
            continue
        invisible = _INVISIBLE.findall(cell)
        if invisible:
            # In a key or a name such a character makes two different things look the same: refused.
            code = "E058" if column in names and "E058" in profile.structure_numbers else "W029"
            out.append(
                profile.structure_rule(code).finding(
                    where, line=line, column=column + 1, field=field, value=describe(invisible)
                )
            )
        missing = unprintable(cell, known)
        if missing:
            out.append(
                profile.structure_rule("E056").finding(
                    where, line=line, column=column + 1, field=field, value=missing[0], chars=shown(missing)
                )
            )
        if column in text_columns and _FORMULA.match(cell):
            out.append(
                profile.structure_rule("W030").finding(where, line=line, column=column + 1, field=field, value=cell)
            )
    return out


# What the report's renderers cannot carry (E057): quotes nested deeper than Typst's show rules go (it fails
# at 11), and paragraphs with so many backticks that pandoc's code-span matching takes minutes (quadratic:
# 8,000 backticks take 3 s, 40,000 over a minute).
MAX_QUOTE_DEPTH = 8
MAX_PARAGRAPH_BACKTICKS = 1000
MAX_HEADING_CHARS = 300  # a heading is a title, not a paragraph (and the report's outline repeats it)
_QUOTE_PREFIX = re.compile(r"[ \t>]*")


def _constructs(profile: Profile, where: str, lines: list[str]) -> list[Finding]:
    """Images, headings that are paragraphs, quotes nested too deep and paragraphs full of backticks, each at
    its line (one pass)."""
    rule = profile.structure_rule("E057")
    findings = []
    backticks, first = 0, 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            backticks = 0
            continue
        if backticks == 0:
            first = number
        before = backticks
        backticks += line.count("`")
        if before <= MAX_PARAGRAPH_BACKTICKS < backticks:
            findings.append(
                rule.finding(
                    where, line=first, field="text", value=backticks, variant="backticks", limit=MAX_PARAGRAPH_BACKTICKS
                )
            )
        if line.lstrip(" ").startswith("#") and len(line) > MAX_HEADING_CHARS:
            findings.append(
                rule.finding(
                    where,
                    line=number,
                    column=1,
                    field="text",
                    value=len(line),
                    variant="heading",
                    limit=MAX_HEADING_CHARS,
                )
            )
        depth = _QUOTE_PREFIX.match(line).group(0).count(">")  # type: ignore[union-attr]
        if depth > MAX_QUOTE_DEPTH:
            findings.append(
                rule.finding(
                    where, line=number, column=1, field="text", value=depth, variant="depth", limit=MAX_QUOTE_DEPTH
                )
            )
        image = line.find("![")
        if image >= 0:
            spans = code_spans(line)
            at = next((i for i in _all(line, "![") if not any(a <= i < b for a, b in spans)), None)
            if at is not None:
                findings.append(
                    rule.finding(
                        where, line=number, column=at + 1, field="text", value=line[at : at + 40], variant="image"
                    )
                )
    return findings


def _all(text: str, needle: str):
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


# Locating what pandoc cannot read (E062): each narrative file alone, then halves of the file's blocks, each
# with a shorter limit of processor time than the filing's read (the part that holds the cause takes longer
# than the whole's share), so that a located finding costs seconds, not minutes. The finding states the
# filing's limit, the one the rule sets.
_FILE_SECONDS = 2
_PART_SECONDS = 1


def _blocks(lines: list[str]) -> list[tuple[int, str]]:
    """(first line number, text) of each run of non-blank lines."""
    blocks: list[tuple[int, str]] = []
    start = None
    for number, line in enumerate([*lines, ""], 1):
        if line.strip() and start is None:
            start = number
        elif not line.strip() and start is not None:
            blocks.append((start, "\n".join(lines[start - 1 : number - 1])))
            start = None
    return blocks


def _locate(blocks: list[tuple[int, str]]) -> int:
    """The first line of the smallest run of blocks that pandoc alone cannot read within its limits (by
    halves); the start of the whole run when neither half hits a limit alone."""
    first = blocks[0][0]
    while len(blocks) > 1:
        half = len(blocks) // 2
        for part in (blocks[:half], blocks[half:]):
            if converter.reads([text for _, text in part], _PART_SECONDS):
                blocks, first = part, part[0][0]
                break
        else:
            break
    return first


def _unreadable(filing: Filing, profile: Profile, files: list[tuple[str, list[str]]]) -> list[Finding]:
    """E062 for narratives pandoc cannot read within its limits (gridmod.converter), at the line where the
    part that hits the limit starts; nothing (one pandoc run) for narratives it reads."""
    hit = converter.reads(["\n".join(lines) for _, lines in files]) if files else None
    if hit is None:
        return []
    rule = profile.structure_rule("E062")
    found = []
    for where, lines in files:
        blocks = _blocks(lines)
        if blocks and converter.reads(["\n".join(lines)], _FILE_SECONDS):
            line = _locate(blocks)
            found.append(rule.finding(where, line=line, column=1, field="text", limit=hit, variant="part"))
    if not found:  # only the narratives together hit the limit: named at the longest
        where, lines = max(files, key=lambda item: sum(map(len, item[1])))
        found.append(rule.finding(where, line=1, column=1, field="text", limit=hit, variant="together"))
    return found


def check_narrative_text(filing: Filing, profile: Profile, names: list[str]) -> list[Finding]:
    """Invisible and unprintable characters in Markdown narratives, at the line they are on, what the report
    cannot carry (E057), and narratives pandoc cannot read within its limits (E062)."""
    findings = []
    known = printable(filing.root)
    readable: list[tuple[str, list[str]]] = []
    for name in names:
        path = filing.resources[name]["path"]
        text = (filing.folder / path).read_text(encoding="utf-8-sig")
        # Editors count only line feeds as line breaks; str.splitlines would also break at \x0c or \u2028.
        lines = text.split("\n")
        constructs = _constructs(profile, filing.rel_path(path), lines) if "E057" in profile.structure_numbers else []
        findings += constructs
        if not constructs:
            readable.append((filing.rel_path(path), lines))
        for number, line in enumerate(lines, 1):
            invisible = _INVISIBLE.findall(line)
            if invisible:
                findings.append(
                    profile.structure_rule("W029").finding(
                        filing.rel_path(path), line=number, field="text", value=describe(invisible)
                    )
                )
            missing = unprintable(line, known)
            if missing:
                column = next(i for i, c in enumerate(line, 1) if c in missing)
                findings.append(
                    profile.structure_rule("E056").finding(
                        filing.rel_path(path),
                        line=number,
                        column=column,
                        field="text",
                        value=missing[0],
                        chars=shown(missing),
                    )
                )
    if "E062" in profile.structure_numbers:
        findings += _unreadable(filing, profile, readable)
    return findings


def check_descriptor_text(
    filing: Filing, profile: Profile, meta: dict, line_of: Callable[[str], int | None]
) -> list[Finding]:
    """Unprintable characters in the filing's metadata (datapackage.json `gridmod`), which the report's title
    page shows: the verifying officer's name and title, an amendment's reason."""
    known = printable(filing.root)
    findings = []

    def visit(value: object, key: str) -> None:
        if isinstance(value, str):
            missing = unprintable(value, known)
            if missing:
                findings.append(
                    profile.structure_rule("E056").finding(
                        filing.rel_path("datapackage.json"),
                        line=line_of(f'"{key.rsplit(".", 1)[-1]}"') or 1,
                        field=f"gridmod.{key}",
                        value=missing[0],
                        chars=shown(missing),
                    )
                )
        elif isinstance(value, dict):
            for name, item in value.items():
                visit(item, f"{key}.{name}" if key else str(name))
        elif isinstance(value, list):
            for item in value:
                visit(item, key)

    visit(meta, "")
    return findings
