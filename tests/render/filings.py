"""Filings for the renderer tests: the shared valid_minimal fixture, copied and edited per test.

Every edited copy is re-stamped (bytes and hashes in datapackage.json) and validated with the real
validator, so a test can only pass on input that a filer could actually get through CI.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from gridmod.filing import Filing, stamp_resources
from gridmod.findings import PackageResult
from gridmod.spec import Profile
from gridmod.validate import validate_filing

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "valid_minimal"
QUICK = ("structure", "content")

# A narrative section that tries every way we know of to make Markdown, pandoc, Typst, Quarto or a
# browser treat filed text as code. Each attempt stands in a paragraph of its own, short enough
# not to be hyphenated, so the PDF text can be searched for it literally.
HOSTILE_DESCRIPTION = """\
Attempt one: #read("/etc/passwd")

Attempt two: #let x = 1

Attempt three: $x$ and \\(y\\) and @cite

Attempt four: <script>alert(1)</script>

```{=typst}
#read("/etc/passwd")
```

Inline raw: `#eval("1+1")`{=typst}

Links: [nowhere](#nowhere) [js](javascript:alert(1)) [ok](https://www.cpuc.ca.gov/)

> # Quoted heading

- Listed heading
---

##### Deep heading

### Own subheading

Noted[^1] here.

[^1]: A note of the activity.

---
title: hijacked
lang: fr
---

::: {.hidden}
Fenced div text
:::

Shortcode: {{< include /etc/passwd >}}
"""

HOSTILE_LITERALS = [
    'Attempt one: #read("/etc/passwd")',
    "Attempt two: #let x = 1",
    "Attempt three: $x$ and (y) and @cite",
    "Attempt four: <script>alert(1)</script>",
    '#eval("1+1")',
    "Shortcode: {{< include /etc/passwd >}}",
    "Deep heading",
    "Quoted heading",
    "title: hijacked",
]

# A CSV text cell with the characters that make Markdown tables, emphasis and math.
HOSTILE_CELL = "Phase | 2 *beta* _x_ #y $z$ @c <b>b</b> [l](u) \\ `t`"


def copy_minimal(target: Path, utility: str = "pge", filing_id: str = "gmr-2026") -> Path:
    """A copy of valid_minimal under target/data/<utility>/<filing_id>/, as filers lay filings out."""
    folder = target / "data" / utility / filing_id
    shutil.copytree(MINIMAL, folder)
    return folder


def edit(folder: Path, relpath: str, change) -> None:
    """Rewrite one file of the filing with `change(text) -> text` and re-stamp the descriptor."""
    path = folder / relpath
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8", newline="\n")
    stamp_resources(folder)


def set_meta(folder: Path, **fields) -> None:
    path = folder / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["gridmod"].update(fields)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def make_hostile(folder: Path) -> None:
    """Put the hostile narrative, a hostile CSV cell and an unclosed code fence into a filing."""
    edit(
        folder,
        "narrative/activities/adms-phase-2.md",
        lambda t: t.replace(
            "## Description and status\n\n", "## Description and status\n\n" + HOSTILE_DESCRIPTION + "\n", 1
        ),
    )
    edit(
        folder,
        "narrative/introduction.md",
        lambda t: t + "\nThe plan has a note too[^1].\n\n[^1]: A note of the introduction.\n",
    )
    edit(folder, "narrative/outlook.md", lambda t: t + '\n```\nunclosed #read("/etc/passwd")\n')
    edit(
        folder,
        "milestones.csv",
        lambda t: t.replace("Switching-order management in service", '"' + HOSTILE_CELL.replace('"', '""') + '"', 1),
    )


def validated(folder: Path) -> tuple[Filing, Profile, PackageResult]:
    """Validate like CI does (structure and content) and insist that the filing passes."""
    item = validate_filing(folder, ROOT, QUICK)
    open_findings = [f"{f.code} {f.path}:{f.line} {f.message}" for f in item.result.findings if f.is_open]
    assert item.result.valid, open_findings
    assert item.profile is not None
    return item.filing, item.profile, item.result
