"""AML058: ``MpiStep`` is a v1 MPI pipeline step."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML058",
    name="mpi-step",
    family=Family.ADVANCED,
    v1="MpiStep()",
    v2="a command component with distribution=MpiDistribution",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,  # a rewrite the reference gives (or does not rule out), not built yet
    detect=calls_to("azureml.pipeline.steps.MpiStep"),
    why=(
        "A v2 command component runs distributed with "
        "distribution=MpiDistribution(process_count_per_instance=...) and instance_count set "
        "to the number of nodes. The script and arguments become the command string."
    ),
    example=(
        "step = MpiStep(name='dist', source_directory='./src', script_name='fit.py',\n"
        "               node_count=2, process_count_per_node=4, compute_target=cluster)"
    ),
    use_instead=(
        "dist = command(code='./src', command='python fit.py', environment=env,\n"
        "               distribution=MpiDistribution(process_count_per_instance=4),\n"
        "               instance_count=2)"
    ),
)
