"""The one ``# TODO(azureml-v2): AMLnnn ...`` comment a documented default asks for."""

from __future__ import annotations

import ast

from ..engine.fixing import statements
from ..engine.fixing.rewrite import FixContext, Rewrite

PREFIX = "TODO(azureml-v2):"


def add_todo(ctx: FixContext, rewrite: Rewrite, statement: ast.stmt, code: str, text: str) -> None:
    """Write ``# TODO(azureml-v2): <code> <text>`` above ``statement``, once per rewrite."""
    comment = f"# {PREFIX} {code} {text}"
    if comment in rewrite.todos:
        return
    rewrite.todos.append(comment)
    rewrite.edits.extend(statements.insert_before(ctx.locator, statement, [comment]))
