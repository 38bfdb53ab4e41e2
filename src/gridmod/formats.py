"""A validation report in the four forms people read it: text, JSON, GitHub annotations, Markdown."""

from __future__ import annotations

import json
import re

from gridmod.findings import Finding, PackageResult, Report

LABELS = {"error": "error", "warning": "warning", "explain": "needs explanation"}


def _where(f: Finding) -> str:
    where = f.path
    if f.line:
        where += f":{f.line}"
        if f.column:
            where += f":{f.column}"
    return where


def _label(f: Finding) -> str:
    return "explained" if not f.is_open else LABELS[f.severity]


def _counts(counts: dict[str, int]) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{counts['explain']} need{'s' if counts['explain'] == 1 else ''} explanation"
    )


def _rule_link(f: Finding) -> str:
    """The rule's published page, or, before a site exists to link to, the command that shows the rule."""
    return f.url if f.url.startswith(("https://", "http://")) else f"gridmod rule {f.code}"


def format_text(report: Report) -> str:
    out = []
    for package in report.packages:
        state = "valid" if package.valid else "NOT valid"
        profile = f"{package.profile} {package.version}" if package.profile else "unknown profile"
        out.append(f"{package.path}: {state} ({_counts(package.counts())}) - profile {profile}")
        for f in package.findings:
            out.append(f"  {_where(f)}: {_label(f)} {f.code}: {f.message}")
            if f.is_open:
                out.append(f"      How to fix: {f.hint}")
            else:
                out.append(f"      Explanation: {f.explanation}")
            out.append(f"      Rule: {_rule_link(f)}")
        for note in package.notes:
            out.append(f"  Note: {note}")
    n = len(report.packages)
    out.append(f"{n} filing{'' if n == 1 else 's'} checked: {_counts(report.counts())}.")
    return "\n".join(out) + "\n"


def format_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(level: str, path: str, title: str, message: str) -> str:
    """One workflow command that GitHub shows as an annotation on a file (values escaped, one line)."""
    return f"::{level} file={_escape_property(path)},title={_escape_property(title)}::{_escape_data(message)}"


def format_github(report: Report) -> str:
    """Workflow commands that GitHub shows as annotations on the file and line of each finding."""
    out = []
    for package in report.packages:
        for f in package.findings:
            level = "notice" if not f.is_open else ("warning" if f.severity == "warning" else "error")
            props = [f"file={_escape_property(f.path)}"]
            if f.line:
                props.append(f"line={f.line}")
                if f.column:
                    props.append(f"col={f.column}")
            props.append(f"title={_escape_property(f'{f.code} ({_label(f)})')}")
            body = f.message + (f" How to fix: {f.hint}" if f.is_open else f" Explanation: {f.explanation}")
            out.append(f"::{level} {','.join(props)}::{_escape_data(body)} Rule: {f.url}")
    return "\n".join(out) + ("\n" if out else "")


_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


# The characters with which Markdown starts a construct inside a table cell (code, emphasis, links, images,
# HTML, entities, strike-through, a cell break) are written backslash-escaped, which CommonMark reads as the
# character itself, and so are the starts of GitHub's bare autolinks (https://, www., an e-mail address). A
# value a filer typed (an explanation key, a cell) then shows as typed: no link, no emphasis, no markup.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>!|~&@])")
_AUTOLINK = re.compile(r"(?<=:)//|(?<=\bwww)\.", re.IGNORECASE)


def _cell(text: object) -> str:
    """One Markdown table cell of plain text: no line breaks, no markup."""
    escaped = _MARKDOWN.sub(r"\\\1", _BREAKS.sub(" ", str(text)))
    return _AUTOLINK.sub(lambda m: "\\/\\/" if m.group(0) == "//" else "\\.", escaped)


def _code(text: object) -> str:
    """The inside of a code span in a table cell: no line breaks, no backtick to close it, pipes escaped (a
    table's cells split at a pipe even inside a code span)."""
    return _BREAKS.sub(" ", str(text)).replace("`", "'").replace("|", "\\|")


# The job summary is dropped by GitHub when it is larger than 1 MiB; the summary stays below this, listing
# fewer findings per filing (the JSON report in the run's artifact has all of them).
SUMMARY_LIMIT = 900 * 1024
# Most urgent first: what blocks the filing, what it must explain, what the reviewer looks at, what is explained.
_ORDER = {("error", True): 0, ("explain", True): 1, ("warning", True): 2}


def _package_markdown(package: PackageResult, cap: int | None = None) -> list[str]:
    counts = package.counts()
    out = [
        f"### {'✅' if package.valid else '❌'} `{_code(package.path)}`",
        "",
        f"Profile {_cell(package.profile)} {_cell(package.version)}: {_counts(counts)}.",
        "",
    ]
    if package.findings:
        ordered = sorted(package.findings, key=lambda f: _ORDER.get((f.severity, f.is_open), 3))
        shown = ordered if cap is None else ordered[:cap]
        out += ["| Severity | Code | Where | Problem | How to fix |", "|---|---|---|---|---|"]
        for f in shown:
            fix = f.hint if f.is_open else f"Explained: {f.explanation}"
            key = f" (key `{_code(f.key)}`)" if f.severity == "explain" and f.key else ""
            out.append(
                f"| {_label(f)} | [{_cell(f.code)}]({f.url}) | `{_code(_where(f))}` | {_cell(f.message)}{key} "
                f"| {_cell(fix)} |"
            )
        if len(shown) < len(ordered):
            out += [
                "",
                f"… and {len(ordered) - len(shown)} more findings of this filing, left out so that this "
                "summary stays within GitHub's size limit: `validation-report.json` in the run's "
                "`filing-review` artifact lists every one.",
            ]
        out.append("")
    out += _to_explain(package)
    for note in package.notes:
        out.append(f"- {_cell(note)}")
    if package.notes:
        out.append("")
    return out


def _csv_cell(text: str) -> str:
    text = _BREAKS.sub(" ", text).replace("`", "'")
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"') else text


def _to_explain(package: PackageResult) -> list[str]:
    """The rows a filer adds to explanations.csv, ready to copy, for each finding that needs explanation."""
    needed = [f for f in package.findings if f.severity == "explain" and f.is_open and f.key]
    if not needed:
        return []
    # "(why)" is shorter than an explanation may be, so a row copied without its reason fails validation.
    rows = [f"{_csv_cell(f.code)},{_csv_cell(f.key or '')},(why)" for f in needed]
    return [
        f"**Needs explanation:** add {'this row' if len(needed) == 1 else 'these rows'} to "
        f"`{_code(package.path)}/explanations.csv`, with the reason in place of `(why)`; "
        "the explanation is published with the report:",
        "",
        "```csv",
        "code,key,text",
        *rows,
        "```",
        "",
    ]


def format_markdown(report: Report) -> str:
    """The job summary: a table of the filings, then each filing's findings, most urgent first; kept within
    SUMMARY_LIMIT by listing fewer findings per filing when there are very many."""
    counts = report.counts()
    head = [
        "## Filing validation",
        "",
        "| Filing | Valid | Errors | Warnings | Needs explanation |",
        "|---|---|---|---|---|",
    ]
    for p in report.packages:
        c = p.counts()
        head.append(
            f"| `{_code(p.path)}` | {'yes' if p.valid else 'no'} | {c['error']} | {c['warning']} | {c['explain']} |"
        )
    head += ["", f"**Total:** {_counts(counts)}.", ""]
    cap: int | None = None
    while True:
        text = "\n".join(head + [line for package in report.packages for line in _package_markdown(package, cap)])
        if len(text.encode("utf-8")) <= SUMMARY_LIMIT or cap == 0:
            return text
        longest = max(len(p.findings) for p in report.packages)
        cap = (longest if cap is None else cap) // 2


FORMATS = {"text": format_text, "json": format_json, "github": format_github, "markdown": format_markdown}
