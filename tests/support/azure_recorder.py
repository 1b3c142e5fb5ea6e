"""Replace MLClient's service calls with a recorder: the only fake in the suite.

Everything else is the real azure-ai-ml: the migrated program builds real job
entities, and the recorder runs azure-ai-ml's own local validation on them
before writing down what would have been submitted.
"""

from __future__ import annotations

import json
import os
from typing import Any

from azure.ai.ml.entities import AccountKeyConfiguration, AmlCompute, AzureBlobDatastore, Command, Model, Spark, Workspace
from azure.ai.ml.entities._builders import BaseNode
from azure.ai.ml.entities._job.to_rest_functions import to_rest_job_object
from azure.ai.ml.operations import (
    BatchDeploymentOperations,
    BatchEndpointOperations,
    ComponentOperations,
    ComputeOperations,
    DataOperations,
    DatastoreOperations,
    EnvironmentOperations,
    JobOperations,
    ModelOperations,
    OnlineDeploymentOperations,
    OnlineEndpointOperations,
    ScheduleOperations,
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
# "artifacts": {path: text}, "children": n or [{metric: value or [values]} per child]}: what the
# job's script (or a sweep's trials) would have logged.
_MLFLOW_URI = os.environ.get("AML_MLFLOW_URI")


def _as_mlflow_run(experiment: str | None) -> str:
    """The job as a run of the workspace's store; the program's own MLflow stays pointed where
    it was (a real submission does not point it at the workspace)."""
    import mlflow

    before = mlflow.get_tracking_uri()
    try:
        return _seeded_run(experiment)
    finally:
        mlflow.set_tracking_uri(before)


def _seeded_run(experiment: str | None) -> str:
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
        children = seed.get("children", 0)
        for index, metrics in enumerate(children if isinstance(children, list) else [None] * children):
            with mlflow.start_run(nested=True):  # a trial: what it logged (a value or a history), or its index
                for name, logged in (metrics if metrics is not None else {"child": index}).items():
                    for step, value in enumerate(logged if isinstance(logged, list) else [logged]):
                        mlflow.log_metric(name, value, step=step)
    return run.info.run_id


def _rest_conversion(job: Any) -> str | None:
    """What create_or_update does after _validate() and before the HTTP call; None when it passes."""
    try:
        to_rest_job_object(job)
    except Exception as exc:  # noqa: BLE001 - any failure is what the test wants to see
        return f"{type(exc).__name__}: {exc}"
    return None


def _create_or_update(self: JobOperations, job: Any, **kwargs: Any) -> Any:
    if isinstance(job, BaseNode) and not isinstance(job, (Command, Spark)):
        job = job._to_job()  # what create_or_update does first: a sweep node becomes a SweepJob
    code = getattr(job, "code", None)  # as the program passed it; validation makes it absolute
    validation = job._validate() if hasattr(job, "_validate") else None
    _calls.append({
        "operation": "jobs.create_or_update",
        "code": None if code is None else str(code),
        "job": _strip(job._to_dict()),
        "kwargs": {k: v for k, v in kwargs.items()},
        "client": {"workspace_name": self._operation_scope.workspace_name},  # which workspace it goes to
        "valid": validation.passed if validation is not None else True,
        "errors": validation.error_messages if validation is not None else {},
        "rest_error": _rest_conversion(job),
    })
    _save()
    if kwargs.get("experiment_name") is not None:  # (as the real method sets it before it sends the job)
        job.experiment_name = kwargs["experiment_name"]
    job.name = _as_mlflow_run(kwargs.get("experiment_name")) if _MLFLOW_URI else f"recorded-job-{len(_calls)}"
    _jobs[job.name] = job
    return job


def _get(self: JobOperations, name: str) -> Any:
    """The job as submitted, finished: a program that polls the status stops at once.  A job
    submitted before the program ran is one of ``AML_EXISTING_JOBS`` (comma-separated names)."""
    _calls.append({"operation": "jobs.get", "name": name})
    _save()
    if name not in _jobs and name in os.environ.get("AML_EXISTING_JOBS", "").split(","):
        from azure.ai.ml.entities import CommandJob

        _jobs[name] = CommandJob(name=name, command="python train.py", compute="cpu-cluster")
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
    if os.environ.get("AML_JOB_STATUS") == "Failed":  # (the real stream raises once a failed job ends)
        from azure.ai.ml.exceptions import ErrorCategory, ErrorTarget, JobException

        raise JobException(message=f"job {name} failed", no_personal_data_message="job failed",
                           target=ErrorTarget.JOB, error_category=ErrorCategory.USER_ERROR)


class _Done:
    """What ``begin_create_or_update`` returns: a poller that is already finished."""

    def __init__(self, entity: Any) -> None:
        self._entity = entity

    def result(self, timeout: float | None = None) -> Any:  # LROPoller.result(timeout=None)
        return self._entity

    def done(self) -> bool:  # LROPoller.done()
        return True


def _compute_get(self: ComputeOperations, name: str) -> Any:
    """A compute named in AML_EXISTING_COMPUTE exists; any other is missing."""
    _calls.append({"operation": "compute.get", "name": name})
    _save()
    if name in os.environ.get("AML_EXISTING_COMPUTE", "").split(","):
        return AmlCompute(name=name, size="STANDARD_DS3_V2")
    raise ResourceNotFoundError(f"compute {name!r} does not exist (recorder)")


def _compute_list(self: ComputeOperations, **kwargs: Any) -> list[Any]:
    """The computes named in AML_EXISTING_COMPUTE, as the service lists them."""
    _calls.append({"operation": "compute.list"})
    _save()
    return [AmlCompute(name=n, size="STANDARD_DS3_V2") for n in os.environ.get("AML_EXISTING_COMPUTE", "").split(",") if n]


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


# -- entities that are not jobs: mapping-extension.md 10 names _to_rest_object as their offline check

LOCATION = "westeurope"
_entities: dict[tuple[str, str], Any] = {}


def _checked(operation: str, entity: Any, convert: Any) -> _Done:
    """Record an entity and whether its REST conversion (the check before the HTTP call) passes."""
    try:
        convert()
        error = None
    except Exception as exc:  # noqa: BLE001 - any failure is what the test wants to see
        error = f"{type(exc).__name__}: {exc}"
    _calls.append({"operation": operation, "entity": _strip(entity._to_dict()), "rest_error": error})
    _save()
    _entities[(operation.split(".")[0], entity.name)] = entity
    return _Done(entity)


def _online_endpoint_create(self: OnlineEndpointOperations, endpoint: Any, **kwargs: Any) -> _Done:
    return _checked("online_endpoints.begin_create_or_update", endpoint,
                    lambda: endpoint._to_rest_online_endpoint(location=LOCATION))


def _online_deployment_create(self: OnlineDeploymentOperations, deployment: Any, **kwargs: Any) -> _Done:
    return _checked("online_deployments.begin_create_or_update", deployment,
                    lambda: deployment._to_rest_object(location=LOCATION))


def _online_endpoint_get(self: OnlineEndpointOperations, name: str, **kwargs: Any) -> Any:
    _calls.append({"operation": "online_endpoints.get", "name": name})
    _save()
    endpoint = _entities[("online_endpoints", name)]
    endpoint._scoring_uri = os.environ.get("AML_SCORING_URI", f"https://{name}.{LOCATION}.inference.ml.azure.com/score")
    endpoint._provisioning_state = "Succeeded"
    return endpoint


def _online_endpoint_keys(self: OnlineEndpointOperations, name: str) -> Any:
    from azure.ai.ml.entities import EndpointAuthKeys

    _calls.append({"operation": "online_endpoints.get_keys", "name": name})
    _save()
    return EndpointAuthKeys(primary_key="recorded-primary", secondary_key="recorded-secondary")


def _online_endpoint_delete(self: OnlineEndpointOperations, name: str | None = None, **kwargs: Any) -> _Done:
    _calls.append({"operation": "online_endpoints.begin_delete", "name": name})
    _save()
    return _Done(None)


def _online_deployment_logs(self: OnlineDeploymentOperations, name: str, endpoint_name: str, lines: int,
                            **kwargs: Any) -> str:
    _calls.append({"operation": "online_deployments.get_logs", "name": name, "endpoint_name": endpoint_name,
                   "lines": lines})
    _save()
    return "recorded log line\n"


def _batch_endpoint_create(self: BatchEndpointOperations, endpoint: Any, **kwargs: Any) -> _Done:
    return _checked("batch_endpoints.begin_create_or_update", endpoint,
                    lambda: endpoint._to_rest_batch_endpoint(location=LOCATION))


def _batch_deployment_create(self: BatchDeploymentOperations, deployment: Any, **kwargs: Any) -> _Done:
    return _checked("batch_deployments.begin_create_or_update", deployment,
                    lambda: deployment._to_rest_object(location=LOCATION))


def _batch_endpoint_invoke(self: BatchEndpointOperations, endpoint_name: str, **kwargs: Any) -> Any:
    inputs = kwargs.get("inputs") or {}
    _calls.append({"operation": "batch_endpoints.invoke", "endpoint_name": endpoint_name,
                   "kwargs": {k: v for k, v in kwargs.items() if k != "inputs"},
                   "inputs": {k: _strip(v._to_dict()) if hasattr(v, "_to_dict") else v for k, v in inputs.items()}})
    _save()
    job = Command(component="recorded")
    job.name = f"recorded-batch-job-{len(_calls)}"
    _jobs[job.name] = job
    return job


def _component_create(self: ComponentOperations, component: Any, version: str | None = None, **kwargs: Any) -> Any:
    validation = component._validate()
    _calls.append({"operation": "components.create_or_update", "version": version, "type": component.type,
                   "valid": validation.passed, "errors": validation.error_messages})
    _save()
    return component


def _rest_body(entity: Any) -> tuple[dict | None, str | None]:
    """The entity's REST body as the operation would send it, or why it could not be built."""
    try:
        return entity._to_rest_object().as_dict(), None
    except Exception as exc:  # noqa: BLE001
        return None, f"{type(exc).__name__}: {exc}"


def _schedule_create(self: ScheduleOperations, schedule: Any, **kwargs: Any) -> _Done:
    rest, error = _rest_body(schedule)
    _calls.append({"operation": "schedules.begin_create_or_update", "name": schedule.name, "rest": rest,
                   "rest_error": error})
    _save()
    return _Done(schedule)


def _schedule_toggle(operation: str) -> Any:
    def toggle(self: ScheduleOperations, name: str, **kwargs: Any) -> _Done:
        _calls.append({"operation": f"schedules.{operation}", "name": name})
        _save()
        return _Done(None)

    return toggle


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


def _datastore(name: str) -> AzureBlobDatastore:
    return AzureBlobDatastore(name=name, account_name="recordedaccount", container_name=f"{name}-container",
                              credentials=AccountKeyConfiguration(account_key="a2V5"))


def _datastore_get(self: DatastoreOperations, name: str, include_secrets: bool = False) -> AzureBlobDatastore:
    _calls.append({"operation": "datastores.get", "name": name, "include_secrets": include_secrets})
    _save()
    return _datastore(name)


def _datastore_list(self: DatastoreOperations, include_secrets: bool = False) -> list[AzureBlobDatastore]:
    _calls.append({"operation": "datastores.list"})
    _save()
    return [_datastore("workspaceblobstore"), _datastore("workspacefilestore")]


def _datastore_get_default(self: DatastoreOperations, include_secrets: bool = False) -> AzureBlobDatastore:
    _calls.append({"operation": "datastores.get_default"})
    _save()
    return _datastore("workspaceblobstore")


def _datastore_create(self: DatastoreOperations, datastore: Any) -> Any:
    """A datastore as it would be sent: its REST body, credentials included."""
    rest, error = _rest_body(datastore)
    _calls.append({"operation": "datastores.create_or_update", "name": datastore.name, "rest": rest,
                   "rest_error": error})
    _save()
    return datastore


def _data_create(self: DataOperations, data: Any, **kwargs: Any) -> Any:
    """The data asset as it would be sent: its REST form is built (the check §10 names)."""
    try:
        data._to_rest_object()
        rest_error = None
    except Exception as exc:  # noqa: BLE001
        rest_error = f"{type(exc).__name__}: {exc}"
    _calls.append({"operation": "data.create_or_update", "data": _strip(data._to_dict()), "rest_error": rest_error})
    _save()
    if data.version is None:  # the service gives a new asset its first version, a string
        data.version = "1"
    return data


class _Blob:
    def __init__(self, container: _Container, name: str) -> None:
        self.container, self.name = container, name

    def exists(self) -> bool:
        return self.name in self.container.blobs

    def upload_blob(self, data: Any, overwrite: bool = False) -> None:
        self.container.blobs[self.name] = data.read()
        _calls.append({"operation": "blob.upload", "container": self.container.name, "blob": self.name})
        _save()


class _Container:
    """azure-storage-blob's ContainerClient, in memory (blobs named in AML_EXISTING_BLOBS exist already)."""

    def __init__(self, account_url: str, container_name: str, credential: Any = None) -> None:
        self.name = container_name
        self.blobs: dict[str, bytes] = {b: b"" for b in os.environ.get("AML_EXISTING_BLOBS", "").split(",") if b}
        _calls.append({"operation": "blob.container", "account_url": account_url, "container": container_name,
                       "credential": type(credential).__name__})
        _save()

    def get_blob_client(self, name: str) -> _Blob:
        return _Blob(self, name)


def install() -> None:
    import azure.storage.blob

    azure.storage.blob.ContainerClient = _Container  # type: ignore[misc, assignment]
    DatastoreOperations.get = _datastore_get  # type: ignore[method-assign]
    DatastoreOperations.get_default = _datastore_get_default  # type: ignore[method-assign]
    DatastoreOperations.create_or_update = _datastore_create  # type: ignore[method-assign]
    DataOperations.create_or_update = _data_create  # type: ignore[method-assign]
    JobOperations.create_or_update = _create_or_update  # type: ignore[method-assign]
    JobOperations.stream = _stream  # type: ignore[method-assign]
    JobOperations.get = _get  # type: ignore[method-assign]
    JobOperations.begin_cancel = _begin_cancel  # type: ignore[method-assign]
    WorkspaceOperations.get = _workspace_get  # type: ignore[method-assign]
    ComputeOperations.get = _compute_get  # type: ignore[method-assign]
    ComputeOperations.list = _compute_list  # type: ignore[method-assign]
    DatastoreOperations.list = _datastore_list  # type: ignore[method-assign]
    ComputeOperations.begin_create_or_update = _compute_create  # type: ignore[method-assign]
    OnlineEndpointOperations.begin_create_or_update = _online_endpoint_create  # type: ignore[method-assign]
    OnlineEndpointOperations.get = _online_endpoint_get  # type: ignore[method-assign]
    OnlineEndpointOperations.get_keys = _online_endpoint_keys  # type: ignore[method-assign]
    OnlineEndpointOperations.begin_delete = _online_endpoint_delete  # type: ignore[method-assign]
    OnlineDeploymentOperations.begin_create_or_update = _online_deployment_create  # type: ignore[method-assign]
    OnlineDeploymentOperations.get_logs = _online_deployment_logs  # type: ignore[method-assign]
    BatchEndpointOperations.begin_create_or_update = _batch_endpoint_create  # type: ignore[method-assign]
    BatchEndpointOperations.invoke = _batch_endpoint_invoke  # type: ignore[method-assign]
    BatchDeploymentOperations.begin_create_or_update = _batch_deployment_create  # type: ignore[method-assign]
    ComponentOperations.create_or_update = _component_create  # type: ignore[method-assign]
    ScheduleOperations.begin_create_or_update = _schedule_create  # type: ignore[method-assign]
    ScheduleOperations.begin_disable = _schedule_toggle("begin_disable")  # type: ignore[method-assign]
    ScheduleOperations.begin_enable = _schedule_toggle("begin_enable")  # type: ignore[method-assign]
    JobOperations.list = _list  # type: ignore[method-assign]
    ModelOperations.create_or_update = _model_create  # type: ignore[method-assign]
    ModelOperations.get = _model_get  # type: ignore[method-assign]
    ModelOperations.download = _model_download  # type: ignore[method-assign]
    EnvironmentOperations.create_or_update = _environment_create  # type: ignore[method-assign]
    _save()
