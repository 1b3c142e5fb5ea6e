"""Text edits in code-point offsets, applied by slicing so that every byte
outside an edit (CRLF, tabs, non-ASCII, comments) stays as it was."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Edit:
    start: int
    end: int
    text: str

    def overlaps(self, other: Edit) -> bool:
        if self.start == self.end == other.start == other.end:
            return False  # two insertions at one point keep their order
        return self.start < other.end and other.start < self.end


class EditConflict(Exception):
    pass


def conflicts(edits: Iterable[Edit], others: Iterable[Edit]) -> bool:
    others = list(others)
    return any(e.overlaps(o) for e in edits for o in others)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; insertions at the same point keep their order."""
    ordered = sorted(enumerate(edits), key=lambda pair: (pair[1].start, pair[1].end, pair[0]))
    pieces: list[str] = []
    cursor = 0
    for _, edit in ordered:
        if edit.start < cursor:
            raise EditConflict(f"overlapping edits at offset {edit.start}")
        pieces.append(text[cursor:edit.start])
        pieces.append(edit.text)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)
