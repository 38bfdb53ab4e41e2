"""The public MkDocs Material site: filings, rule catalogue and data dictionary, generated from the data.

`build_site` is the one entry point the build calls; `write_docs` generates the Markdown pages alone
(for a live preview that runs MkDocs itself).
"""

from gridmod.site import diff as _changes  # noqa: F401 - registers the pages of changes between filings
from gridmod.site import ica as _ica  # noqa: F401 - registers the ICA pages
from gridmod.site.build import SiteError, build_site
from gridmod.site.pages import write_docs

__all__ = ["SiteError", "build_site", "write_docs"]
