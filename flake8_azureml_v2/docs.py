"""Rule documentation, rendered from the rules' own data."""

from __future__ import annotations

import textwrap

from .rules._rule import AmlRule as Rule, FixSafety, RefusalKind

_SAFETY_TEXT = {
    FixSafety.SAFE: "safe: applied by default by `azureml-v2 fix`",
    FixSafety.UNSAFE: "unsafe: may change runtime behaviour, applied only with `--unsafe-fixes`",
    FixSafety.MANUAL: "none: no sound automatic rewrite; the finding says what to do by hand",
}


def _block(text: str) -> str:
    return textwrap.indent(text.rstrip("\n"), "    ")


def render(rule: Rule) -> str:
    fix_line = _SAFETY_TEXT[rule.fix_safety]
    if rule.fix_safety is FixSafety.MANUAL and rule.manual_kind is not RefusalKind.IMPOSSIBLE:
        fix_line = "none: the reference gives no rewrite this tool can make soundly; the finding says what to do by hand"
    if fix_status(rule).startswith("not yet"):
        fix_line += " (the automatic fix is not implemented yet)"
    parts = [
        f"{rule.code} ({rule.name})",
        f"{rule.code} {rule.default_message}",
        "",
        f"Family: {rule.family.value}",
        "",
        "What it does",
        _block(textwrap.fill(f"Reports {rule.v1} and names its SDK v2 equivalent: {rule.v2}.", 76)),
        "",
        "Why",
        _block(textwrap.fill(rule.why, 76)),
        "",
        "Example (SDK v1)",
        _block(rule.example),
        "",
        "Use instead (SDK v2)",
        _block(rule.use_instead),
        "",
        "Fix safety",
        _block(fix_line),
        "",
        "Reference",
        _block(rule.url),
    ]
    return "\n".join(parts) + "\n"


def listing(rules: tuple[Rule, ...]) -> str:
    width = max(len(r.name) for r in rules)
    lines = [f"{r.code}  {r.name:<{width}}  {r.fix_safety.value:<6}  {r.v1} -> {r.v2}" for r in rules]
    return "\n".join(lines) + "\n"


def fix_status(rule: Rule) -> str:
    if rule.fix_safety is FixSafety.MANUAL:
        return "manual"
    if rule.fixed_with is not None:
        return f"{rule.fix_safety.value} (with {rule.fixed_with})"
    if rule.fixer is None and not rule.removes_unused_imports:
        return f"not yet ({rule.fix_safety.value})"
    return rule.fix_safety.value


def markdown_table(rules: tuple[Rule, ...]) -> str:
    lines = ["| code | v1 construct | v2 equivalent | autofix |", "|---|---|---|---|"]
    for rule in rules:
        v2 = rule.v2.replace("|", "\\|")
        lines.append(f"| {rule.code} | `{rule.v1}` | {v2} | {fix_status(rule)} |")
    return "\n".join(lines) + "\n"
