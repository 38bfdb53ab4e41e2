"""The public MkDocs Material site: filings, rule catalogue and data dictionary, generated from the data.

The build calls `gridmod.site.prepare.prepare_editions` after rendering (downloads, report fragments: the
work that needs pandoc and polars) and then `build_site` (pages and MkDocs); `write_docs` generates the
Markdown pages alone, preparing any filing that has no edition yet.
"""

from gridmod.site.build import SiteError, build_site
from gridmod.site.pages import write_docs

__all__ = ["SiteError", "build_site", "write_docs"]
