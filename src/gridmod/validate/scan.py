"""One streaming pass over a resource file: size, SHA-256, and whether it is clean UTF-8 text.

Large tables are read once, in blocks, whatever their size.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

BLOCK = 1 << 20


@dataclass
class Scan:
    size: int
    digest: str  # "sha256:<hex>", as datapackage.json records it
    text_problem: tuple[str, int] | None  # (what, line) when the text is not clean UTF-8


def scan_file(path: Path, text: bool = True) -> Scan:
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size = 0
    lines = 1
    problem: tuple[str, int] | None = None
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
            if text and problem is None:
                problem = _check_block(decoder, block, size, lines)
                lines += block.count(b"\n")
            size += len(block)
    if text and problem is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            problem = ("the file ends in the middle of a character", lines)
    return Scan(size, f"sha256:{digest.hexdigest()}", problem)


def _check_block(decoder: codecs.IncrementalDecoder, block: bytes, offset: int, lines: int) -> tuple[str, int] | None:
    nul = block.find(b"\x00")
    try:
        decoder.decode(block)
    except UnicodeDecodeError as exc:
        # exc.start counts from the undecoded bytes the decoder kept plus this block; close enough to
        # name the line, and the byte value tells the filer which character it was.
        position = max(exc.start - len(exc.object) + len(block), 0)
        if nul < 0 or position < nul:
            return (
                f"byte 0x{exc.object[exc.start]:02x} at position {offset + position}, not UTF-8",
                lines + block[:position].count(b"\n"),
            )
    if nul >= 0:
        return ("it contains NUL bytes", lines + block[:nul].count(b"\n"))
    return None
