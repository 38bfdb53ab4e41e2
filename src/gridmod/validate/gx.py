"""The great-expectations adapter: expectation suites run on polars frames, and Data Docs when asked for.

Every profile's expectations (Appendix A plausibility, drift of either profile against the previous filing)
run through Suites, so there is one place that knows great-expectations' context, batches and Data Docs. The
Data Docs folder is the validation run's (gridmod.validate.Run), handed down explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import polars as pl


class Suites:
    """Runs expectation suites on polars frames in one in-memory great-expectations context."""

    def __init__(self, prefix: str, docs: Path | None, top: Path | None = None) -> None:
        """`docs`: where this context's Data Docs site goes (None: no Data Docs); `top`: the folder of every
        filing's site, whose index lists them all (the run's --data-docs folder)."""
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self.gx = gx
        # In memory only: validation writes nothing unless Data Docs are asked for.
        config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False))
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        from gridmod.validate.datadocs import safe_name

        self.prefix = safe_name(prefix)  # suite names reach the Data Docs' pages
        self.top = top
        if docs is not None and top is not None and docs.resolve() == top.resolve():
            # Handed the folder of all Data Docs: this context's site goes in its own subfolder, so that
            # sites of several filings never overwrite each other's index.
            docs = top / self.prefix
        self.docs = docs
        if docs is not None:
            docs.mkdir(parents=True, exist_ok=True)
            self.context.add_data_docs_site(
                "gridmod",
                {
                    "class_name": "SiteBuilder",
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs)},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )

    def run(self, name: str, frame: pl.DataFrame, expectations: list[Any], result_format: Any = "SUMMARY") -> list[Any]:
        """Results of `expectations` on `frame`, in the same order."""
        gx = self.gx
        asset = self.context.data_sources.add_pandas(f"{name}-source").add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe("whole")
        suite = self.context.suites.add(gx.ExpectationSuite(name=f"{self.prefix}.{name}", expectations=expectations))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{self.prefix}.{name}", data=batch, suite=suite)
        )
        result = definition.run(batch_parameters={"dataframe": frame.to_pandas()}, result_format=result_format)
        by_id = {r.expectation_config.id: r for r in result.results if r.expectation_config is not None}
        return [by_id[e.id] for e in suite.expectations]

    def write_docs(self) -> None:
        """Build this context's Data Docs site, and refresh the index of all sites."""
        if self.docs is not None:
            from gridmod.validate.datadocs import make_static, write_index

            self.context.build_data_docs()
            make_static(self.docs)
            if self.top is not None:
                write_index(self.top)


def money(value: float) -> str:
    return f"${value:,.0f}"
