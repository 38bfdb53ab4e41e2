-- Last line of defence between the filer's Markdown and the output formats (run by pandoc for
-- PDF/Typst, DOCX and HTML alike):
--  * images become their description: a report must not fetch anything (no network, no files
--    outside the package), and PDF/UA needs real alt text, which a filer's image rarely has;
--  * links keep only https and mailto targets, and internal links only when the target
--    exists (Typst refuses to compile a link to a missing label);
--  * headings nested in lists, quotes or tables become bold paragraphs, and no heading is more
--    than one level below the previous one: PDF/UA-1 forbids skipped heading levels;
--  * every element keeps only its identifier and the classes the templates use: no key-value
--    attribute reaches any output (in HTML `onfocus=…` or `style=…`, in Typst `typst:…` properties).

local ids = {}

-- The only classes the report templates give their own elements; a filer's other classes are dropped.
local CLASSES = { ["sample-notice"] = true, unnumbered = true, unlisted = true }

local function clean_attr(el)
  local classes = {}
  for _, class in ipairs(el.classes) do
    if CLASSES[class] then table.insert(classes, class) end
  end
  el.attr = pandoc.Attr(el.identifier, classes, {})
  return el
end

local function collect_ids(doc)
  doc:walk({
    Header = function(el) if el.identifier ~= "" then ids[el.identifier] = true end end,
    Div = function(el) if el.identifier ~= "" then ids[el.identifier] = true end end,
    Span = function(el) if el.identifier ~= "" then ids[el.identifier] = true end end,
  })
end

local function safe_target(target)
  if target:sub(1, 1) == "#" then
    return ids[target:sub(2)] == true
  end
  local lower = target:lower()
  -- https and e-mail only: a plain http address can be read or changed on the way
  return lower:match("^https://") ~= nil or lower:match("^mailto:") ~= nil
end

local function image_text(el)
  local text = pandoc.utils.stringify(el.caption)
  if text == "" then text = "image" end
  return pandoc.Emph({ pandoc.Str("[Image not reproduced: " .. text .. "]") })
end

local function link(el)
  if safe_target(el.target) then return clean_attr(el) end
  return el.content
end

local function flatten_headers(block)
  return block:walk({
    Header = function(h) return pandoc.Para({ pandoc.Strong(h.content) }) end,
  })
end

local function clamp_levels(blocks)
  local previous = 0
  local out = {}
  for _, block in ipairs(blocks) do
    if block.t == "Header" then
      if block.level > previous + 1 then block.level = previous + 1 end
      previous = block.level
      table.insert(out, block)
    else
      table.insert(out, flatten_headers(block))
    end
  end
  return out
end

return {
  { Span = clean_attr, Div = clean_attr, Code = clean_attr, CodeBlock = clean_attr, Header = clean_attr,
    Table = clean_attr, Figure = clean_attr },
  { Pandoc = function(doc) collect_ids(doc) end },
  { Image = image_text, Link = link },
  { Pandoc = function(doc) doc.blocks = clamp_levels(doc.blocks); return doc end },
}
