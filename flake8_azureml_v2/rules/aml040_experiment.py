"""AML040: the v1 ``Experiment(...)`` constructor."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

EXPERIMENT = "azureml.core.Experiment"


RULE = Rule(
    code="AML040",
    name="experiment",
    family=Family.RUNS,
    v1="Experiment()",
    v2="experiment_name= on the job or on ml_client.jobs.create_or_update()",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to(EXPERIMENT),
    why=(
        "SDK v2 has no Experiment object; the experiment is only a name attached to each "
        "job. Pass it as experiment_name= when submitting, otherwise v2 files the job under "
        "the name of the current folder."
    ),
    example="experiment = Experiment(workspace=ws, name='day1')",
    use_instead="returned_job = ml_client.jobs.create_or_update(job, experiment_name='day1')",
    fixer=fixer("experiment"),
)
