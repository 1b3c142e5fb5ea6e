"""Line maps between a program and the fixer's version of it.

The fixer keeps every byte outside its edits, so the lines it did not touch
appear unchanged and in the same order in its output.  :class:`LineMap` pairs
them with a patience alignment (lines that occur once on each side are anchors,
taken in increasing order, and the gaps between anchors are aligned the same
way), which costs O(n log n) on n lines, and maps a position on either side to
the other: exactly on an unchanged line (also one a fix moved elsewhere), and to
the matching line of the edited block otherwise.  Columns are 0-based UTF-8 byte offsets, as flake8 counts them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def lines_of(text: str) -> list[str]:
    """Physical lines as Python counts them (CR, LF and CRLF end a line), breaks kept."""
    return [line for line in _LINE.findall(text) if line]


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by their second item) whose first items increase."""
    tails: list[int] = []  # tails[k]: the smallest first item ending a run of length k + 1
    ends: list[int] = []  # index into pairs of that run's last pair
    back: list[int] = [-1] * len(pairs)
    for index, (first, _) in enumerate(pairs):
        at = bisect.bisect_left(tails, first)
        if at == len(tails):
            tails.append(first)
            ends.append(index)
        else:
            tails[at] = first
            ends[at] = index
        back[index] = ends[at - 1] if at else -1
    run: list[tuple[int, int]] = []
    index = ends[-1] if ends else -1
    while index != -1:
        run.append(pairs[index])
        index = back[index]
    return run[::-1]


def align(old: list[str], new: list[str]) -> list[int | None]:
    """For each line of ``new``, the index of the same line in ``old``, or None."""
    matched: list[int | None] = [None] * len(new)
    ranges = [(0, len(old), 0, len(new))]
    while ranges:
        alo, ahi, blo, bhi = ranges.pop()
        while alo < ahi and blo < bhi and old[alo] == new[blo]:
            matched[blo] = alo
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and old[ahi - 1] == new[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            matched[bhi] = ahi
        if alo == ahi or blo == bhi:
            continue
        in_old = Counter(old[alo:ahi])
        in_new = Counter(new[blo:bhi])
        where = {old[i]: i for i in range(alo, ahi) if in_old[old[i]] == 1}
        pairs = [(where[new[j]], j) for j in range(blo, bhi) if in_new[new[j]] == 1 and new[j] in where]
        anchors = _increasing(pairs)
        if not anchors:
            continue
        previous_a, previous_b = alo, blo
        for a, b in anchors:
            matched[b] = a
            ranges.append((previous_a, a, previous_b, b))
            previous_a, previous_b = a + 1, b + 1
        ranges.append((previous_a, ahi, previous_b, bhi))
    return matched


def _common_prefix(a: bytes, b: bytes) -> int:
    size = min(len(a), len(b))
    i = 0
    while i < size and a[i] == b[i]:
        i += 1
    return i


def _nearest(matched: list[int | None]) -> tuple[list[int], list[int]]:
    """For each index, the nearest matched index at or before it (-1 if none) and at or after it."""
    size = len(matched)
    before, after = [-1] * size, [size] * size
    last = -1
    for i in range(size):
        if matched[i] is not None:
            last = i
        before[i] = last
    last = size
    for i in range(size - 1, -1, -1):
        if matched[i] is not None:
            last = i
        after[i] = last
    return before, after


def _moved(matched: list[int | None], here: list[str], other_matched: list[int | None],
           there: list[str]) -> dict[int, int]:
    """Lines left unpaired because they changed places (a fix moved a statement): an unpaired
    line that occurs once on each side, and unpaired there too, is that line moved."""
    loose_here = Counter(here[i] for i, m in enumerate(matched) if m is None)
    loose_there: dict[str, list[int]] = {}
    for i, m in enumerate(other_matched):
        if m is None:
            loose_there.setdefault(there[i], []).append(i)
    return {i: loose_there[here[i]][0] for i, m in enumerate(matched)
            if m is None and loose_here[here[i]] == 1 and len(loose_there.get(here[i], ())) == 1}


class LineMap:
    """Positions between ``old`` and ``new``, two versions of one text."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = lines_of(old), lines_of(new)
        forward = align(self.old, self.new)
        backward: list[int | None] = [None] * len(self.old)
        for b, a in enumerate(forward):
            if a is not None:
                backward[a] = b
        self._maps = {True: (forward, self.new, self.old, *_nearest(forward)),
                      False: (backward, self.old, self.new, *_nearest(backward))}
        self._moved = {True: _moved(forward, self.new, backward, self.old),
                       False: _moved(backward, self.old, forward, self.new)}

    def back(self, line: int, col: int) -> tuple[int, int]:
        """Where (line, col) of ``new`` (1-based line, 0-based byte column) was in ``old``."""
        return self._map(line, col, to_old=True)

    def forward(self, line: int, col: int) -> tuple[int, int]:
        """Where (line, col) of ``old`` is in ``new``."""
        return self._map(line, col, to_old=False)

    def _map(self, line: int, col: int, to_old: bool) -> tuple[int, int]:
        matched, here, there, before, after = self._maps[to_old]
        index = line - 1
        if not 0 <= index < len(matched):
            return max(1, min(line, len(there))), col
        found = matched[index]
        if found is None:
            found = self._moved[to_old].get(index)
        if found is not None:
            return found + 1, col
        # An edited block: the lines between the nearest matched neighbours.
        previous, following = before[index], after[index]
        start_here = previous + 1
        start_there = matched[previous] + 1 if previous >= 0 else 0  # type: ignore[operator]
        end_there = matched[following] if following < len(matched) else len(there)
        if start_there >= end_there:  # nothing there: the block was inserted (or deleted) whole
            return min(start_there, max(len(there) - 1, 0)) + 1, 0
        target = min(start_there + (index - start_here), end_there - 1)  # type: ignore[operator]
        same = _common_prefix(here[index].encode("utf-8"), there[target].encode("utf-8"))
        return target + 1, min(col, same)
