"""AML006: ``OutputFileDatasetConfig`` declares a v1 job output."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

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
    fixer=fixer("output_file_dataset_config"),
)
