"""v1 defaults that SDK v2 does not apply for you, written out in the migrated program.

v1 ran a script run or a pipeline step without an environment in its default
environment (mapping-extension.md 1.1): the base image of azureml-core 1.61 and
a conda file with python 3.8.13 and azureml-defaults.  v2 needs one named, so
the migration writes the same definition once per module and reuses it.
"""

from __future__ import annotations

from ..engine.fixing.symbols import symbol

# DEFAULT_CPU_IMAGE of azureml-core 1.61.0 (its tag from azureml_base_images.json).
V1_CPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1"
# DEFAULT_GPU_IMAGE of azureml-core 1.61.0: untagged, as that file has no tag for it (mapping-extension "Constants")
V1_GPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
# v1's image constants (azureml.core.environment, re-exported by azureml.core.runconfig) -> their values
V1_IMAGES = {"DEFAULT_CPU_IMAGE": V1_CPU_IMAGE, "DEFAULT_GPU_IMAGE": V1_GPU_IMAGE}
DEFAULT_ENVIRONMENT = "V1_DEFAULT_ENVIRONMENT"
DEFAULT_MLFLOW_ENVIRONMENT = "V1_DEFAULT_ENVIRONMENT_MLFLOW"
_SOURCE = """\
# TODO(azureml-v2): {code} {what}
{name} = {environment}(
    image="{image}",
    conda_file={{
        "name": "project_environment",
        "channels": ["anaconda", "conda-forge"],
        "dependencies": ["python=3.8.13", {{"pip": [{pip}]}}],
    }},
)
"""
_PLAIN = ("v1's default environment, written out (python 3.8.13 and azureml-defaults); add mlflow and "
          "azureml-mlflow when the job logs with MLflow")
_WITH_MLFLOW = ("v1's default environment, written out (python 3.8.13 and azureml-defaults), with mlflow and "
                "azureml-mlflow added for the job scripts that log with MLflow once migrated")


def default_environment(code: str, mlflow: bool = False) -> dict[str, str]:
    """The helper that defines v1's default environment (with mlflow added, for a job whose
    script logs with MLflow once migrated); ``code`` names the rule in its TODO."""
    name = DEFAULT_MLFLOW_ENVIRONMENT if mlflow else DEFAULT_ENVIRONMENT
    pip = '"azureml-defaults", "mlflow", "azureml-mlflow"' if mlflow else '"azureml-defaults"'
    return {name: _SOURCE.format(code=code, what=_WITH_MLFLOW if mlflow else _PLAIN, name=name, image=V1_CPU_IMAGE,
                                 environment=symbol("azure.ai.ml.entities", "Environment"), pip=pip)}


def default_environment_name(mlflow: bool) -> str:
    return DEFAULT_MLFLOW_ENVIRONMENT if mlflow else DEFAULT_ENVIRONMENT
