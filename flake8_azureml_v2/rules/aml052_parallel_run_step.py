"""AML052: ``ParallelRunStep`` is a v1 batch-parallel step."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML052",
    name="parallel-run-step",
    family=Family.ADVANCED,
    v1="ParallelRunStep()",
    v2="parallel_run_function(...)",
    article="migrate-to-v2-execution-parallel-run-step",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.steps.ParallelRunStep"),
    why=(
        "v2 builds a parallel component with azure.ai.ml.parallel.parallel_run_function and "
        "uses it as a node of a pipeline. The step's inputs, output, arguments and "
        "allow_reuse map to inputs/input_data, outputs, task.program_arguments and "
        "is_deterministic. The init()/run(mini_batch) entry script can stay as it is."
    ),
    example=(
        "step = ParallelRunStep(name='batch-score', parallel_run_config=prc,\n"
        "                       inputs=[ds_input], output=scores, arguments=['--k', 3])"
    ),
    use_instead=(
        "batch_score = parallel_run_function(inputs={'data': Input(type='uri_folder')},\n"
        "    input_data='${{inputs.data}}', outputs={'scores': Output(type='uri_folder')},\n"
        "    task=RunFunction(code='./src', entry_script='batch.py', environment=env))"
    ),
    fixer=fixer("parallel", "fix_step"),
)
