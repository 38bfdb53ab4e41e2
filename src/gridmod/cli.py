"""The `gridmod` command. Only this module talks to the terminal; heavy libraries load per command."""

from __future__ import annotations

import os
import re
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gridmod import __version__

if TYPE_CHECKING:
    from datetime import datetime

    from gridmod.scope import Filers

FORMAT_CHOICE = click.Choice(["text", "json", "github", "markdown"])


def _root() -> Path:
    from gridmod.spec import find_root

    return find_root()


def _fail_setup(message: str) -> None:
    click.echo(f"gridmod: {message}", err=True)
    sys.exit(2)


def _paths(root: Path, paths: tuple[Path, ...]) -> list[Path] | None:
    if not paths:
        return None
    resolved = []
    for path in paths:
        if not path.exists():
            _fail_setup(f"{path} does not exist. Give the folder of a filing, e.g. data/pge/gmr-2026.")
        resolved.append(path.resolve())
    return resolved


class Group(click.Group):
    """Turns every problem gridmod names (gridmod.errors.GridmodError) into its message and exit code; only
    anything else is an internal error, with a traceback under --debug."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from gridmod.errors import GridmodError

        try:
            return super().invoke(ctx)
        except GridmodError as exc:
            click.echo(f"gridmod: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence for people, not programmers
            if ctx.params.get("debug") or (ctx.obj or {}).get("debug"):
                raise
            _fail_setup(
                f"internal error: {type(exc).__name__}: {exc}. Run again with --debug for details, "
                "and report it with the output."
            )


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gridmod")
@click.option("--debug", is_flag=True, help="Show Python tracebacks of internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Grid modernization filings of CPUC R.21-06-017: validate, render and publish.

    Run inside the repository. Filings are data packages under data/<utility>/<filing>/,
    rules under validation/, templates under templates/.
    """
    ctx.obj = {"debug": debug}
    # With gridmod[spark] installed, pandera and great-expectations import PySpark, which warns that it was
    # tested with older pandas; no command hands PySpark pandas data.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=FORMAT_CHOICE,
    default="text",
    show_default=True,
    help="text for people, json for machines, github for annotations, markdown for a job summary.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of the terminal.",
)
@click.option(
    "--quick",
    is_flag=True,
    help="Run only the structure and content phases (skips the slower great-expectations checks).",
)
@click.option(
    "--data-docs",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also write great-expectations Data Docs of the expectations phase into DIR, for reviewers.",
)
@click.option(
    "--write",
    "extra",
    type=(FORMAT_CHOICE, click.Path(dir_okay=False, path_type=Path)),
    multiple=True,
    metavar="FORMAT FILE",
    help="Also write the report in FORMAT to FILE; repeat for more (one run, "
    "e.g. annotations on the terminal and the markdown summary to a file).",
)
@click.option(
    "--engine",
    type=click.Choice(["default", "spark"]),
    default="default",
    show_default=True,
    help="Where the rules of the largest tables run: default (this machine, in bounded memory) or spark "
    "(Apache Spark: local mode, or the cluster GRIDMOD_SPARK_MASTER names; needs gridmod[spark] and Java).",
)
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    quick: bool,
    data_docs: Path | None,
    extra: tuple[tuple[str, Path], ...],
    engine: str,
) -> None:
    """Check filings against their profile's rules (default: every filing under data/).

    Exit code 0 when no filing has errors or unexplained findings (warnings allowed), 1 otherwise,
    2 when the command itself cannot run.
    """
    from gridmod.formats import FORMATS
    from gridmod.validate import PHASES
    from gridmod.validate import validate as run

    root = _root()
    targets = _paths(root, paths)
    if data_docs is not None and quick:
        _fail_setup("--data-docs needs the expectations phase, which --quick skips.")
    report, _ = run(targets, root, PHASES[:2] if quick else PHASES, data_docs.resolve() if data_docs else None, engine)
    if not report.packages:
        _fail_setup("no filing found (a filing is a folder with a datapackage.json).")
    for extra_fmt, extra_file in extra:
        extra_file.parent.mkdir(parents=True, exist_ok=True)
        extra_file.write_text(FORMATS[extra_fmt](report), encoding="utf-8")
    text = FORMATS[fmt](report)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    sys.exit(0 if report.valid else 1)


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """What rule CODE (e.g. GMR-E020) checks, how to fix a finding of it, and examples.

    The same words as the rule's page on the site, without building the site first.
    """
    from gridmod.spec import available_profiles, load_profile, site_url

    root = _root()
    wanted = code.strip().upper()
    found = []
    for name, version in available_profiles(root):
        profile = load_profile(root, name, version)
        if wanted in profile.rules:
            found.append((profile, profile.rules[wanted]))
    if not found:
        prefixes = sorted(
            {load_profile(root, n, v).meta.get("code_prefix", "GMR") for n, v in available_profiles(root)}
        )
        _fail_setup(
            f"There is no rule {code}. Codes look like {prefixes[0]}-E020: "
            f"{' or '.join(prefixes)}, then E (error), W (warning) or X (needs an explanation) and a number."
        )
    profile, rule = found[-1]
    versions = ", ".join(f"{p.name} {p.version}" for p, _ in found)
    click.echo(f"{rule.code}: {rule.title} ({rule.severity}{', retired' if rule.retired else ''})")
    click.echo(f"  Profiles: {versions}; checked in the {rule.phase} phase, on {rule.applies_to}.")
    if rule.variants and "{detail}" in rule.message:
        click.echo("  Says one of:")
        for wording in rule.variants.values():
            click.echo("    " + rule.message.replace("{detail}", wording))
    else:
        click.echo(f"  Says: {rule.message}")
    click.echo(f"  How to fix: {rule.fix}")
    if rule.example_wrong:
        click.echo(f"  Wrong: {rule.example_wrong}")
    if rule.example_right:
        click.echo(f"  Right: {rule.example_right}")
    page = site_url(f"rules/{rule.code.lower()}/")
    built = page.startswith(("https://", "http://"))
    click.echo(f"  Page: {page}" + ("" if built else " (once gridmod build has run)"))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Publish the valid filings even if others are invalid (those are left out; exit code 1).",
)
@click.option(
    "--confidential-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Energy Division only, on its own machine: build the restricted edition of the filings with "
    "confidential items into restricted/, decrypted with the age key in FILE. reports/ and site/ "
    "are not touched.",
)
def build(paths: tuple[Path, ...], skip_invalid: bool, confidential_key: Path | None) -> None:
    """Validate, then render every filing into reports/ and the public site into site/.

    If any filing is invalid nothing is written and reports/ and site/ stay as they were, unless
    --skip-invalid says to publish the valid ones without it.
    """
    from gridmod.build import build as run
    from gridmod.formats import format_text

    root = _root()
    if confidential_key is not None:
        _build_restricted(root, confidential_key, _paths(root, paths))
        return
    started = time.monotonic()
    result = run(root, _paths(root, paths), skip_invalid=skip_invalid)
    if not result.published:
        click.echo(format_text(result.report), nl=False, err=True)
        click.echo("Build stopped: fix the errors above. reports/ and site/ were not changed.", err=True)
        sys.exit(1)
    for built in result.built:
        names = ", ".join(sorted(p.name for p in built.outputs.values()))
        click.echo(f"{built.filing.rel}: {names}")
    click.echo(
        f"Built {len(result.built)} report(s) into reports/ and the site into site/ "
        f"in {time.monotonic() - started:.1f} s."
    )
    if result.skipped:
        click.echo(format_text(result.report), nl=False, err=True)
        click.echo(f"Left out because they are invalid: {', '.join(result.skipped)}.", err=True)
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def redact(path: Path) -> None:
    """Withhold what confidential.csv declares (cells, whole tables, narrative sections): encrypt it to Energy
    Division's keys into confidential.age and leave it empty in the public files.

    Run it on your own working copy once everything is in the tables and narrative and confidential.csv lists what is
    confidential; keep the unredacted copy outside the repository, since only Energy Division can decrypt
    confidential.age. Exit 0 when the filing was redacted, 1 when the declaration does not match the tables.
    """
    from gridmod.redact import redact as run

    root = _root()
    result = run(path.resolve(), root)
    rel = _shown_path(result.folder, root)
    click.echo(
        f"Sealed {len(result.items)} confidential item{'' if len(result.items) == 1 else 's'} "
        f"({', '.join(result.items)}) into {rel}/confidential.age, encrypted to the keys in "
        f"{result.sealed_to}."
    )
    for file, items in sorted(result.files.items()):
        click.echo(f"  withheld {', '.join(items)} in {rel}/{file}")
    click.echo(f"Check: gridmod validate {rel}")


@main.command()
@click.option(
    "--samples",
    is_flag=True,
    help="Rewrite record/samples.jsonl, the synthetic receipts of the sample filings, instead.",
)
def record(samples: bool) -> None:
    """Issue receipts for the filings and revisions on this branch that the ledger does not hold yet.

    The publish job runs this on main, then commits record/ledger.jsonl. Each receipt gets the next
    accession number of its utility and year; accepted-at and the commit come from git (when the change
    landed on main), never from the typed filing date. Receipts already issued are never rewritten. Exit 0
    when every filing is on the record, 1 when a filing with errors could not be accepted.
    """
    from gridmod.accept import accept
    from gridmod.formats import format_text
    from gridmod.record import LEDGER, SAMPLE_LEDGER

    result = accept(_root(), samples=samples)
    for r in result.issued:
        landed = f"commit {r.commit[:12]}" if r.commit else "sample: typed filing date"
        amended = f", supersedes {r.supersedes}" if r.supersedes else ""
        click.echo(
            f"{r.filing} revision {r.revision}{amended}: {r.accession}, accepted "
            f"{r.accepted_at:%Y-%m-%d %H:%M} UTC ({landed})."
        )
        if r.days_from_typed_date > 1:
            click.echo(
                f"  Warning for the reviewer: the typed filing date {r.filing_date} is "
                f"{r.days_from_typed_date} days from the day it was accepted, {r.accepted_day}."
            )
    ledger = SAMPLE_LEDGER if samples else LEDGER
    n = len(result.issued)
    click.echo(
        f"{n} receipt{'' if n == 1 else 's'} written to {ledger}."
        if n
        else f"{ledger}: nothing to add; every filing on this branch is on the record."
    )
    if result.refused:
        click.echo(format_text(result.report), nl=False, err=True)
        click.echo(f"Not accepted, because they have errors: {', '.join(result.refused)}.", err=True)
        sys.exit(1)


def _build_restricted(root: Path, key: Path, paths: list[Path] | None) -> None:
    from gridmod.formats import format_text
    from gridmod.restricted import build_restricted

    result = build_restricted(root, key, paths)
    if not result.report.valid:
        click.echo(format_text(result.report), nl=False, err=True)
        click.echo("Restricted build stopped: the public filings have errors. restricted/ was not changed.", err=True)
        sys.exit(1)
    if result.problems is not None and not result.problems.valid:
        click.echo(format_text(result.problems), nl=False, err=True)
        click.echo(
            "Restricted build stopped: a filing with its confidential items in has errors (above). "
            "restricted/ was not changed.",
            err=True,
        )
        sys.exit(1)
    for path in result.written:
        click.echo(f"  {path.relative_to(root).as_posix()}")
    click.echo(
        f"Wrote the restricted edition ({len(result.written)} files) into restricted/. It holds "
        "confidential values: keep it off the repository and share it only as the declarations allow."
    )


@main.command()
@click.argument("cycle")
def statewide(cycle: str) -> None:
    """Render the statewide edition of filing cycle CYCLE (e.g. gmr-2026) into reports/statewide/.

    A draft chapter for the Grid Modernization Report to the Governor and Legislature, as PDF/UA, Word, HTML
    and its Quarto-compatible source, computed from every valid filing under data/ (the cycle's own, earlier
    cycles for the trends, the newest ICA filings for hosting capacity); Energy Division's narrative comes
    from data/cpuc/statewide/CYCLE/. `gridmod build` makes it for every cycle. Exit 1 when a filing of the
    cycle has errors: the edition is never made without one of them.
    """
    from gridmod.outputs import BuiltFiling
    from gridmod.render import build_report_model
    from gridmod.statewide import build_model, render_statewide
    from gridmod.validate import validate as run_validation

    root = _root()
    _, validated = run_validation(None, root)
    # A filing of the cycle is in data/<utility>/<cycle>/, whether or not its header can be read.
    broken = [v.result.path for v in validated if not v.result.valid and Path(v.filing.rel).name == cycle]
    if broken:
        click.echo(f"Not made: {', '.join(broken)} has errors (`gridmod validate` lists them).", err=True)
        sys.exit(1)
    built = []
    for v in validated:
        if v.result.valid and v.profile is not None:
            item = BuiltFiling(v.filing, v.profile, v.result)
            if v.profile.engine == "ica":
                item.model = build_report_model(v.filing, v.profile, v.result)
            built.append(item)
    model = build_model(root, cycle, built)
    paths = render_statewide(model, root, root / "reports")
    names = ", ".join(p.relative_to(root).as_posix() for p in paths.values())
    click.echo(f"Statewide edition of {cycle} from {len(model.filed)} filing(s): {names}.")


@main.command()
@click.argument("cycle")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The release's day, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH's day).",
)
def release(cycle: str, day: datetime | None) -> None:
    """Freeze the data of filing cycle CYCLE (e.g. gmr-2026) as a citable release.

    Writes releases/CYCLE/DATE/: each utility's data package of the cycle, release.json (every filing by
    its accession number and package hash), SHA256SUMS and one zip of it all, to commit. Every filing of the
    cycle must be valid and on the record. A release is never changed: the command refuses a day that has
    one, and the site publishes releases/ as it is. Exit 0 when written, 1 when the cycle cannot be released.
    """
    from gridmod.clock import build_date
    from gridmod.release import make_release

    root = _root()
    made = make_release(root, cycle, day.date() if day else build_date())
    shown = made.folder.relative_to(root).as_posix()
    files = ", ".join(f["file"] for f in made.manifest["filings"])
    click.echo(f"Released {cycle} into {shown}/: {files}, {made.manifest['bundle']}; commit the folder.")


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder to write <filing>/<utility>.qmd, .pdf, .docx and .html into.",
)
def render(path: Path, out_dir: Path) -> None:
    """Validate one filing and render its report (PDF, DOCX, HTML and the .qmd source)."""
    from gridmod.findings import Report
    from gridmod.formats import format_text
    from gridmod.render import render_report
    from gridmod.validate import validate_filing

    root = _root()
    item = validate_filing(path.resolve(), root)
    if not item.result.valid or item.profile is None:
        click.echo(format_text(Report([item.result])), nl=False, err=True)
        click.echo("Not rendered: fix the errors above.", err=True)
        sys.exit(1)
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind, file in sorted(render_report(item.filing, item.profile, item.result, out_dir).items()):
        click.echo(f"{kind}: {file}")


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def stamp(path: Path) -> None:
    """Record each resource's current size and SHA-256 hash in the filing's datapackage.json."""
    from gridmod.filing import stamp_resources

    changed = stamp_resources(path)
    click.echo(
        f"Recorded the new size and hash of {', '.join(changed)} in datapackage.json."
        if changed
        else "datapackage.json was already up to date."
    )


@main.command()
@click.argument("filing", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--to", "version", required=True, metavar="VERSION", help="The profile version to migrate to, e.g. 1.1.")
def migrate(filing: Path, version: str) -> None:
    """Upgrade FILING to a newer version of its profile, as the version's migration.yaml declares.

    Renames and adds columns, moves files and records the new sizes and hashes; the filing is replaced only
    when every step succeeded. Prints what the filer must still fill. Exit 0 when migrated (or already of
    VERSION), 1 when the filing cannot be migrated as it is, 2 when the migration itself is broken.
    """
    from gridmod.migrate import format_migrated, migrate_filing

    click.echo(format_migrated(migrate_filing(filing.resolve(), _root(), version)), nl=False)


@main.command()
@click.option(
    "--actor",
    "actors",
    multiple=True,
    metavar="LOGIN",
    help="GitHub login of someone behind the pull request (its author, the pusher, a commit's author); "
    "repeat for each. Without any, the command only lists what changed.",
)
@click.option(
    "--actors-from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Read more logins from FILE, one per line; an empty line is a commit whose author GitHub "
    "cannot name, which fails the check.",
)
@click.option(
    "--base",
    required=True,
    metavar="REF",
    help="The commit or branch the pull request goes into, e.g. origin/main or the base SHA.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github adds an error annotation on each file outside the allowed folder.",
)
@click.option(
    "--write-filings",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the folders of the filings the pull request changes to FILE, one per line.",
)
@click.option(
    "--github-output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="When the check passes, append code=true or code=false to FILE ($GITHUB_OUTPUT): whether the "
    "pull request changes anything besides filings and the ledger.",
)
def scope(
    actors: tuple[str, ...],
    actors_from: Path | None,
    base: str,
    fmt: str,
    write_filings: Path | None,
    github_output: Path | None,
) -> None:
    """Check that a pull request changes only what everyone behind it may change.

    A utility's filer may change only data/<utility>/; Energy Division may change anything. Who is who
    comes from .github/filers.yml as the base commit has it, so a pull request cannot widen its own scope.
    Every login given is judged, and each must be allowed every change: a filer's commit in Energy
    Division's pull request, or a filer pushing to it, limits it to that filer's folder.
    Exit 0 when every changed file is allowed, 1 when any is not, 2 when the check cannot run.
    """
    from gridmod.scope import changed_files, changed_filings, changes_code, ledger_texts, load_filers, repo_root

    repo = repo_root(Path.cwd())
    files = changed_files(repo, base)
    if write_filings:
        filings = changed_filings(repo, files)
        write_filings.parent.mkdir(parents=True, exist_ok=True)
        write_filings.write_text("".join(f"{f}\n" for f in filings), encoding="utf-8")
    logins = list(actors)
    if actors_from is not None:
        logins += [line.strip() for line in actors_from.read_text(encoding="utf-8").splitlines()]
    if not logins:
        click.echo("".join(f"{f}\n" for f in files) or f"No file changed since {base}.\n", nl=False)
        return
    first: dict[str, str] = {}  # each person once, as first given (logins are case-insensitive)
    for login in logins:
        first.setdefault(login.lower(), login)
    unique = list(first.values())
    filers, ledger = load_filers(repo, base), ledger_texts(repo, base, files)
    verdicts = [_judge_scope(login, repo, base, files, filers, ledger, fmt) for login in unique]
    if not all(verdicts):
        sys.exit(1)
    if github_output is not None:
        with github_output.open("a", encoding="utf-8") as handle:
            handle.write(f"code={'true' if changes_code(files) else 'false'}\n")


def _judge_scope(
    actor: str, repo: Path, base: str, files: list[str], filers: Filers, ledger: tuple[str, str] | None, fmt: str
) -> bool:
    """One login's verdict, printed: True when it may make every change."""
    from gridmod.formats import github_annotation
    from gridmod.record import LEDGER
    from gridmod.scope import check_scope, withdrawn

    if not actor:
        click.echo(
            "Scope check failed: a commit of this pull request has an author GitHub cannot name (its e-mail "
            "address is linked to no GitHub account), so it is not known what they may change. Commit with "
            "the e-mail address of your GitHub account and push again.",
            err=True,
        )
        return False
    result = check_scope(actor, files, filers, ledger)
    result.record += withdrawn(repo, base, files)
    n = len(result.files)
    if result.role is None:
        click.echo(
            f"{actor} is not listed in .github/filers.yml on {base}, so it is not known which folder they "
            f"may change. Energy Division adds filers there in a separate pull request.",
            err=True,
        )
        return False
    where = "anything" if result.role.allowed is None else " and ".join(result.role.allowed)
    for message in result.record:
        if fmt == "github":
            click.echo(github_annotation("error", LEDGER, "The ledger is append-only", message))
        click.echo(f"Scope check failed: {message}", err=True)
    if result.ok:
        click.echo(
            f"Scope check passed: {actor} ({result.role.name}, may change {where}) changed "
            f"{n} file{'' if n == 1 else 's'}, all allowed."
        )
        return True
    if not result.outside:
        return False
    if fmt == "github":
        for path in result.outside:
            click.echo(
                github_annotation(
                    "error",
                    path,
                    "Outside the filer's folder",
                    f"{actor} ({result.role.name}) may change only {where}.",
                )
            )
    click.echo(
        f"Scope check failed: {actor} ({result.role.name}) may change only {where}, but this pull request "
        f"changes {len(result.outside)} file{'' if len(result.outside) == 1 else 's'} outside it:",
        err=True,
    )
    for path in result.outside:
        click.echo(f"  {path}", err=True)
    click.echo(
        "Take these changes out of the pull request; changes to another utility's filing or to the rules "
        "go through that utility or Energy Division.",
        err=True,
    )
    return False


@main.command()
@click.argument("filings", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown for people and the job summary, json for machines.",
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of the terminal."
)
def diff(filings: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Show what changed between two filings of one utility: activities, milestones, costs, narrative.

    Give OLD and NEW, or only NEW to compare it with the same utility's latest earlier filing of the same
    profile under data/<utility>/. Exit 0 when compared (also when there is nothing to compare with).
    """
    import json

    from gridmod.diff import NotComparable, compare_filings, previous_folder
    from gridmod.diff.formats import FORMATS, format_none

    root = _root()
    if len(filings) > 2:
        _fail_setup("give two filings (OLD NEW), or one to compare with its utility's previous filing.")
    new = filings[-1].resolve()
    old = filings[0].resolve() if len(filings) == 2 else previous_folder(new, root)
    reason = None
    text = ""
    if old is not None:
        try:
            text = FORMATS[fmt](compare_filings(old, new, root))
        except NotComparable as exc:
            reason = str(exc)
    if old is None or reason:
        shown = _shown_path(new, root)
        text = (
            format_none(shown, reason)
            if fmt == "markdown"
            else json.dumps(
                {
                    "path": shown,
                    "previous": None if old is None else _shown_path(old, root),
                    "compared": False,
                    "reason": reason or "no earlier filing of this utility under the same profile",
                }
            )
            + "\n"
        )
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


class _IsoDate(click.ParamType):
    """A date as YYYY-MM-DD, with a message that says what is wrong with one that is not."""

    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> object:
        import calendar
        import re
        from datetime import date

        if isinstance(value, date):
            return value
        text = str(value)
        found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
        if found is None:
            self.fail(f"{text!r} is not a date written as YYYY-MM-DD (for example 2028-10-01).", param, ctx)
        year, month, day = map(int, found.groups())
        if year < 1:
            self.fail(f"{text!r} has year 0000; years start at 0001.", param, ctx)
        if not 1 <= month <= 12:
            self.fail(f"{text!r} has month {month:02d}; months run from 01 to 12.", param, ctx)
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            self.fail(
                f"{text!r} is not a day of the calendar: {calendar.month_name[month]} {year} has {days} days.",
                param,
                ctx,
            )
        return date(year, month, day)


ISO_DATE = _IsoDate()


def _here(path: Path) -> str:
    """A path as the current folder reaches it (relative, with ../ where needed), quoted for a shell if needed."""
    import shlex

    return shlex.quote(Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix())


def _shown_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@main.command()
@click.argument("utility")
@click.argument("filing")
@click.option(
    "--profile",
    "profile_name",
    metavar="NAME",
    help="Profile the filing follows (default: the one whose filing ids look like FILING).",
)
@click.option("--profile-version", metavar="VERSION", help="Version of the profile (default: the newest in force).")
@click.option(
    "--activity",
    "activities",
    multiple=True,
    metavar="ID",
    help="Also create this activity's narrative file; repeat for more. Excel import adds the others.",
)
@click.option("--period-start", type=ISO_DATE, help="First day of the reporting period.")
@click.option("--period-end", type=ISO_DATE, help="Last day of the reporting period.")
@click.option("--filing-date", type=ISO_DATE, help="Date the report is filed.")
def new(
    utility: str,
    filing: str,
    profile_name: str | None,
    profile_version: str | None,
    activities: tuple[str, ...],
    period_start,
    period_end,
    filing_date,
) -> None:
    """Create a new filing from its profile: tables, narrative files and datapackage.json.

    `gridmod new pge gmr-2028` writes data/pge/gmr-2028/: datapackage.json with the reporting period and
    filing date from the profile's calendar, every table with its header, and every narrative file with its
    Appendix A heading and notes on what to write.
    """
    from gridmod.scaffold import FilingDates, choose_profile, filing_dates, new_filing

    root = _root()
    profile = choose_profile(root, filing, profile_name, profile_version)
    given = [period_start, period_end, filing_date]
    dates = FilingDates(*given) if all(given) else filing_dates(profile, filing)  # type: ignore[arg-type]
    dates = FilingDates(given[0] or dates.period_start, given[1] or dates.period_end, given[2] or dates.filing_date)
    made = new_filing(root, utility, filing, profile, dates, activities)
    rel = _shown_path(made.folder, root)
    tables = sum(1 for f in made.files if f.endswith(".csv"))
    narratives = sum(1 for f in made.files if f.endswith(".md"))
    click.echo(
        f"Created {rel} (profile {profile.name} {profile.version}): datapackage.json, {tables} tables, "
        f"{narratives} narrative file{'' if narratives == 1 else 's'}."
    )
    if made.carried:
        counts = ", ".join(f"{n} {'row' if n == 1 else 'rows'} of {t}" for t, n in made.carried.items())
        click.echo(f"  Carried forward from {made.previous}, still open there: {counts}.")
    deadline = "" if given[2] else " (the deadline: change it in datapackage.json if you file on another day)"
    click.echo(
        f"  Reporting period {dates.period_start} to {dates.period_end}; filing date {dates.filing_date}{deadline}."
    )
    click.echo("Next:")
    click.echo(f"  1. Fill in the tables in Excel: gridmod excel export {rel}  (or edit the CSV files)")
    click.echo(f"  2. Write the narrative in {rel}/narrative/ (the notes in each file say what goes where)")
    step = 3
    if profile.meta.get("attestation"):
        click.echo(
            f"  3. Before filing, the officer who verifies it fills gridmod.attestation in "
            f"{rel}/datapackage.json (name, title, date; the statement is there already)"
        )
        step = 4
    click.echo(f"  {step}. Check: gridmod validate {rel}   Preview: gridmod serve {rel}")


@main.group()
def excel() -> None:
    """Fill in a filing's tables in Excel: export a workbook made from the profile, import it back.

    The workbook is a tool, not part of the filing: only the CSV files it is imported into are filed.
    """


@excel.command("export")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Workbook to write (default: <utility>-<filing>.xlsx at the repository's root, outside data/, "
    "so that it stays out of the pull request).",
)
def excel_export(path: Path, output: Path | None) -> None:
    """Write an Excel workbook for the filing at PATH, holding its current rows.

    One sheet per table with locked headers, drop-downs for listed values, date and number formats and a
    note on every column; an Instructions sheet; a hidden stamp of the profile and version.
    """
    from gridmod.excel import export_workbook
    from gridmod.excel.export import filing_profile

    root = _root()
    folder = path.resolve()
    meta, _ = filing_profile(folder, root)
    # The default name from the filing's metadata only when both values are plain codes, never a path.
    named = [str(meta.get(key, "")) for key in ("utility", "filing_id")]
    plain = all(re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", value) for value in named)
    out = output or root / (f"{named[0]}-{named[1]}.xlsx" if plain else f"{folder.parent.name}-{folder.name}.xlsx")
    if out.suffix.lower() != ".xlsx":
        _fail_setup(f"{out} must end in .xlsx: gridmod writes Excel workbooks without macros.")
    result = export_workbook(folder, root, out)
    # Both paths as the current folder sees them, so the printed import command runs from here as it is.
    book, rel = _here(out), _here(folder)
    rows = ", ".join(f"{name} ({n} row{'' if n == 1 else 's'})" for name, n in result.rows.items())
    click.echo(
        f"Wrote {book} for {_shown_path(folder, root)} (profile {result.profile.name} "
        f"{result.profile.version}): {rows}."
    )
    click.echo(f"Fill it in, save it as .xlsx, then: gridmod excel import {book} {rel}")
    click.echo("Keep the workbook out of the pull request: the CSV files are the filing.")


@excel.command("import")
@click.argument("book", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def excel_import(book: Path, path: Path) -> None:
    """Read BOOK into the CSV tables of the filing at PATH, then check the filing.

    BOOK must come from `gridmod excel export` for the same filing and profile version. Problems in the
    tables are named by sheet and cell (e.g. costs!E14) with the rule's code and fix. Exit 0 when the
    filing has no errors, 1 when it has or when the workbook is unsafe to open (macros, links to other
    files, data connections, oversized parts), 2 when it belongs to another profile version or filing.
    """
    from gridmod.excel import import_workbook, locate_findings
    from gridmod.findings import Report
    from gridmod.formats import format_text
    from gridmod.validate import PHASES, validate_filing

    root = _root()
    folder = path.resolve()
    result = import_workbook(book, folder, root)
    rel = _shown_path(folder, root)
    written = ", ".join(f"{t.path} ({t.records} row{'' if t.records == 1 else 's'})" for t in result.tables.values())
    click.echo(f"Imported {book.name} into {rel}: {written}; datapackage.json stamped.")
    for note in result.notes:
        click.echo(f"  Note: {note}")
    for added in result.added:
        click.echo(f"  Added {rel}/{added} for a new activity: write its narrative there.")
    from gridmod.scaffold import unwritten_narratives

    for unwritten in unwritten_narratives(folder, result.profile):
        click.echo(f"  To do: {rel}/{unwritten} holds only the guidance notes; write the section there.")
    item = validate_filing(folder, root, PHASES[:2])
    located = locate_findings(result, item.result, item.filing.rel)
    click.echo(format_text(Report([located])), nl=False)
    click.echo(f"Checked structure and content; `gridmod validate {rel}` runs every check.")
    sys.exit(0 if located.valid else 1)


@main.group("import")
def import_group() -> None:
    """Read a utility's own downloads into the tables of a filing."""


@import_group.command("ica")
@click.option(
    "--from",
    "utility",
    required=True,
    type=click.Choice(["pge", "sce", "sdge"]),
    help="Whose download it is: the mapping validation/<profile>/<version>/import/<utility>.yaml reads it.",
)
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.argument("filing", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_ica(utility: str, sources: tuple[Path, ...], filing: Path) -> None:
    """Read native ICA files (CSV, GeoJSON, shapefile, File Geodatabase, hourly gica_MM_HH CSV) into FILING.

    FILING is made first with `gridmod new UTILITY FILING --profile ica-biannual`. The tables the files fill
    are replaced; values that cannot be mapped are listed by file, row and field, and their rows refused.
    Exit 0 when every row was mapped, 1 when any was refused or a file cannot be read, 2 on setup problems.
    """
    from gridmod.imports import format_summary
    from gridmod.imports import import_ica as run

    root = _root()
    result = run(utility, list(sources), filing.resolve(), root)
    click.echo(format_summary(result, _shown_path(filing.resolve(), root)), nl=False)
    sys.exit(0 if result.ok else 1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 to serve on; 0 picks a free one.",
)
@click.option(
    "--stamp", is_flag=True, help="Record sizes and hashes in datapackage.json whenever a file of the filing changes."
)
@click.option("--full", is_flag=True, help="Also run the slower expectations phase on every rebuild.")
def serve(paths: tuple[Path, ...], port: int, stamp: bool, full: bool) -> None:
    """Preview filings and the site on http://127.0.0.1:PORT/, rebuilt whenever a file changes.

    Every page shows the current validation findings; filings with errors are listed there until they are
    fixed. Default: every filing under data/. Stop with Ctrl+C.
    """
    from gridmod.serve import Preview
    from gridmod.validate import PHASES

    root = _root()
    targets = _paths(root, paths)
    preview = Preview(
        root,
        targets,
        port=port,
        stamp=stamp,
        phases=PHASES if full else PHASES[:2],
        on_event=lambda message: click.echo(message, err=True),
    )
    try:
        preview.start()
    except OSError as exc:
        preview.stop()
        _fail_setup(f"cannot serve on 127.0.0.1:{port} ({exc.strerror or exc}); try another --port.")
    click.echo(f"Serving the preview on {preview.url} - press Ctrl+C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        preview.stop()
