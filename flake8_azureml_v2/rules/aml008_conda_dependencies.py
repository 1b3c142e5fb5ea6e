"""AML008: ``CondaDependencies`` builds a v1 conda specification in code."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML008",
    name="conda-dependencies",
    family=Family.JOBS,
    v1="CondaDependencies",
    v2="a conda YAML file passed as Environment(conda_file=...)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.MANUAL,
    detect=calls_to("azureml.core.conda_dependencies.CondaDependencies", members=True),
    why=(
        "v2 environments take the conda specification as a YAML file or a dict in "
        "Environment(image=..., conda_file=...). Packages added one call at a time have to be "
        "collected into that file by hand."
    ),
    example=(
        "deps = CondaDependencies.create(pip_packages=['scikit-learn'])\n"
        "env.python.conda_dependencies = deps"
    ),
    use_instead=(
        "env = Environment(image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest',\n"
        "                  conda_file='conda.yml')"
    ),
    message="CondaDependencies is Azure ML SDK v1; use a conda YAML file passed as Environment(conda_file=...)",
)
