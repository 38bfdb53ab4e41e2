-- HTML report only (after safe.lua): every body cell of a table carries its column's name as
-- data-label, and a long value the class wide, so that report.css can show a table as one block per
-- row on a phone, each value under its column's name, without a script (the report's
-- Content-Security-Policy allows none). Explicit ARIA table roles keep the table a table for screen
-- readers when CSS displays its parts as blocks.

local function set_role(el, role)
  el.attr = pandoc.Attr(el.identifier, el.classes, { { "role", role } })
end

function Table(tbl)
  local rows = tbl.head.rows
  if #rows == 0 then return nil end
  local names = {}
  for _, cell in ipairs(rows[#rows].cells) do
    local name = pandoc.utils.stringify(cell.contents)
    for _ = 1, cell.col_span do table.insert(names, name) end
  end
  set_role(tbl, "table")
  set_role(tbl.head, "rowgroup")
  for _, row in ipairs(rows) do
    set_role(row, "row")
    for _, cell in ipairs(row.cells) do set_role(cell, "columnheader") end
  end
  for _, body in ipairs(tbl.bodies) do
    body.attr = pandoc.Attr(body.attr.identifier, body.attr.classes, { { "role", "rowgroup" } })
    for _, row in ipairs(body.body) do
      set_role(row, "row")
      local column = 1
      for i, cell in ipairs(row.cells) do
        local role = i <= body.row_head_columns and "rowheader" or "cell"
        -- a long value (a name, a sentence) takes the block's whole width on a phone
        local classes = #pandoc.utils.stringify(cell.contents) > 28 and { "wide" } or {}
        -- attributes as a list of pairs: a Lua table's keys come in no fixed order, and the same report
        -- must give the same bytes
        cell.attr = pandoc.Attr(cell.identifier, classes, { { "role", role }, { "label", names[column] or "" } })
        column = column + cell.col_span
      end
    end
  end
  return tbl
end
