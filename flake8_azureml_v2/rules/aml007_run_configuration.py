"""AML007: ``RunConfiguration`` holds v1 run settings."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import calls_to
from ._rule import AmlRule as Rule, Family, FixSafety

RUN_CONFIGURATION = "azureml.core.RunConfiguration"


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Only the simplest form is automated: ``rc = RunConfiguration()`` whose one setting is
    ``rc.environment = env``; a step that takes ``runconfig=rc`` gets ``environment=env``
    (AML003) and both statements go. Anything richer is left for a human."""
    for site in ctx.model.calls_to(RUN_CONFIGURATION):
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue
        unit = Rewrite("AML007", site.node, "RunConfiguration() folded into the components' environment=",
                    binding=binding)
        if site.node.args or site.node.keywords:
            yield unit.refuse("RunConfiguration(...) with arguments: migrate it by hand")
            continue
        unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
        for use in binding.uses:
            target = ctx.parent(use)
            statement = ctx.parent(target) if target is not None else None
            if (isinstance(target, ast.Attribute) and target.attr == "environment"
                    and isinstance(statement, ast.Assign) and statement.targets == [target]):
                unit.edits.append(ctx.delete(statement))
                unit.own_uses.add(id(use))
        yield unit


RULE = Rule(
    code="AML007",
    name="run-configuration",
    family=Family.JOBS,
    v1="RunConfiguration()",
    v2="command(environment=..., compute=..., ...) settings",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to(RUN_CONFIGURATION, members=True),
    why=(
        "v2 has no separate run-configuration object: its fields become arguments of "
        "command() or of the component (target to compute, node_count to instance_count, "
        "environment_variables, max_run_duration_seconds to timeout). The object is usually "
        "built over several statements; the fixer only folds the simplest form, a "
        "RunConfiguration whose one setting is .environment, into the steps that use it, and "
        "leaves every other form to a human."
    ),
    example=(
        "run_config = RunConfiguration()\n"
        "run_config.target = 'cpu-cluster'\n"
        "run_config.environment = env"
    ),
    use_instead=(
        "job = command(code='./src', command='python fit.py',\n"
        "              compute='cpu-cluster', environment=env)"
    ),
    fixer=fix,
)
