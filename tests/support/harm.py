"""What "the fix did no harm" means, measured the same way by the do-no-harm and the property tests.

pyflakes runs in-process on the text before and after a fix; a harm is a problem
the fixed text has that the original did not (an undefined name, an unbound
local, a redefinition), a comment that is gone, or text that no longer parses.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import Counter

from pyflakes import checker, messages

from flake8_azureml_v2.engine.source import deep_recursion

HARMFUL = (messages.UndefinedName, messages.UndefinedLocal, messages.RedefinedWhileUnused)


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def pyflakes_problems(text: str) -> Counter[tuple[str, str]]:
    """(kind, name) of each undefined name, unbound local and redefinition in ``text``."""
    with deep_recursion():  # a 500-term expression is deeper than pyflakes' default limit allows
        found = checker.Checker(ast.parse(text), filename="<fixed>").messages
    return Counter((type(m).__name__, str(m.message_args[0])) for m in found if isinstance(m, HARMFUL))


def new_problems(before: str, after: str) -> Counter[tuple[str, str]]:
    """What pyflakes finds in ``after`` that it did not find in ``before``."""
    return pyflakes_problems(after) - pyflakes_problems(before)


def comments(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if token.type == tokenize.COMMENT:
                found[token.string.rstrip()] += 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def lost_comments(before: str, after: str) -> Counter[str]:
    return comments(before) - comments(after)


def line_endings(text: str) -> Counter[str]:
    """How many CRLF, lone CR and lone LF line ends ``text`` has."""
    crlf = text.count("\r\n")
    return Counter({"\r\n": crlf, "\r": text.count("\r") - crlf, "\n": text.count("\n") - crlf})
