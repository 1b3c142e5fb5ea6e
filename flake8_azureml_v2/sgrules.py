"""Render every rule as an ast-grep rule file, for ``ast-grep scan`` and ``ast-grep lsp``.

``python -m flake8_azureml_v2.sgrules rules/`` rewrites the files; a test checks
that the committed files are current.  ast-grep cannot resolve names, so these
rules match by spelling inside files that import v1 code: aliases such as
``from azureml.core import ScriptRunConfig as SRC`` are missed, and method rules
match any receiver.  ``azureml-v2 check`` is the precise tool.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from .docs import fix_status
from .rules._rule import AmlRule as Rule
from .rules import all_rules

HEADER = "# Generated from the rule's data by `python -m flake8_azureml_v2.sgrules rules/`; do not edit.\n"


def _scalar(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _emit(value: object, indent: int) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_emit(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                nested = _emit(item, indent + 1)
                lines.append(f"{pad}- {nested[0].strip()}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return lines


def render(rule: Rule) -> str:
    document: dict[str, object] = {
        "id": rule.code,
        "language": "python",
        "severity": "warning",
        "message": rule.default_message,
        "url": rule.url,
        "metadata": {"name": rule.name, "fix": fix_status(rule)},
        "rule": rule.ast_grep_rule,
    }
    if rule.sg_fix:
        document["fix"] = rule.sg_fix
    note = textwrap.fill(rule.why, 100) + "\n\nUse instead:\n" + rule.use_instead
    body = "\n".join(_emit(document, 0))
    return HEADER + body + "\nnote: |\n" + textwrap.indent(note, "  ") + "\n"


def file_name(rule: Rule) -> str:
    return f"{rule.code.lower()}.yml"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "rules")
    folder.mkdir(exist_ok=True)
    for rule in all_rules():
        (folder / file_name(rule)).write_text(render(rule), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
