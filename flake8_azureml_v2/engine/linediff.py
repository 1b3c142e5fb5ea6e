"""Line diffs that show an unchanged line as unchanged, at difflib's speed.

difflib's matcher treats a line that makes up more than 1% of a long text as junk (a
blank line, a repeated comment): it is never matched on its own, so an unchanged one
shows as removed and added again.  Matching without that heuristic takes minutes on a
long file.  So the texts are matched with it first, then each changed block again
without it: the blocks are small, and what they share is matched exactly.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

Opcode = tuple[str, int, int, int, int]

# A changed block is matched again when lines(old) * lines(new) is at most this: the exact
# matcher's cost grows with that product.
REFINED_UP_TO = 250_000


class LineMatcher(difflib.SequenceMatcher):
    """``difflib.SequenceMatcher`` over lines, whose changed blocks are matched exactly."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        super().__init__(None, old, new)  # type: ignore[arg-type]
        self._refined: list[Opcode] | None = None

    def get_opcodes(self) -> list[Opcode]:
        if self._refined is None:
            found: list[Opcode] = []
            for tag, i1, i2, j1, j2 in super().get_opcodes():
                if tag == "replace" and (i2 - i1) * (j2 - j1) <= REFINED_UP_TO:
                    exact = difflib.SequenceMatcher(None, self.a[i1:i2], self.b[j1:j2], autojunk=False)
                    for inner, a1, a2, b1, b2 in exact.get_opcodes():
                        _append(found, (inner, i1 + a1, i1 + a2, j1 + b1, j1 + b2))
                else:
                    _append(found, (tag, i1, i2, j1, j2))
            self._refined = found
        return self._refined


def _append(opcodes: list[Opcode], opcode: Opcode) -> None:
    """Add ``opcode``, joined to the one before when both are equal runs."""
    if opcodes and opcodes[-1][0] == "equal" == opcode[0]:
        tag, i1, _, j1, _ = opcodes[-1]
        opcodes[-1] = (tag, i1, opcode[2], j1, opcode[4])
    else:
        opcodes.append(opcode)


def grouped(old: Sequence[str], new: Sequence[str], context: int) -> list[list[Opcode]]:
    """The changed places with ``context`` lines around each, as difflib groups them."""
    return list(LineMatcher(old, new).get_grouped_opcodes(context))


def unified(old: Sequence[str], new: Sequence[str], fromfile: str, tofile: str, context: int = 3) -> Iterator[str]:
    """``difflib.unified_diff(old, new, fromfile, tofile)``, its lines matched by :class:`LineMatcher`."""
    for number, group in enumerate(grouped(old, new, context)):
        if number == 0:
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in old[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in old[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in new[j1:j2])


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it: ``first,count`` (``first`` alone for one line)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"
