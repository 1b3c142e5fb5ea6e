"""flake8-azureml-v2: find Azure ML SDK v1 code and migrate it to SDK v2."""

__version__ = "0.1.0"
