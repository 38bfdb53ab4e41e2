"""Data tables generated as HTML: a caption, header cells with their scope, numbers aligned right.

Charts carry their data table beside them, and comparison tables come from several filings at once; both
are written here as HTML rather than Markdown so that they can have a caption, row headers and `scope`.
Every cell is escaped as HTML; the page template places the result as it is.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass
class DataTable:
    caption: str
    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    # The first cell of each row names the row (<th scope="row">), e.g. the utility or the year.
    row_headers: bool = True
    # Long tables get the filter box and sortable headers of gridmod-tables.js.
    filterable: bool = False

    def html(self) -> Markup:
        e = html.escape
        out = ["<table" + (' data-gridmod-filter=""' if self.filterable else "") + ">"]
        out.append(f"<caption>{e(self.caption)}</caption>")
        out.append("<thead><tr>")
        for column in self.columns:
            align = ' style="text-align: right;"' if column.numeric else ""
            out.append(f'<th scope="col"{align}>{e(column.label)}</th>')
        out.append("</tr></thead><tbody>")
        for row in self.rows:
            out.append("<tr>")
            for i, (cell, column) in enumerate(zip(row, self.columns, strict=True)):
                align = ' style="text-align: right;"' if column.numeric else ""
                if i == 0 and self.row_headers:
                    out.append(f'<th scope="row"{align}>{e(cell)}</th>')
                else:
                    out.append(f"<td{align}>{e(cell)}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        return Markup("".join(out))
