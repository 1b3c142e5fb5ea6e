"""AML008: ``CondaDependencies`` builds a v1 conda specification in code."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML008",
    name="conda-dependencies",
    family=Family.JOBS,
    v1="CondaDependencies",
    v2="the conda dict (or YAML file) passed as Environment(conda_file=...)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.conda_dependencies.CondaDependencies", members=True),
    why=(
        "v2 environments take the conda specification as a YAML file or a dict in "
        "Environment(image=..., conda_file=...). The fix writes the dict v1 built: python 3.8.13 "
        "for CondaDependencies() and 3.10.18 for create(), the anaconda and conda-forge channels, "
        "azureml-defaults unless create(pip_packages=...) replaced it, and the add_* calls replayed."
    ),
    example=(
        "deps = CondaDependencies.create(pip_packages=['scikit-learn'])\n"
        "env.python.conda_dependencies = deps"
    ),
    use_instead=(
        "env = Environment(image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',\n"
        "                  conda_file='conda.yml')"
    ),
    message="CondaDependencies is Azure ML SDK v1; use a conda dict or YAML file passed as Environment(conda_file=...)",
    fixer=fixer("conda"),
)
