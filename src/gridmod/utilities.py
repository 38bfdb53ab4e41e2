"""The three investor-owned utilities that file in R.21-06-017, as the CPUC names them."""

from __future__ import annotations

from typing import NamedTuple


class Utility(NamedTuple):
    legal: str
    short: str


UTILITIES = {
    "pge": Utility("Pacific Gas and Electric Company", "PG&E"),
    "sce": Utility("Southern California Edison Company", "SCE"),
    "sdge": Utility("San Diego Gas & Electric Company", "SDG&E"),
}


def utility(code: str) -> Utility:
    """Names of a utility code; an unknown code stands for itself."""
    return UTILITIES.get(code, Utility(code.upper(), code.upper()))
