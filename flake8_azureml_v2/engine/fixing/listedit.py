"""Editing comma-separated lists (call arguments, imported names) in place.

The edits touch only the element and its own comma, so keyword order,
comments between elements, trailing commas and line breaks all survive.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from ast_grep_py import SgNode

from ..source import line_break, line_start
from .edits import Edit
from .statements import comments

# Between elements: what is not one (a backslash at a line's end is a named node to ast-grep).
_TRIVIA = frozenset({"comment", "line_continuation"})
_SKIPPED = _TRIVIA | {",", "(", ")"}


@dataclass
class Element:
    node: SgNode
    keyword: str | None
    value: SgNode

    @property
    def start(self) -> int:
        return self.node.range().start.index

    @property
    def end(self) -> int:
        return self.node.range().end.index


def elements(container: SgNode) -> list[Element]:
    """The elements of an argument list or an import list, in order."""
    found = []
    for child in container.children():
        kind = child.kind()
        if kind in _SKIPPED or not child.is_named():
            continue
        if kind == "keyword_argument":
            found.append(Element(child, child.field("name").text(), child.field("value")))
        else:
            found.append(Element(child, None, child))
    return found


def _next_line(text: str, position: int) -> int:
    """Start of the line after the one holding ``position``."""
    end = line_break(text, position)
    return end + 2 if text.startswith("\r\n", end) else min(end + 1, len(text))


def _siblings(container: SgNode) -> list[SgNode]:
    return list(container.children())


def delete(text: str, container: SgNode, element: Element) -> list[Edit]:
    """Remove one element and the comma that belongs to it."""
    children = _siblings(container)
    position = next(i for i, c in enumerate(children) if c.range().start.index == element.start)
    after = next((c for c in children[position + 1:] if c.kind() not in _TRIVIA), None)
    if after is not None and after.kind() == ",":
        start, end = element.start, after.range().end.index
        while end < len(text) and text[end] in " \t":
            end += 1
        begin = line_start(text, start)
        if text[begin:start].strip() == "" and end < len(text) and text[end] in "\r\n":
            # the element had its lines to itself: remove them whole, keeping the comments inside
            # it (a list spread over lines, with a note on one of its items) as lines of their own
            end = _next_line(text, end)
            return [Edit(begin, end, _comment_lines(text[element.start:element.end], text[begin:start]))]
        elif end < len(text) and text[end] in "\r\n":
            while start > begin and text[start - 1] in " \t":  # no trailing blanks left behind
                start -= 1
        return [Edit(start, end, "")]
    before = next((c for c in reversed(children[:position]) if c.kind() not in _TRIVIA), None)
    if before is not None and before.kind() == ",":
        between = text[before.range().end.index:element.start]
        if "#" in between:
            comma = Edit(before.range().start.index, before.range().end.index, "")
            begin, stop = line_start(text, element.start), line_break(text, element.end)
            if text[begin:element.start].strip() == "" and text[element.end:stop].strip() == "" and stop < len(text):
                return [comma, Edit(begin, _next_line(text, stop), "")]  # its line goes whole, not its blanks alone
            return [comma, Edit(element.start, element.end, "")]
        start = before.range().start.index
        begin, stop = line_start(text, start), line_break(text, element.end)
        if text[begin:start].strip() == "" and text[element.end:stop].strip() == "" and stop < len(text):
            return [Edit(begin, _next_line(text, stop), "")]  # a leading comma's line goes whole
        blanks = start
        while blanks > 0 and text[blanks - 1] in " \t":
            blanks -= 1
        if blanks > 0 and text[blanks - 1] not in "\r\n":  # the blanks after the kept element go too
            start = blanks
        return [Edit(start, element.end, "")]
    return [Edit(element.start, element.end, "")]


def append(text: str, container: SgNode, new: list[str], newline: str, kept: list[Element] | None = None,
           removing: list[Edit] | None = None) -> list[Edit]:
    """Add elements at the end of an argument list, matching its layout.

    ``kept`` is the list as it will be once other edits removed elements, ``removing`` those
    edits: the comma after the last kept element, when they leave it, is a trailing comma."""
    if not new:
        return []
    children = _siblings(container)
    close = children[-1]
    items = elements(container) if kept is None else kept
    close_start = close.range().start.index
    if not items:
        every = elements(container)
        at = every[0].start if every else close_start  # all removed: the new ones take the first one's place
        return [Edit(at, at, ", ".join(new))]
    last = items[-1]
    trailing = next((c for c in children if c.kind() == "," and c.range().start.index >= last.end), None)
    if elements(container)[-1].start != last.start and (
            trailing is None or removing is None
            or any(e.start <= trailing.range().start.index < e.end for e in removing)):
        trailing = None  # the comma after ``last`` goes with the elements being removed
    between = text[last.end:close_start]
    multi_line = "\n" in between or "\r" in between
    if not multi_line:
        if trailing is not None:
            return [Edit(trailing.range().end.index, trailing.range().end.index, " " + ", ".join(new))]
        return [Edit(last.end, last.end, ", " + ", ".join(new))]
    indent_start = line_start(text, last.start)
    line = text[indent_start:last.start]
    indent = _blanks(line)
    if container.range().start.index >= indent_start:
        indent += " " * 4  # the last element shares the opening bracket's line: one level in from it
    if trailing is not None:
        anchor = line_break(text, trailing.range().end.index)
        block = "".join(f"{newline}{indent}{item}," for item in new)
        return [Edit(anchor, anchor, block)]
    anchor = line_break(text, last.end)
    block = "".join(f",{newline}{indent}{item}" for item in new)
    if "#" in text[last.end:anchor]:
        hash_at = last.end + text[last.end:anchor].index("#")
        if not any(e.start <= hash_at < e.end for e in removing or ()):  # (a comment the removal takes: review 85)
            return [Edit(last.end, last.end, ","), Edit(anchor, anchor, block[1:])]
    return [Edit(last.end, last.end, block)]


def prepend(text: str, container: SgNode, new: str, newline: str) -> Edit:
    """Add an element at the start of an argument list, matching its layout: on a line of
    its own when the first element starts a line after the bracket, else inline."""
    start = container.range().start.index + 1
    items = elements(container)
    if not items:
        return Edit(start, start, new)
    between = text[start:items[0].start]
    if between.strip() or ("\n" not in between and "\r" not in between):
        return Edit(start, start, f"{new}, ")
    indent = text[line_start(text, items[0].start):items[0].start]
    return Edit(start, start, f"{newline}{indent}{new},")


def _comment_lines(removed: str, indent: str) -> str:
    """The comments of whole lines being removed, kept as lines of their own."""
    if "#" not in removed:
        return ""
    newline = "\r\n" if "\r\n" in removed else "\r" if "\r" in removed and "\n" not in removed else "\n"
    return "".join(f"{indent}{comment}{newline}" for comment in comments(removed))


def _end_run(text: str, container: SgNode, kept: Element, first: Element, last: Element) -> list[Edit] | None:
    """Remove the elements from ``first`` to ``last``, which end the list after ``kept``, keeping
    the comments the plain deletion would drop: the comma after ``kept`` stays (a trailing comma),
    with what follows it on its line; the run's comments stay, each on a line of its own where
    the run began, and the closing bracket, which such a line would comment out, starts a line at
    the indentation of the line the list opens on.  None when the text is not laid out so."""
    close = container.range().end.index - 1
    between = text[kept.end:first.start]
    if close < last.end or text[close] not in ")]}" or not _has_separator(between) or not (
            "\n" in between or "\r" in between):
        return None  # (a run on the kept element's line: an element appended after it would go inside it; review 85)
    run = text[first.start:close]
    run_comments = comments(run) if "#" in run else []
    if not run_comments:
        opens, closes = line_start(text, first.start), line_start(text, close)
        if text[opens:first.start].strip() == "" and text[closes:close].strip() == "" and closes > first.start:
            return [Edit(opens, closes, "")]  # the run's lines go whole; the bracket keeps its own line
        return [Edit(first.start, close, "")]
    indent = _blanks(text[line_start(text, first.start):first.start])
    closing = _blanks(text[line_start(text, container.range().start.index):close])
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    body = newline.join([run_comments[0], *(f"{indent}{comment}" for comment in run_comments[1:])])
    return [Edit(first.start, close, body + newline + closing)]


def _has_separator(between: str) -> bool:
    """Whether ``between`` (the text up to the next element: blanks, line breaks and comments
    besides it) holds the comma that ends an element."""
    return any("," in line.split("#", 1)[0] for line in between.splitlines())


def _blanks(text: str) -> str:
    """The blanks ``text`` starts with (a line's indentation)."""
    return text[:len(text) - len(text.lstrip(" \t"))]


def _drops_comment(text: str, edits: list[Edit]) -> bool:
    return any("#" in text[e.start:e.end] and set(comments(text[e.start:e.end])) - set(comments(e.text))
               for e in edits)


def delete_many(text: str, container: SgNode, doomed: list[Element]) -> list[Edit]:
    """Remove several elements at once; neighbours that go together share their commas,
    which one-by-one deletions would each claim."""
    every = elements(container)
    starts = {e.start for e in doomed}
    edits: list[Edit] = []
    index = 0
    while index < len(every):
        if every[index].start not in starts:
            index += 1
            continue
        first = index
        while index + 1 < len(every) and every[index + 1].start in starts:
            index += 1
        last = index
        if first > 0 and last == len(every) - 1:  # a run at the end: from just after the last kept element
            plain = delete(text, container, every[first]) if first == last else [Edit(every[first - 1].end, every[last].end, "")]
            if _drops_comment(text, plain):
                plain = _end_run(text, container, every[first - 1], every[first], every[last]) or plain
            edits.extend(plain)
        elif first == last:
            edits.extend(delete(text, container, every[first]))
        elif last + 1 < len(every):  # a run followed by a kept element: up to that element
            start, kept = every[first].start, every[last + 1].start
            begin, kept_line = line_start(text, start), line_start(text, kept)
            if text[begin:start].strip() == "" and kept_line > begin:
                # whole lines go; the comments on them stay, each on its own line
                indent = text[begin:start]
                edits.append(Edit(begin, kept_line, _comment_lines(text[begin:kept_line], indent)))
                if text[kept_line:kept].strip():  # the run ends on the kept element's line: that part goes too
                    lead = len(text[kept_line:kept]) - len(text[kept_line:kept].lstrip())
                    edits.append(Edit(kept_line + lead, kept, ""))
            else:
                edits.append(Edit(start, kept, ""))
        else:  # everything goes, with a trailing comma
            end = every[last].end
            trailing = next((c for c in _siblings(container) if c.kind() == "," and c.range().start.index >= end), None)
            edits.append(Edit(every[first].start, trailing.range().end.index if trailing is not None else end, ""))
        index += 1
    return edits


def element_comments(text: str, start: int, end: int) -> tuple[list[tuple[int, int, str]], tuple[int, int, str] | None]:
    """The comments of an element that has its lines to itself (only its keyword before it on
    its first line): those inside ``text[start:end]``, and the one that ends its last line after
    its comma, as (start, end, comment); none when code shares its lines."""
    before = text[line_start(text, start):start]
    if not _OWN_LINE.fullmatch(before):
        return [], None
    inner = []
    if "#" in text[start:end]:
        starts = [start] + [start + i + 1 for i, c in enumerate(text[start:end]) if c == "\n"]
        try:
            lines = io.StringIO(text[start:end], newline="")
            for token in tokenize.generate_tokens(lines.readline):
                if token.type == tokenize.COMMENT:
                    at = starts[token.start[0] - 1] + token.start[1]
                    inner.append((at, at + len(token.string), token.string))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return [], None  # a value the tokenizer cannot read alone: its comments stay where they are
    rest = _TRAILING.match(text, end, line_break(text, end))
    trailing = None
    if rest is not None and rest.group(1):
        trailing = (rest.start(1), rest.end(1), rest.group(1))
    return inner, trailing


_OWN_LINE = re.compile(r"[ \t]*(?:\w+[ \t]*=[ \t]*)?")
_TRAILING = re.compile(r"[ \t]*,?[ \t]*(#[^\r\n]*)?")


def delete_carrying(text: str, container: SgNode, doomed: list[Element],
                    moved: list[tuple[int, int, str]]) -> list[Edit]:
    """:func:`delete_many`, where the comments in ``moved`` (start, end, comment) go with their
    elements to a new place that writes them: the deletions are worked out as if those comments
    were blanks, so none is kept behind as a line of its own."""
    if not moved:
        return delete_many(text, container, doomed)
    masked = list(text)
    for start, end, _ in moved:
        masked[start:end] = " " * (end - start)
    blank = "".join(masked)
    edits = delete_many(blank, container, doomed)
    for start, end, _ in moved:
        if any(e.start <= start and end <= e.end for e in edits):
            continue
        begin = start
        while begin > 0 and blank[begin - 1] in " \t":
            begin -= 1
        begin = max([begin, *(e.end for e in edits if e.end <= start)])
        stop = line_break(blank, end)
        if blank[line_start(blank, begin):stop].strip() == "" and stop < len(blank):
            edits.append(Edit(line_start(blank, begin), _next_line(blank, stop), ""))  # nothing else on its line
        else:
            edits.append(Edit(begin, end, ""))
    return edits
