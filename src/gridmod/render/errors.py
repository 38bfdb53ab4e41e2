"""The one exception of the renderer: the tools cannot produce the report (not a data problem)."""

from gridmod.errors import GridmodError


class RenderError(GridmodError):
    """pandoc or Typst failed, or the report templates are broken; the message says which, plainly."""
