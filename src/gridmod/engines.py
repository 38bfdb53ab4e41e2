"""The engine registry: what each stage asks about a profile beyond its data.

A profile is data (validation/<profile>/<version>/); its `engine` (profile.yaml) names the small piece of
code it needs beyond that: its content checks, its report model and report templates, its web edition and
its site sections. Every stage (validate, render, web editions, site, diff, serve) finds that code here and
nowhere else, so a new profile is a folder of data plus, at most, one engine.

An engine's parts are named as "module:attribute" and imported when a stage first uses them: the site stage
must not load polars because the ICA engine's checks use it. Engines beyond the built-in ones are plugins:
a package declares an `Engine` under the entry-point group `gridmod.engines`, with the engine's name as the
entry point's name.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from gridmod.errors import SetupError
from gridmod.spec import Profile

GROUP = "gridmod.engines"


@dataclass(frozen=True)
class Engine:
    """What a profile's filings need beyond the shared stages; every part is a "module:attribute" name.

    - `checks(filing, profile, structure, earlier, run) -> Checked`: the content and expectations phases
      (`run`: gridmod.validate.Run, the phases to run and where Data Docs go);
    - `model(filing, profile, result)`: the report model the report and the site are made from;
    - `report`: folders below templates/report/ searched in order for the report templates ("" is the
      folder itself), holding report.qmd.j2;
    - `edition(built, reports_dir, folder) -> WebEdition`: what the site publishes of a filing;
    - `sections`: site sections (gridmod.site.sections.Section), called with this engine's filings only;
    - `filing_pages`: its filings get the site's filing pages, comparison and home-page figures;
    - `compare(old_folder, new_folder, root)`: what changed between two of its filings, for `gridmod diff` and
      the site's pages of changes (an object with `to_dict()` that gridmod.diff.formats knows); "" when its
      filings are not compared;
    - `summaries`: (table, "module:attribute") pairs: for each large table the engine checks across its rows,
      the summary of one part (gridmod.validate.large.Summarize), made by the validation stage's streaming
      pass while the part is in memory, so a table filed as a dataset is checked in bounded memory;
    - `distributed`: large tables whose checks also run on Spark (`gridmod validate --engine spark`): their cells
      by gridmod.validate.distributed, their rules across rows by the engine's own `checks`, which finds the
      table's rows on Spark in LargeTables.distributed.
    """

    name: str
    checks: str
    model: str
    edition: str
    report: tuple[str, ...] = ("",)
    sections: tuple[str, ...] = ()
    filing_pages: bool = False
    compare: str = ""
    summaries: tuple[tuple[str, str], ...] = ()
    distributed: tuple[str, ...] = ()

    def part(self, attribute: str) -> Any:
        """The object one of the "module:attribute" fields names, imported on first use."""
        return _resolve(self.name, getattr(self, attribute))

    def site_sections(self) -> list[Any]:
        return [_resolve(self.name, ref) for ref in self.sections]

    def part_summaries(self) -> dict[str, Any]:
        return {table: _resolve(self.name, ref) for table, ref in self.summaries}


BUILTIN = {
    "gmr": Engine(
        name="gmr",
        checks="gridmod.validate.gmr:check",
        model="gridmod.render.model:build_model",
        edition="gridmod.site.prepare:appendix_a_edition",
        sections=("gridmod.site.diff:changes_pages",),
        filing_pages=True,
        compare="gridmod.diff:compare_appendix_a",
    ),
    "ica": Engine(
        name="ica",
        checks="gridmod.ica.engine:check",
        model="gridmod.render.ica:build_ica_model",
        edition="gridmod.site.prepare:ica_edition",
        report=("ica", ""),
        sections=("gridmod.site.ica:ica_pages",),
        summaries=(("hourly", "gridmod.ica.hourly:summarize"),),
        distributed=("hourly",),
        compare="gridmod.diff.ica:compare_ica",
    ),
}


def _resolve(engine: str, ref: str) -> Any:
    module, _, attribute = ref.partition(":")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        raise SetupError(f"Engine {engine!r} names {ref}, which cannot be loaded: {exc}") from exc


@cache
def registered() -> dict[str, Engine]:
    """Every engine gridmod knows: the built-in ones, then those that installed packages declare (read once
    per process; `registered.cache_clear()` reads them again)."""
    engines = dict(BUILTIN)
    for point in entry_points(group=GROUP):
        if point.name in engines:
            continue  # a plugin cannot replace a built-in engine
        try:
            engine = point.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin is a setup problem, named
            raise SetupError(f"The engine plugin {point.name!r} ({point.value}) cannot be loaded: {exc}") from exc
        if not isinstance(engine, Engine) or engine.name != point.name:
            raise SetupError(
                f"The engine plugin {point.name!r} ({point.value}) is not a gridmod Engine named {point.name!r}."
            )
        engines[point.name] = engine
    return engines


def engine_of(profile: Profile) -> Engine:
    """The engine of a profile; SetupError when no registered engine has its name."""
    engines = registered()
    if profile.engine not in engines:
        raise SetupError(
            f"Profile {profile.name} {profile.version} names engine {profile.engine!r}, which "
            f"gridmod lacks (engines: {', '.join(sorted(engines))})."
        )
    return engines[profile.engine]
