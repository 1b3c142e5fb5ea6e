"""AML002: ``ScriptRunConfig`` configures a v1 script run."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

SCRIPT_RUN_CONFIG = "azureml.core.ScriptRunConfig"
# ScriptRunConfig.__init__ in positional order (mapping.md 3): compute_target is 6th.


RULE = Rule(
    code="AML002",
    name="script-run-config",
    family=Family.JOBS,
    v1="ScriptRunConfig()",
    v2="azure.ai.ml.command(code=..., command='python <script> ...')",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to(SCRIPT_RUN_CONFIG),
    why=(
        "A v2 command job replaces the script-run configuration. The script and its "
        "arguments become one shell command, datasets and outputs become inputs and "
        "outputs, and compute_target becomes compute. v2 needs an explicit environment."
    ),
    example=(
        "config = ScriptRunConfig(source_directory='./src', script='train.py',\n"
        "                         compute_target='cpu-cluster', environment=env)"
    ),
    use_instead=(
        "job = command(code='./src', command='python train.py',\n"
        "              compute='cpu-cluster', environment=env)"
    ),
    fixer=fixer("script_run_config"),
)
