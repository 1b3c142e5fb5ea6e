"""The rule registry: every module in this package defines one ``RULE``.

Adding a rule means adding one module here; nothing else lists rules.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ..engine.rule import Rule


@cache
def all_rules() -> tuple[Rule, ...]:
    found: dict[str, Rule] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if not isinstance(rule, Rule):
            raise RuntimeError(f"rule module {info.name} defines no RULE")
        if rule.code in found:
            raise RuntimeError(f"{rule.code} is defined twice ({info.name})")
        found[rule.code] = rule
    return tuple(found[code] for code in sorted(found))


def rule_by_code(code: str) -> Rule | None:
    code = code.upper()
    return next((r for r in all_rules() if r.code == code), None)
