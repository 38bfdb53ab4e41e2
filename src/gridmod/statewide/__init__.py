"""The statewide edition of a Grid Modernization filing cycle: tables across the utilities' filings with a
footnote for every figure, Energy Division's narrative, rendered as the utility reports are (PDF/UA, DOCX,
HTML, Quarto-compatible source) into reports/statewide/<cycle>.*, and shown on the site."""

from gridmod.statewide.model import StatewideModel, build_model, cycles
from gridmod.statewide.render import FOLDER, StatewideEdition, render_editions, render_statewide

__all__ = [
    "FOLDER",
    "StatewideEdition",
    "StatewideModel",
    "build_model",
    "cycles",
    "render_editions",
    "render_statewide",
]
