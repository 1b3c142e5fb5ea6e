"""Replace MLClient's service calls with a recorder: the only fake in the suite.

Everything else is the real azure-ai-ml: the migrated program builds real job
entities, and the recorder runs azure-ai-ml's own local validation on them
before writing down what would have been submitted.
"""

from __future__ import annotations

import json
import os
from typing import Any

from azure.ai.ml.entities import AmlCompute, Model, Workspace
from azure.ai.ml.entities._job.to_rest_functions import to_rest_job_object
from azure.ai.ml.operations import (
    ComputeOperations,
    EnvironmentOperations,
    JobOperations,
    ModelOperations,
    WorkspaceOperations,
)
from azure.core.exceptions import ResourceNotFoundError

_RECORD = os.environ.get("AML_RECORD_FILE", "recorded.json")
_calls: list[dict[str, Any]] = []


def _strip(value: Any) -> Any:
    """azure-ai-ml writes ARM references as 'azureml:<x>': keep what the user passed."""
    if isinstance(value, str) and value.startswith("azureml:"):
        return value[len("azureml:"):]
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _save() -> None:
    with open(_RECORD, "w", encoding="utf-8") as handle:
        json.dump(_calls, handle, indent=1, default=str)


_jobs: dict[str, Any] = {}
# With AML_MLFLOW_URI (a file: store), each submitted job is an MLflow run there, named by
# its run id, that logged what AML_MLFLOW_SEED says: {"metrics": {name: [values]},
# "artifacts": {path: text}, "children": n}: what the job's script would have logged.
_MLFLOW_URI = os.environ.get("AML_MLFLOW_URI")


def _as_mlflow_run(experiment: str | None) -> str:
    import mlflow

    mlflow.set_tracking_uri(_MLFLOW_URI)
    mlflow.set_experiment(experiment or "Default")
    seed = json.loads(os.environ.get("AML_MLFLOW_SEED", "{}"))
    with mlflow.start_run() as run:
        for name, values in seed.get("metrics", {}).items():
            for step, value in enumerate(values):
                mlflow.log_metric(name, value, step=step)
        for path, text in seed.get("artifacts", {}).items():
            mlflow.log_text(text, path)
        for index in range(seed.get("children", 0)):
            with mlflow.start_run(nested=True):
                mlflow.log_metric("child", index)
    return run.info.run_id


def _rest_conversion(job: Any) -> str | None:
    """What create_or_update does after _validate() and before the HTTP call; None when it passes."""
    try:
        to_rest_job_object(job)
    except Exception as exc:  # noqa: BLE001 - any failure is what the test wants to see
        return f"{type(exc).__name__}: {exc}"
    return None


def _create_or_update(self: JobOperations, job: Any, **kwargs: Any) -> Any:
    code = getattr(job, "code", None)  # as the program passed it; validation makes it absolute
    validation = job._validate() if hasattr(job, "_validate") else None
    _calls.append({
        "operation": "jobs.create_or_update",
        "code": None if code is None else str(code),
        "job": _strip(job._to_dict()),
        "kwargs": {k: v for k, v in kwargs.items()},
        "valid": validation.passed if validation is not None else True,
        "errors": validation.error_messages if validation is not None else {},
        "rest_error": _rest_conversion(job),
    })
    _save()
    job.name = _as_mlflow_run(kwargs.get("experiment_name")) if _MLFLOW_URI else f"recorded-job-{len(_calls)}"
    _jobs[job.name] = job
    return job


def _get(self: JobOperations, name: str) -> Any:
    """The job as submitted, finished: a program that polls the status stops at once."""
    _calls.append({"operation": "jobs.get", "name": name})
    _save()
    job = _jobs[name]
    job._status = os.environ.get("AML_JOB_STATUS", "Completed")
    return job


def _list(self: JobOperations, *, parent_job_name: str | None = None, **kwargs: Any) -> list[Any]:
    _calls.append({"operation": "jobs.list", "parent_job_name": parent_job_name})
    _save()
    return []


def _begin_cancel(self: JobOperations, name: str, **kwargs: Any) -> _Done:
    _calls.append({"operation": "jobs.begin_cancel", "name": name})
    _save()
    return _Done(None)


def _workspace_get(self: WorkspaceOperations, name: str | None = None, **kwargs: Any) -> Workspace:
    _calls.append({"operation": "workspaces.get", "name": name})
    _save()
    workspace = Workspace(name=name or "ws", location="westeurope")
    workspace._mlflow_tracking_uri = _MLFLOW_URI  # what the service reports, here a local store
    return workspace


def _stream(self: JobOperations, name: str) -> None:
    _calls.append({"operation": "jobs.stream", "name": name})
    _save()


class _Done:
    """What ``begin_create_or_update`` returns: a poller that is already finished."""

    def __init__(self, entity: Any) -> None:
        self._entity = entity

    def result(self) -> Any:
        return self._entity


def _compute_get(self: ComputeOperations, name: str) -> Any:
    """A compute named in AML_EXISTING_COMPUTE exists; any other is missing."""
    _calls.append({"operation": "compute.get", "name": name})
    _save()
    if name in os.environ.get("AML_EXISTING_COMPUTE", "").split(","):
        return AmlCompute(name=name, size="STANDARD_DS3_V2")
    raise ResourceNotFoundError(f"compute {name!r} does not exist (recorder)")


def _rest_error(entity: Any) -> str | None:
    """What the operation does before its HTTP call: the entity's REST form."""
    try:
        entity._to_rest_object()
    except Exception as exc:  # noqa: BLE001 - any failure is what the test wants to see
        return f"{type(exc).__name__}: {exc}"
    return None


def _compute_create(self: ComputeOperations, compute: Any, **kwargs: Any) -> _Done:
    error = _rest_error(compute)
    _calls.append({"operation": "compute.begin_create_or_update", "compute": _strip(compute._to_dict()),
                   "rest": compute._to_rest_object().as_dict() if error is None else None, "rest_error": error})
    _save()
    return _Done(compute)


def _model_create(self: ModelOperations, model: Any) -> Any:
    _calls.append({"operation": "models.create_or_update", "model": _strip(model._to_dict()),
                   "rest_error": _rest_error(model)})
    _save()
    model.version = "1"
    return model


def _model_get(self: ModelOperations, name: str, version: str | None = None, label: str | None = None) -> Any:
    if not version and not label:  # what the real operation raises
        raise ValueError("Must provide either version or label")
    _calls.append({"operation": "models.get", "name": name, "version": version, "label": label})
    _save()
    return Model(name=name, version=version or "7", path="azureml://datastores/workspaceblobstore/paths/model")


def _model_download(self: ModelOperations, name: str, version: str, download_path: Any = ".") -> None:
    _calls.append({"operation": "models.download", "name": name, "version": version,
                   "download_path": str(download_path)})
    _save()


def _environment_create(self: EnvironmentOperations, environment: Any) -> Any:
    _calls.append({"operation": "environments.create_or_update", "environment": _strip(environment._to_dict()),
                   "rest_error": _rest_error(environment)})
    _save()
    return environment


def install() -> None:
    JobOperations.create_or_update = _create_or_update  # type: ignore[method-assign]
    JobOperations.stream = _stream  # type: ignore[method-assign]
    JobOperations.get = _get  # type: ignore[method-assign]
    JobOperations.begin_cancel = _begin_cancel  # type: ignore[method-assign]
    WorkspaceOperations.get = _workspace_get  # type: ignore[method-assign]
    ComputeOperations.get = _compute_get  # type: ignore[method-assign]
    ComputeOperations.begin_create_or_update = _compute_create  # type: ignore[method-assign]
    JobOperations.list = _list  # type: ignore[method-assign]
    ModelOperations.create_or_update = _model_create  # type: ignore[method-assign]
    ModelOperations.get = _model_get  # type: ignore[method-assign]
    ModelOperations.download = _model_download  # type: ignore[method-assign]
    EnvironmentOperations.create_or_update = _environment_create  # type: ignore[method-assign]
    _save()
