"""Screenshots for CONTRIBUTING.md, taken with the project's own preview server and headless Chromium.

    python tests/filer/screenshots.py            # writes docs/images/*.png
    python tests/filer/screenshots.py OUT_DIR

Pictures: the live preview of a sample filing's page, the preview's findings panel for a filing with an
error, and a pull request's validation summary (the Markdown `gridmod validate --format markdown` writes to
the job summary, rendered as HTML with GitHub-like styles).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
SUMMARY_STYLE = """
body { font: 14px/1.5 -apple-system, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif; color: #1f2328;
       margin: 0; padding: 24px 32px; background: #fff; }
.box { border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 24px 16px; max-width: 1180px; }
.title { font-weight: 600; padding: 8px 0; border-bottom: 1px solid #d1d9e0; margin-bottom: 8px; }
h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; font-size: 1.5em; }
h3 { font-size: 1.25em; }
table { border-collapse: collapse; margin: 12px 0; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; }
pre { background: #f6f8fa; border-radius: 6px; padding: 12px 16px; }
pre code { background: none; padding: 0; }
a { color: #0969da; text-decoration: none; }
"""


def chromium() -> str | None:
    from tests.system import find_browser

    found, _ = find_browser()
    return str(found) if found else None


def take(url: str, out: Path, width: int = 1280, height: int = 900) -> Path:
    browser = chromium()
    if browser is None:
        raise RuntimeError("headless Chromium is needed for screenshots (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="gridmod-chromium-") as profile:
        subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    if not out.is_file():
        raise RuntimeError(f"Chromium wrote no screenshot of {url}")
    return out


def summary_html(filings: list[Path]) -> str:
    import markdown

    from gridmod.formats import format_markdown
    from gridmod.validate import PHASES, validate

    report, _ = validate(filings, REPO, PHASES[:2])
    body = markdown.markdown(format_markdown(report), extensions=["tables", "fenced_code"])
    # GitHub shows these as emoji; a bare Chromium may lack an emoji font, so they become coloured signs.
    body = body.replace("✅", '<span style="color:#1a7f37">&#10004;</span>').replace(
        "❌", '<span style="color:#cf222e">&#10006;</span>'
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Job summary</title>"
        f"<style>{SUMMARY_STYLE}</style></head><body><div class='box'><div class='title'>filing-checks "
        f"summary</div>{body}</div></body></html>"
    )


def main(out_dir: Path = REPO / "docs" / "images") -> list[Path]:
    from gridmod.serve import Preview

    out_dir.mkdir(parents=True, exist_ok=True)
    sample = REPO / "data" / "pge" / "gmr-2026"
    broken = REPO / "tests" / "fixtures" / "defects" / "overrun_unexplained"
    shots = []
    preview = Preview(REPO, [sample, broken], port=0)
    preview.start()
    try:
        shots.append(take(preview.url + "filings/gmr-2026/pge/", out_dir / "preview-filing.png", height=1000))
        shots.append(take(preview.url, out_dir / "preview-findings.png", height=760))
    finally:
        preview.stop()
    with tempfile.TemporaryDirectory(prefix="gridmod-summary-") as tmp:
        page = Path(tmp) / "summary.html"
        page.write_text(
            summary_html([broken, REPO / "tests" / "fixtures" / "defects" / "negative_cost"]), encoding="utf-8"
        )
        shots.append(take(page.as_uri(), out_dir / "pr-summary.png", height=900))
    return shots


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))  # run as a script: tests.system is found from the repository's root
    for shot in main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images"):
        print(shot)
