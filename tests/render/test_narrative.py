"""Narratives fit the report outline: split by element, headings demoted without gaps, nothing left open."""

from __future__ import annotations

from gridmod.render.narrative import prepare_narrative, split_activity_narrative

ELEMENTS = [
    {"id": "description", "number": 1, "heading": "Description and status"},
    {"id": "milestones", "number": 2, "heading": "Key milestones achieved, including timelines"},
    {"id": "benefits", "number": 3, "heading": "Benefits realized and current use cases"},
]


def split(text: str):
    return split_activity_narrative(text, ELEMENTS, base_level=5, note_prefix="act")


def test_sections_by_element_heading_in_any_order_and_case():
    parts = split(
        "# ADMS\n\nIntro.\n\n## benefits REALIZED and current use-cases\n\nFaster.\n\n"
        "## Description and status\n\nIn progress.\n"
    )
    assert parts.preamble == "Intro."  # the file's own level-1 title is dropped
    assert parts.sections == {"benefits": "Faster.", "description": "In progress."}


def test_filer_headings_move_below_the_element_heading_without_skipping_levels():
    parts = split("## Description and status\n\n### Scope\n\ntext\n\n###### Detail\n\nmore\n\n#### Back\n")
    assert parts.sections["description"] == "##### Scope\n\ntext\n\n###### Detail\n\nmore\n\n###### Back"


def test_unknown_level_two_heading_stays_inside_its_section():
    parts = split("## Description and status\n\nA\n\n## Vendor selection\n\nB\n")
    assert parts.sections["description"] == "A\n\n##### Vendor selection\n\nB"


def test_headings_inside_code_fences_are_code():
    parts = split("## Description and status\n\n```\n## Benefits realized and current use cases\n```\n")
    assert "benefits" not in parts.sections
    assert parts.sections["description"] == "```\n## Benefits realized and current use cases\n```"


def test_setext_headings_are_recognised_and_demoted():
    text = prepare_narrative("Plan\n====\n\nBody\n\nScope\n-----\n\nMore\n", base_level=3, note_prefix="n")
    assert text == "Body\n\n### Scope\n\nMore"


def test_unclosed_fence_is_closed_at_the_end_of_its_part():
    parts = split("## Description and status\n\n~~~~\ncode\n\n")
    assert parts.sections["description"] == "~~~~\ncode\n~~~~"


def test_raw_blocks_become_code_and_executable_cells_plain_code():
    parts = split("## Description and status\n\n```{=typst}\n#x\n```\n\n```{python}\nprint(1)\n```\n\n`x`{=html}\n")
    assert parts.sections["description"] == "```\n#x\n```\n\n```python\nprint(1)\n```\n\n`x`\\{=html}"


def test_footnotes_are_namespaced_per_narrative():
    text = prepare_narrative("A[^1] and `[^1]`.\n\n[^1]: Note.\n", base_level=3, note_prefix="intro")
    assert text == "A[^intro-1] and `[^1]`.\n\n[^intro-1]: Note."


def test_divs_metadata_blocks_and_shortcodes_are_text():
    text = prepare_narrative("::: warning\nx\n:::\n\n---\ntitle: x\n---\n\n{{< meta title >}}\n", 3, "n")
    assert text == "\\::: warning\nx\n\\:::\n\n* * *\ntitle: x\n---\n\n{{\\< meta title >}}"


def test_direction_changing_characters_show_as_their_code_point() -> None:
    from gridmod.render.narrative import prepare_narrative

    rendered = prepare_narrative("The DERMS \u202eevil\u202c program.\n", 3, "n")
    assert "DERMS [U+202E]evil[U+202C] program." in rendered and "\u202e" not in rendered
