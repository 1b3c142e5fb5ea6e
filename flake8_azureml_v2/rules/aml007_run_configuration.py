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
        "environment_variables, max_run_duration_seconds to timeout, communicator to "
        "distribution). The fixer reads the settings made right after the RunConfiguration in "
        "the same block, writes them into every job or step that takes it (v1's defaults "
        "included: the default environment and the 'local' target), and removes the object."
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
    fixer=fixer("runconfig"),
)
