"""AML007: ``RunConfiguration`` holds v1 run settings."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RUN_CONFIGURATION = "azureml.core.RunConfiguration"


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
    fixer=fixer("run_configuration"),
)
