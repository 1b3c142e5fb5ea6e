"""AML006: ``OutputFileDatasetConfig`` declares a v1 job output."""

from ..engine.matchers import calls_to
from ..engine.rule import Family, FixSafety, Rule

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
)
