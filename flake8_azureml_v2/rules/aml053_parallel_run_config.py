"""AML053: ``ParallelRunConfig`` holds v1 batch-parallel settings."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML053",
    name="parallel-run-config",
    family=Family.ADVANCED,
    v1="ParallelRunConfig()",
    v2="RunFunction task settings of parallel_run_function",
    article="migrate-to-v2-execution-parallel-run-step",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.steps.ParallelRunConfig"),
    why=(
        "Its settings are split in v2: entry_script, source_directory and environment go into "
        "RunFunction(...), the task of parallel_run_function, while node_count, "
        "process_count_per_node, mini_batch_size and the error limits become arguments of "
        "parallel_run_function itself, several of them renamed."
    ),
    example=(
        "prc = ParallelRunConfig(source_directory='./src', entry_script='batch.py',\n"
        "                        mini_batch_size='10', error_threshold=5, node_count=2,\n"
        "                        process_count_per_node=4, environment=env, compute_target=cluster)"
    ),
    use_instead=(
        "parallel_run_function(instance_count=2, max_concurrency_per_instance=4,\n"
        "    mini_batch_size='10', error_threshold=5,\n"
        "    task=RunFunction(code='./src', entry_script='batch.py', environment=env), ...)"
    ),
    fixer=fixer("parallel", "fix_config"),
)
