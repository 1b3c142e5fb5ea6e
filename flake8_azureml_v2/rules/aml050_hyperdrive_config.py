"""AML050: ``HyperDriveConfig`` configures a v1 hyperparameter search."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML050",
    name="hyperdrive-config",
    family=Family.ADVANCED,
    v1="HyperDriveConfig()",
    v2="command(...).sweep(...)",
    article="migrate-to-v2-execution-hyperdrive",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.train.hyperdrive.HyperDriveConfig"),
    why=(
        "v2 sweeps a command job: the search space becomes inputs given as sweep expressions, "
        "referenced in the command as ${{inputs.<name>}}, and .sweep() takes the metric, "
        "goal, sampling and early termination. v1 appended the search-space flags to argv "
        "itself, and limits move to set_limits() with the timeout in seconds."
    ),
    example=(
        "hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=sampling,\n"
        "                      primary_metric_name='accuracy', primary_metric_goal=goal,\n"
        "                      max_total_runs=20)"
    ),
    use_instead=(
        "sweep_job = job(lr=Uniform(min_value=0.01, max_value=0.1)).sweep(\n"
        "    primary_metric='accuracy', goal='Maximize', sampling_algorithm='random')\n"
        "sweep_job.set_limits(max_total_trials=20)"
    ),
    fixer=fixer("hyperdrive"),
)
