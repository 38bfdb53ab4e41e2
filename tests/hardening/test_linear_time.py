"""The code that reads a filer's Markdown takes time in proportion to its size: a megabyte-long line that
defeats a backtracking pattern (a heading of spaces and #, a line of backticks, a heading of braces) goes
through the validator's and the renderer's scanners in seconds, not hours. Each case used to take time
quadratic or cubic in the line's length; a 1 MB line would have taken hours."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from gridmod.narrative import code_spans, sections_of
from gridmod.render.narrative import prepare_narrative, split_activity_narrative

SIZE = 1_000_000
LINES = {
    "spaces in a level-2 heading": "## " + " " * SIZE + "x",
    "hashes and spaces in a heading": "## " + "# " * (SIZE // 2) + "x",
    "tabs and spaces in a level-1 heading": "# a" + " \t" * (SIZE // 2) + "b",
    "closing hashes after spaces": "# x" + " " * (SIZE // 2) + "#" * (SIZE // 2) + "y",
    "a heading of braces": "### x " + "{" * (SIZE // 2) + "}" * (SIZE // 2),
    "backticks only": "`" * SIZE,
    "runs of backticks of every length": "a".join("`" * n for n in range(1, 1400)),
    "backtick and space": "` " * (SIZE // 2),
}
ELEMENTS = [{"id": "description", "heading": "Description and status"}]


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail instead of hanging: 30 s for what a linear scan does in well under one on this machine."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("took more than 30 s: the scan is not linear in the line's length")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", sorted(LINES))
def test_a_megabyte_line_is_read_in_seconds(name: str, deadline: None) -> None:
    line = LINES[name]
    text = "## Description and status\n\nText.\n\n" + line + "\n"
    _, sections = sections_of(text)
    assert sections[0].heading == "Description and status"
    spans = code_spans(line)
    assert all(0 <= start < end <= len(line) for start, end in spans)
    rendered = prepare_narrative(text, 3, "n")
    assert "Text." in rendered
    split = split_activity_narrative(text, ELEMENTS, 5, "a")
    assert "Text." in split.sections["description"]


def test_code_spans_are_read_as_commonmark_reads_them() -> None:
    assert code_spans("a `b` c ``d ` e`` f") == [(2, 5), (8, 17)]
    assert code_spans("``a`") == []  # an opening run nothing closes is text, and so is the lone ` after it
    assert code_spans("`a``b`") == [(0, 6)]  # a run of another length does not close the span
