"""AML021: the v1 ``Environment`` class and its factories (from_conda_specification, get, ...)."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

# The base image v1 used when none was given (mapping.md 4.3: azureml-core 1.61's
# default CPU image family); v2 requires one to be spelled out.

ENVIRONMENT = "azureml.core.Environment"
_DEFAULT_V2 = 'azure.ai.ml.entities.Environment(image=..., conda_file=...) or a "name@latest" reference'

_V2_FORMS = {
    "": "azure.ai.ml.entities.Environment(image=..., conda_file=...)",
    "from_conda_specification": "azure.ai.ml.entities.Environment(image=<base image>, conda_file=<file>)",
    "from_pip_requirements": (
        "azure.ai.ml.entities.Environment(image=..., conda_file=<a conda dict listing the file's lines under pip>)"
    ),
    "from_docker_image": "azure.ai.ml.entities.Environment(image=..., conda_file=...)",
    "from_dockerfile": "azure.ai.ml.entities.Environment(build=BuildContext(path=<folder>))",
    "get": 'a "name:version" or "name@latest" reference, or ml_client.environments.get(name, version=...)',
}


RULE = Rule(
    code="AML021",
    name="environment",
    family=Family.ASSETS,
    v1="Environment.from_conda_specification()",
    v2=_DEFAULT_V2,
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=member_calls(ENVIRONMENT, lambda member: _V2_FORMS.get(member, _DEFAULT_V2)),
    why=(
        "A v2 environment is an entity built in one call: a base image (or a Docker build "
        "context) plus an optional conda file. v1 filled in a default base image and conda file "
        "silently; v2 needs them spelled out, so the fix writes v1's (its tagged base image, "
        "python 3.8.13 and azureml-defaults). Registered and curated environments are referenced "
        "by an 'azureml:name:version' or 'azureml:name@latest' string; env.register(ws) becomes "
        "ml_client.environments.create_or_update(env)."
    ),
    example="env = Environment.from_conda_specification(name='train-env', file_path='env.yml')",
    use_instead=(
        "env = Environment(image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',\n"
        "                  conda_file='env.yml')"
    ),
    fixer=fixer("environment"),
)
