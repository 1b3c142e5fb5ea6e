"""AML006: ``OutputFileDatasetConfig`` declares a v1 job output."""

from __future__ import annotations

from collections.abc import Iterator

from ..migrations._common import absorbed_bindings
from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import calls_to
from ._rule import AmlRule as Rule, Family, FixSafety

OUTPUT_CONFIG = "azureml.data.OutputFileDatasetConfig"


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """An output used only as a job argument becomes an Output of that job
    (AML002 declares it); the v1 variable is then deleted."""
    yield from absorbed_bindings(ctx, OUTPUT_CONFIG, "AML006", "OutputFileDatasetConfig() -> Output(...)")


RULE = Rule(
    code="AML006",
    name="output-file-dataset-config",
    family=Family.JOBS,
    v1="OutputFileDatasetConfig()",
    v2="Output(type='uri_folder') bound as ${{outputs.<name>}}",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.data.OutputFileDatasetConfig"),
    why=(
        "v2 declares outputs on the command: outputs={'name': Output(type='uri_folder')} and "
        "the token ${{outputs.name}} in the command string. v1 and v2 write to different "
        "default locations, so give Output a path when the destination matters."
    ),
    example=(
        "model_dir = OutputFileDatasetConfig('model_dir')\n"
        "args = ['--model-dir', model_dir]"
    ),
    use_instead=(
        "command(command='python fit.py --model-dir ${{outputs.model_dir}}',\n"
        "        outputs={'model_dir': Output(type='uri_folder')}, ...)"
    ),
    fixer=fix,
)
