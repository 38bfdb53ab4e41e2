"""Why the site cannot be built: a page that cannot be generated, or the site as a whole."""

from gridmod.errors import GridmodError


class PageError(GridmodError):
    """A page cannot be generated; the message names the filing or template."""


class SiteError(GridmodError):
    """The site cannot be built; the message says why in plain words."""
