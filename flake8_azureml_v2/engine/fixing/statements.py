"""Whole-statement edits that never lose a comment."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Collection, Iterable

from ..nodes import all_nodes
from ..source import SourceText
from .edits import Edit, apply_edits
from .locate import Locator


def _comments(text: str) -> list[str]:
    if "#" not in text:
        return []
    try:
        lines = io.StringIO(text, newline="")  # CR-only files are lines too
        return [t.string for t in tokenize.generate_tokens(lines.readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [line[line.index("#"):] for line in text.splitlines() if "#" in line]


def comments(text: str, tree: ast.Module | None = None) -> list[str]:
    """Every comment in ``text``, in order (to check that a rewrite kept them).

    Given ``text``'s tree, and no string literal of it holds a ``#``, every ``#`` starts a
    comment that runs to the end of its line: the lines are read without tokenizing, which
    was the slowest part of judging a fix.  Otherwise Python's tokenizer decides."""
    if "#" not in text:
        return []
    source = SourceText(text) if tree is not None else None
    if source is None or _hash_in_a_string(source, tree):  # type: ignore[arg-type]
        return _comments(text)
    found = []
    for line in source.lines:
        start = line.find("#")
        if start >= 0:
            found.append(line[start:].rstrip("\r\n"))
    return found


def _hash_in_a_string(source: SourceText, tree: ast.Module) -> bool:
    text = source.text
    marked = {number for number, line in enumerate(source.lines, 1) if "#" in line}
    for node in all_nodes(tree):
        kind = node.__class__  # ``ast.parse`` made the tree: its nodes are of these very classes
        if kind is not ast.JoinedStr and not (kind is ast.Constant and isinstance(node.value, (str, bytes))):
            continue
        if node.lineno == node.end_lineno and node.lineno not in marked:
            continue  # a string on one line without a ``#``
        start = source.offset(node.lineno, source.char_col(node.lineno, node.col_offset))
        end = source.offset(node.end_lineno, source.char_col(node.end_lineno, node.end_col_offset))  # type: ignore[arg-type]
        if "#" in text[start:end]:
            return True
    return False


def span(locator: Locator, statement: ast.stmt) -> tuple[int, int]:
    """The statement's full lines, including its newline."""
    start = locator.start(statement)
    end = locator.end(statement)
    return locator.line_start(start), locator.line_end(end)


def delete(locator: Locator, statement: ast.stmt, alone: bool = False) -> Edit:
    """Remove a statement; comments inside or after it stay, on their own lines.
    ``alone``: it is its block's only statement, so ``pass`` takes its place."""
    text = locator.source.text
    start, end = locator.start(statement), locator.end(statement)
    if alone:
        return Edit(start, end, "pass")
    line_start = locator.line_start(start)
    line_end = locator.line_end(end)
    prefix = text[line_start:start]
    tail = text[end:line_end]
    if prefix.strip() or tail.strip().startswith(";"):
        # shares its line with another statement: remove just this one
        if tail.lstrip().startswith(";"):
            return Edit(start, end + len(tail) - len(tail.lstrip()) + 1, "")
        semicolon = text.rfind(";", line_start, start)
        return Edit(semicolon, end, "")
    kept = _comments(text[start:line_end])
    if not kept:
        return _whole_lines(locator, line_start, line_end)
    own = text[line_start:line_end]
    newline = own[len(own.rstrip("\r\n")):]  # this line's own break; none on a last line
    body = (newline or locator.newline).join(f"{prefix}{comment}" for comment in kept)
    return Edit(line_start, line_end, body + newline)


def _whole_lines(locator: Locator, line_start: int, line_end: int) -> Edit:
    """Remove the lines from ``line_start`` to ``line_end``, and a blank line after them when
    one comes before them too: one statement gone must not leave two blank lines."""
    text = locator.source.text
    previous = text[locator.line_start(line_start - 1):line_start] if line_start else ""
    following = text[line_end:locator.line_end(line_end)] if line_end < len(text) else ""
    if line_start > 0 and previous.strip() == "" and following.strip() == "" and following:
        line_end += len(following)
    return Edit(line_start, line_end, "")


def delete_moving_comments(locator: Locator, statement: ast.stmt, destination: ast.stmt,
                           previous: ast.stmt | None = None, anchored: tuple[str, ...] = ()) -> list[Edit] | None:
    """Remove a statement whose value now lives in ``destination`` (a setting folded into a
    constructor, a list inlined into a command line), with its comments, which go above
    ``destination``: those on its lines, and the comment lines right above it when code
    (``previous``, the statement before it) ends on the line above them, which makes them its
    own rather than a heading (a line holding one of ``anchored`` stops them, and stays).  None
    when it shares a line with another statement, or has no comment of its own."""
    text = locator.source.text
    start, end = locator.start(statement), locator.end(statement)
    line_start, line_end = locator.line_start(start), locator.line_end(end)
    if text[line_start:start].strip() or text[end:line_end].strip().startswith(";"):
        return None
    if locator.start(destination) <= start < locator.end(destination) or _after_a_clause(locator, destination):
        return None
    above, first = _comments_above(locator, statement, previous, anchored)
    kept = [*above, *_comments(text[start:line_end])]
    if not kept:
        return None
    return [_whole_lines(locator, first, line_end), *insert_before(locator, destination, kept)]


def _comments_above(locator: Locator, statement: ast.stmt, previous: ast.stmt | None,
                    anchored: tuple[str, ...] = ()) -> tuple[list[str], int]:
    """The whole comment lines between ``previous`` and ``statement`` at the statement's
    indentation, with no blank line among them, when ``previous`` ends on the line right above
    them or when the statement closes the paragraph they head (a blank line, or the end of its
    block, follows it: deleting it would leave them above nothing); and where those lines start
    (the statement's line when there are none)."""
    text = locator.source.text
    line_start = locator.line_start(locator.start(statement))
    if previous is None:
        return [], line_start
    indent = text[line_start:locator.start(statement)]
    found: list[str] = []
    cursor = line_start
    while cursor > 0:
        above = locator.line_start(cursor - 1)
        line = text[above:cursor].rstrip("\r\n")
        if not (line.startswith(indent + "#") and line.strip().startswith("#")) or any(a in line for a in anchored):
            break
        found.append(line.strip())
        cursor = above
    if not found or cursor == 0:
        return [], line_start
    if locator.line_start(locator.end(previous)) != locator.line_start(cursor - 1) \
            and not _closes_paragraph(locator, statement, indent):
        return [], line_start
    return found[::-1], cursor


def _closes_paragraph(locator: Locator, statement: ast.stmt, indent: str) -> bool:
    """True when the line after ``statement`` is blank, or less indented, or there is none."""
    text = locator.source.text
    following = locator.line_end(locator.end(statement))
    line = text[following:locator.line_end(following)] if following < len(text) else ""
    stripped = line.strip()
    if not stripped:
        return True
    return len(line) - len(line.lstrip(" \t")) < len(indent) and not stripped.startswith("#")


def is_alone(statement: ast.stmt, parent: ast.AST | None) -> bool:
    """True when ``statement`` is the only statement of a block that must not be empty."""
    if parent is None or isinstance(parent, ast.Module):
        return False
    for name in ("body", "orelse", "finalbody"):
        block = getattr(parent, name, None)
        if isinstance(block, list) and block == [statement]:
            return True
    return False


def replace(locator: Locator, node: ast.AST, text: str) -> Edit:
    return Edit(locator.start(node), locator.end(node), text)


def replace_statement(locator: Locator, statement: ast.stmt, text: str) -> Edit:
    """Replace a statement with new ones; the comments inside it that ``text`` does not write
    (``"svc",  # service name`` among a call's arguments) go above them, each on its own line."""
    written = comments(text)
    lost = []
    for comment in comments(locator.text(statement)):
        if comment in written:
            written.remove(comment)
        else:
            lost.append(comment)
    if lost and not _shares_line(locator, statement):
        text = (locator.newline + locator.indentation(statement)).join([*lost, text])
    return replace(locator, statement, text)


def insert_before(locator: Locator, statement: ast.stmt, lines: list[str]) -> list[Edit]:
    """Insert whole lines before a statement, at its indentation.  A statement that shares its
    line with code before it (``a; b``, ``if c: b``) takes code on its own line (``a; new; b``:
    a new line would run outside the ``if``, or copy ``a``), and comments go above the line."""
    start = locator.start(statement)
    if _shares_line(locator, statement):
        comments, code = _split(lines)
        inline = [Edit(start, start, "".join(f"{line}; " for line in code))] if code else []
        return [*_above_logical_line(locator, statement, comments), *inline]
    line_start = locator.line_start(start)
    indent = locator.indentation(statement)
    return [Edit(line_start, line_start, "".join(f"{indent}{line}{locator.newline}" for line in lines))]


def insert_after(locator: Locator, statement: ast.stmt, lines: list[str]) -> list[Edit]:
    """Insert whole lines after a statement, at its indentation (on its line, after a ``;``,
    when it shares the line with other code; comments then go above the line)."""
    if _shares_line(locator, statement) or _followed_on_its_line(locator, statement):
        comments, code = _split(lines)
        end = locator.end(statement)
        inline = [Edit(end, end, "".join(f"; {line}" for line in code))] if code else []
        return [*_above_logical_line(locator, statement, comments), *inline]
    end = locator.line_end(locator.end(statement))
    indent = locator.indentation(statement)
    newline = locator.newline
    text = locator.source.text
    prefix = "" if end == 0 or text[end - 1] in "\r\n" else newline  # a last line without a line break
    return [Edit(end, end, prefix + "".join(f"{indent}{line}{newline}" for line in lines))]


def _shares_line(locator: Locator, statement: ast.stmt) -> bool:
    """Does code come before ``statement`` on its logical line (``a; b``, ``if c: b``, or
    ``if c: a;`` ending in a backslash on the line above: a line inserted between would end the ``if``)?"""
    if locator.indentation(statement).strip():
        return True
    line_start = locator.line_start(locator.start(statement))
    text = locator.source.text
    end = line_start  # (the text before the line, its line breaks dropped, without copying it: a large
    while end > 0 and text[end - 1] in "\r\n":  # file asks for each statement a rewrite inserts after)
        end -= 1
    return text[end - 1:end] == "\\" and _logical_line_start(locator, locator.start(statement)) < line_start


_CLAUSES = ("else", "elif", "except", "finally")


def _after_a_clause(locator: Locator, statement: ast.stmt) -> bool:
    """Does ``statement`` follow a clause on its line (``else: b``)?  A line inserted above it
    would sit between the clause and the block before it."""
    if not _shares_line(locator, statement):
        return False
    line_start = _logical_line_start(locator, locator.start(statement))
    first = locator.source.text[line_start:locator.start(statement)].lstrip(" \t")
    return any(first.startswith(c) and not (first[len(c):len(c) + 1].isalnum() or first[len(c):len(c) + 1] == "_")
               for c in _CLAUSES)


def _followed_on_its_line(locator: Locator, statement: ast.stmt) -> bool:
    """Does code follow ``statement`` on its last line (``b; a``)?"""
    end = locator.end(statement)
    rest = locator.source.text[end:locator.line_end(end)].strip()
    return bool(rest) and not rest.startswith("#")


def _split(lines: list[str]) -> tuple[list[str], list[str]]:
    """(comment lines, code lines)."""
    comments = [line for line in lines if line.lstrip().startswith("#")]
    return comments, [line for line in lines if not line.lstrip().startswith("#")]


def _above_logical_line(locator: Locator, statement: ast.stmt, comments: list[str]) -> list[Edit]:
    """Comment lines above the line where the statement's logical line starts (not inside a
    string or a backslash continuation that ends on the statement's line), at its indentation."""
    if not comments:
        return []
    line_start = _logical_line_start(locator, locator.start(statement))
    text = locator.source.text
    line = text[line_start:locator.line_end(line_start)]
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    return [Edit(line_start, line_start, "".join(f"{indent}{comment}{locator.newline}" for comment in comments))]


def _logical_line_start(locator: Locator, offset: int) -> int:
    """Where the logical line holding ``offset`` starts (the physical line of its first token)."""
    # (each line break as "\n": tokenize reads a lone "\r" as an error, not a line's end; the
    # lines and the columns within them stay the same)
    text = locator.source.text.replace("\r\n", "\n").replace("\r", "\n")
    first: tuple[int, int] | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
                if token.type == tokenize.NEWLINE:
                    first = None
                continue
            if first is None:
                first = token.start
            if locator.starts[token.start[0] - 1] + token.start[1] > offset:  # (tokenize counts characters)
                break
    except (tokenize.TokenError, SyntaxError, IndentationError) as exc:
        # (the text parsed, so this does not happen; a guess could put a line inside a string)
        raise ValueError(f"cannot find where the logical line of offset {offset} starts: {exc}") from None
    assert first is not None
    return locator.starts[first[0] - 1]


def remaining_after(text: str, at: int, edits: Iterable[Edit] = ()) -> str:
    """``text`` from ``at`` on, once the deletions among ``edits`` are made."""
    return apply_edits(text[at:], [Edit(e.start - at, e.end - at, "") for e in edits if not e.text and e.start >= at])


def remaining_before(text: str, at: int, edits: Iterable[Edit] = ()) -> str:
    """``text`` up to ``at``, once the deletions among ``edits`` are made."""
    return apply_edits(text[:at], [e for e in edits if not e.text and e.end <= at])


def leading_blank_lines(text: str) -> int:
    count = 0
    for line in SourceText(text).lines:
        if line.strip():
            break
        count += 1
    return count


def trailing_blank_lines(text: str) -> int:
    count = 0
    for line in reversed(SourceText(text).lines):
        if line.strip():
            break
        count += 1
    return count


def _is_blank(line: str) -> bool:
    return not line.strip()


def deleted_spacing(text: SourceText, start: int, end: int) -> tuple[int, int]:
    """The blank lines an author put next to the deleted lines ``[start, end)`` of ``text``
    (the longer run, before or after them), and those that ended the file after them."""
    lines = text.lines
    first, last = text.line_of(start) - 1, text.line_of(max(start, end - 1)) - 1
    before = 0
    while first - before - 1 >= 0 and _is_blank(lines[first - before - 1]):
        before += 1
    after = 0
    while last + after + 1 < len(lines) and _is_blank(lines[last + after + 1]):
        after += 1
    return max(before, after), after if last + after + 1 >= len(lines) else 0


def excess_blank_lines(text: str, points: Iterable[tuple[int, int, int]]) -> list[Edit]:
    """Deletions that remove the blank lines whole-line deletions left in excess in ``text``.

    Each point is (a line start of ``text`` where deleted lines were, the blank lines the
    author had next to them, the blank lines that ended the file after them).  Runs of
    blank lines meet where the statements between them went: a run is cut back to the
    longest the author wrote there, never below PEP 8's two at the top level (one inside
    a block), so spacing other edits wrote stays; a run that now ends the file keeps only
    the blank lines that ended it before."""
    source = SourceText(text)
    lines, starts = source.lines, source.starts  # ``starts`` ends with len(text)
    runs: dict[int, tuple[int, int, int, int]] = {}  # first blank line -> (count, allowed, next line, trailing)
    for position, allowed, trailing in points:
        index = source.line_of(position) - 1 if position < len(text) else len(lines)
        first = index
        while first - 1 >= 0 and _is_blank(lines[first - 1]):
            first -= 1
        following = index
        while following < len(lines) and _is_blank(lines[following]):
            following += 1
        if following == first:
            continue
        _, known, _, ended = runs.get(first, (0, 0, 0, 0))
        runs[first] = (following - first, max(known, allowed), following, max(ended, trailing))
    edits = []
    for first, (count, allowed, following, trailing) in runs.items():
        if following >= len(lines):
            keep = trailing
        else:
            nested = lines[following][:1] in (" ", "\t")
            keep = max(allowed, 1 if nested else 2)
        if count > keep:
            edits.append(Edit(starts[first], starts[first + count - keep], ""))
    return edits


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)


def drop_unread_targets(locator: Locator, tree: ast.Module, names: Collection[str],
                        rewritten: Callable[[str], bool]) -> list[Edit] | None:
    """``x = call()`` -> ``call()`` for every binding of each of ``names`` in the functions that
    bind it and never read it: what a fix left unread (its one read folded away) goes on being
    computed, for its effects, without a variable to hold it.  A function where the name is bound
    by a call the fix did not write (``rewritten(text)`` is false) or under a type comment is left
    as it is: if the name is left unused there, the harm check still refuses.  None when a binding
    is of another form, or the function could read it by name (``locals()``, an inner scope)."""
    edits: list[Edit] = []
    for function in all_nodes(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for name in names:
            found = _unread_targets(locator, function, name, rewritten)
            if found is None:
                return None
            edits.extend(found)
    return edits or None


def _unread_targets(locator: Locator, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str,
                    rewritten: Callable[[str], bool]) -> list[Edit] | None:
    """The edits for ``name`` in ``function``'s own body ([] when it is not bound there, or read)."""
    stores: list[ast.Name] = []
    inner = False
    pending: list[ast.AST] = [*function.body]
    while pending:
        node = pending.pop()
        if isinstance(node, _SCOPES):
            inner = inner or any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))
            continue
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return []
        if isinstance(node, ast.Name) and node.id == name:
            if not isinstance(node.ctx, ast.Store):
                return []
            stores.append(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("locals", "vars"):
            return None
        pending.extend(ast.iter_child_nodes(node))
    if not stores:
        return []
    if inner:
        return None
    edits = []
    text = locator.source.text
    for store in stores:
        statement = next((s for s in ast.walk(function) if isinstance(s, ast.Assign) and s.targets == [store]), None)
        value = statement.value if statement is not None else None
        if isinstance(value, ast.Await):
            value = value.value
        if statement is None or not isinstance(value, ast.Call):
            return None
        tail = text[locator.end(statement):locator.line_end(locator.end(statement))]
        if not rewritten(locator.text(statement.value)) or re.search(r"#\s*type:", tail):
            return []  # (the user's own statement, or one a type comment annotates, stays: if it is what is
            # left unused, the rewrite is refused as before; another function's old unused local is no matter)
        equals = text.index("=", locator.end(store))  # (the value may open with a bracket: keep it)
        after = equals + 1
        while text[after:after + 1] in (" ", "\t"):
            after += 1
        edits.append(Edit(locator.start(store), after, ""))
    return edits
