"""Text edits in code-point offsets, applied by slicing so that every byte
outside an edit (CRLF, tabs, non-ASCII, comments) stays as it was."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter


@dataclass(frozen=True, order=True)
class Edit:
    start: int
    end: int
    text: str

    def overlaps(self, other: Edit) -> bool:
        if self.start == self.end == other.start == other.end:
            return False  # two insertions at one point keep their order
        return self.start < other.end and other.start < self.end


# Edit's own order (start, end, text), compared as a tuple in C: sorting the edits of a large
# file through the dataclass's generated ``__lt__`` was a tenth of the layout pass.
_ORDER = attrgetter("start", "end", "text")


class EditConflict(Exception):
    pass


class EditSet:
    """Edits accepted so far, kept sorted so that a new group's overlap test is
    logarithmic: a pass that accepts n groups costs O(n log n), not O(n^2)."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def _clashes(self, edit: Edit) -> bool:
        # Accepted spans never overlap, so their ends are sorted too: only the span
        # just before ``edit`` and those starting inside it can overlap it.
        index = bisect_left(self._spans, (edit.start, edit.start))
        if index and edit.overlaps(Edit(*self._spans[index - 1], "")):
            return True
        while index < len(self._spans) and self._spans[index][0] <= edit.end:
            if edit.overlaps(Edit(*self._spans[index], "")):
                return True
            index += 1
        return False

    def touches(self, start: int, end: int) -> bool:
        """An accepted edit replaces part of ``[start, end)`` or inserts strictly inside it."""
        return self._clashes(Edit(start, end, ""))

    def add(self, edits: list[Edit]) -> bool:
        """Accept ``edits`` if none overlaps an accepted edit or another of them."""
        ordered = sorted(set(edits), key=_ORDER)
        if any(a.overlaps(b) for a, b in zip(ordered, ordered[1:])):
            return False
        if any(self._clashes(edit) for edit in ordered):
            return False
        for edit in ordered:
            insort(self._spans, (edit.start, edit.end))
        return True


def conflicts(edits: Iterable[Edit], others: Iterable[Edit]) -> bool:
    accepted = EditSet()
    accepted.add(list(others))
    return not accepted.add(list(edits))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; insertions at the same point keep their order."""
    ordered = sorted(enumerate(edits), key=lambda pair: (pair[1].start, pair[1].end, pair[0]))
    pieces: list[str] = []
    cursor = 0
    for _, edit in ordered:
        if edit.start < cursor or edit.end > len(text) or edit.start < 0:
            raise EditConflict(f"overlapping or misplaced edit at offset {edit.start}")
        pieces.append(text[cursor:edit.start])
        pieces.append(edit.text)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def apply_in_span(text: str, start: int, end: int, edits: Iterable[Edit]) -> str:
    """``text[start:end]`` with ``edits`` (in ``text``'s offsets, all inside the span) applied:
    the new text of a construct whose edits move elsewhere."""
    return apply_edits(text[start:end], [Edit(e.start - start, e.end - start, e.text) for e in edits])


class OffsetMap:
    """Where a position of the edited text was before ``edits`` were applied.

    A position inside new text maps to the start of the edit that wrote it.  A
    position on the boundary of a deleted span maps after it, or before it when
    ``left`` is asked for (the end of a span that stops where a deletion starts)."""

    def __init__(self, edits: Iterable[Edit]) -> None:
        ordered = sorted(edits, key=lambda e: (e.start, e.end))
        self._old_starts = [e.start for e in ordered]
        self._old_ends = [e.end for e in ordered]
        self.new_starts: list[int] = []
        self.spans: list[tuple[int, int, int, int]] = []  # new start, new end, old start, delta after
        delta = 0
        for edit in ordered:
            new_start = edit.start + delta
            delta += len(edit.text) - (edit.end - edit.start)
            self.new_starts.append(new_start)
            self.spans.append((new_start, new_start + len(edit.text), edit.start, delta))

    def new(self, offset: int) -> int:
        """Where ``offset`` of the text before the edits is after them (a position outside
        every edited span; one inside maps to the end of the edit's new text)."""
        index = bisect_right(self._old_starts, offset) - 1
        if index < 0:
            return offset
        new_start, new_end, old_start, delta = self.spans[index]
        old_end = self._old_ends[index]
        if offset < old_end:
            return new_end if offset > old_start else new_start
        return offset + delta

    def old(self, offset: int, left: bool = False) -> int:
        index = bisect_right(self.new_starts, offset) - 1
        if index < 0:
            return offset
        if left:
            first = bisect_left(self.new_starts, offset)
            if first <= index and self.new_starts[first] == offset:
                return self.spans[first][2]  # before whatever the edits at this point wrote or deleted
        new_start, new_end, old_start, delta = self.spans[index]
        if offset < new_end:
            return old_start
        return offset - delta
