"""Arguments aligned with an opening bracket stay aligned when the name before it changes.

``run.log(name="acc",\n        value=x)`` lines its second argument up under the
first.  Once the callee is rewritten to ``mlflow.set_tag`` the bracket moves and
the continuation line no longer lines up (pycodestyle's E127/E128).  Each line of
the call's arguments that was indented at least to the bracket moves by as much as
the bracket moved, unless an edit rewrote its indentation or the line is inside a
string, whose text must not change.  A line an edit wrote inside the call (an
argument the fix appends, indented like its neighbours in the source) moves too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable

from ..source import line_break, line_start
from .edits import Edit, EditSet
from .locate import Locator

# The markers edits carry until names are chosen (placeholders, counterparts) are private-use characters.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def realigned(locator: Locator, calls: Iterable[ast.Call], rewritten: list[Edit], final: str,
              to_final: Callable[[int], int]) -> list[Edit]:
    """Edits of ``final`` (the text ``rewritten`` and later steps made of the locator's source;
    ``to_final`` maps a source offset there) that move aligned argument lines with their bracket."""
    source = locator.source.text
    by_bracket = _by_bracket(locator, calls, rewritten)
    ordered = EditSet()
    ordered.add(rewritten)  # they were applied together: none overlaps another
    shifts: dict[int, int] = {}  # source line start -> columns to move
    written: dict[int, int] = {}  # start in ``final`` of a line an edit wrote -> columns to move
    for edit in rewritten:
        call = by_bracket.get(edit.end)
        if call is None or not edit.text or any(c in edit.text for c in "([{\r\n\t"):
            continue
        moved = _bracket_move(source, final, edit.end, to_final(edit.end), locator)
        if moved:
            for line in _aligned_lines(locator, call, edit.end, ordered):
                shifts[line] = shifts.get(line, 0) + moved
            for at in _written_lines(locator, call, edit.end, final, to_final):
                written[at] = written.get(at, 0) + moved
    edits = []
    for line, moved in sorted(shifts.items()):
        at = to_final(line)
        text = source[line:line_break(source, line)]
        indent = len(text) - len(text.lstrip(" "))
        if moved and final[at:at + indent] == " " * indent and (at == 0 or final[at - 1] in "\r\n"):
            edits.append(_moved(at, moved))
    edits.extend(_moved(at, moved) for at, moved in sorted(written.items()) if moved)
    return edits


def _moved(at: int, columns: int) -> Edit:
    return Edit(at, at, " " * columns) if columns > 0 else Edit(at, at - columns, "")


def _by_bracket(locator: Locator, calls: Iterable[ast.Call], rewritten: list[Edit]) -> dict[int, ast.Call]:
    """Where each call's callee ends (its opening bracket) -> the call, for the calls whose
    callee ends on a line where an edit ends (or the line before, should that edit end the
    text): locating every call of a large file costs more than the rest of the layout."""
    lines = {locator.source.line_of(edit.end) for edit in rewritten}
    lines |= {line - 1 for line in lines}
    return {locator.end(call.func): call for call in calls if call.func.end_lineno in lines}


def _bracket_move(source: str, final: str, bracket: int, moved_to: int, locator: Locator) -> int:
    """How many columns the bracket moved; 0 when it did not or its line holds a tab."""
    start = locator.line_start(bracket)
    final_start = line_start(final, moved_to)
    before, after = source[start:bracket], final[final_start:moved_to]
    if "\t" in before or "\t" in after or final[moved_to:moved_to + 1] != "(":
        return 0
    old_first = source[bracket + 1:locator.line_end(bracket)].strip()
    new_first = final[moved_to + 1:line_break(final, moved_to)].strip()
    for first in (old_first, new_first):
        if not first or first.startswith("#"):  # a hanging indent (before or after) does not follow the bracket
            return 0
    return len(after) - len(before)


def _aligned_lines(locator: Locator, call: ast.Call, bracket: int, rewritten: EditSet) -> list[int]:
    """The starts of the call's continuation lines indented at least to the bracket, outside
    strings, whose indentation no edit touches."""
    source = locator.source.text
    column = bracket - locator.line_start(bracket)
    found: list[int] = []
    line = locator.line_end(bracket)
    end = locator.end(call)
    if not (line < end and line < len(source)):
        return found  # the call ends on its bracket's line: no walk of it for strings
    strings = [(locator.start(node), locator.end(node)) for node in ast.walk(call)
               if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.lineno != node.end_lineno]
    while line < end and line < len(source):
        following = locator.line_end(line)
        text = source[line:following]
        indent = len(text) - len(text.lstrip(" "))
        inside_string = any(start < line < stop for start, stop in strings)
        touched = rewritten.touches(line, line + indent)
        if indent > column and text.strip() and not inside_string and not touched:
            found.append(line)
        if following <= line:
            break
        line = following
    return found


def _written_lines(locator: Locator, call: ast.Call, bracket: int, final: str,
                   to_final: Callable[[int], int]) -> list[int]:
    """The starts, in ``final``, of the lines edits wrote between the call's brackets that are
    indented beyond the bracket's old column, outside strings.  The call's text in ``final``
    is parsed to find its strings; when it does not parse alone, nothing is moved."""
    source = locator.source.text
    column = bracket - locator.line_start(bracket)
    close = locator.end(call) - 1
    if source[close:close + 1] != ")":
        return []
    start, end = to_final(bracket), to_final(close) + 1
    if final[start:start + 1] != "(" or final[end - 1:end] != ")":
        return []
    region = final[start:end]
    kept = {to_final(line) for line in _line_starts(locator, bracket, close)}
    news = [at for at in _final_line_starts(final, start, end) if at not in kept]
    if not news:
        return []
    try:
        tree = ast.parse("_" + region, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    spans = [(node.lineno, node.end_lineno or node.lineno) for node in ast.walk(tree)
             if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.lineno != node.end_lineno]
    found = []
    for at in news:
        line = final.count("\n", start, at) + 1  # the region's own line number
        text = final[at:line_break(final, at)]
        indent = len(text) - len(text.lstrip(" "))
        inside_string = any(first < line <= last for first, last in spans)
        if indent > column and text.strip() and not text.startswith("\t") and not inside_string:
            found.append(at)
    return found


def _line_starts(locator: Locator, bracket: int, close: int) -> list[int]:
    """The starts of the source lines after the bracket's, up to the closing bracket's."""
    starts = []
    line = locator.line_end(bracket)
    while line <= close:
        starts.append(line)
        following = locator.line_end(line)
        if following <= line:
            break
        line = following
    return starts


def _final_line_starts(final: str, start: int, end: int) -> list[int]:
    found = []
    at = final.find("\n", start, end)
    while at != -1:
        found.append(at + 1)
        at = final.find("\n", at + 1, end)
    return found


def realigned_statement(text: str, new_bracket: int, old_column: int, plain: Callable[[str], str] = str) -> str:
    """``text``, whole statements written anew (a call moved below the assignments folded into
    it), with the lines after the bracket at ``new_bracket`` that were aligned with it at
    ``old_column`` moved as far as the bracket moved.  ``plain`` turns the text into what
    will be written (names its placeholders stand for), where columns are counted.  Lines
    inside strings stay, and so does all of ``text`` when it does not parse on its own."""
    written = plain(text)
    bracket = len(plain(text[:new_bracket]))
    moved = (bracket - line_start(written, bracket)) - old_column
    first = written[bracket + 1:line_break(written, bracket)].strip()
    if not moved or written[bracket:bracket + 1] != "(" or not first or first.startswith("#"):
        return text
    indent = len(written) - len(written.lstrip(" "))
    try:
        # dedented to parse alone, each marker a name character
        tree = ast.parse("".join(line[indent:] if line[:indent].isspace() else line
                                 for line in _PRIVATE_USE.sub("_", written).splitlines(keepends=True)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text
    in_strings = {number for node in ast.walk(tree) if isinstance(node, (ast.Constant, ast.JoinedStr))
                  for number in range(node.lineno + 1, (node.end_lineno or node.lineno) + 1)}
    bracket_line = written.count("\n", 0, bracket) + 1
    result = []
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        spaces = len(line) - len(line.lstrip(" "))
        if number > bracket_line and number not in in_strings and line.strip() and spaces > old_column:
            line = " " * max(spaces + moved, 0) + line[spaces:]
        result.append(line)
    return "".join(result)
