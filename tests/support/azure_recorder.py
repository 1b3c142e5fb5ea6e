"""Replace MLClient's service calls with a recorder: the only fake in the suite.

Everything else is the real azure-ai-ml: the migrated program builds real job
entities, and the recorder runs azure-ai-ml's own local validation on them
before writing down what would have been submitted.
"""

from __future__ import annotations

import json
import os
from typing import Any

from azure.ai.ml.entities import AccountKeyConfiguration, AzureBlobDatastore, Workspace
from azure.ai.ml.entities._job.to_rest_functions import to_rest_job_object
from azure.ai.ml.operations import ComputeOperations, DataOperations, DatastoreOperations, JobOperations, WorkspaceOperations
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
    job.name = f"recorded-job-{len(_calls)}"
    _jobs[job.name] = job
    return job


def _get(self: JobOperations, name: str) -> Any:
    """The job as submitted, finished: a program that polls the status stops at once."""
    _calls.append({"operation": "jobs.get", "name": name})
    _save()
    job = _jobs[name]
    job._status = "Completed"
    return job


def _begin_cancel(self: JobOperations, name: str, **kwargs: Any) -> _Done:
    _calls.append({"operation": "jobs.begin_cancel", "name": name})
    _save()
    return _Done(None)


def _workspace_get(self: WorkspaceOperations, name: str | None = None, **kwargs: Any) -> Workspace:
    _calls.append({"operation": "workspaces.get", "name": name})
    _save()
    return Workspace(name=name or "ws", location="westeurope")


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
    _calls.append({"operation": "compute.get", "name": name})
    _save()
    raise ResourceNotFoundError(f"compute {name!r} does not exist (recorder)")


def _compute_create(self: ComputeOperations, compute: Any, **kwargs: Any) -> _Done:
    _calls.append({"operation": "compute.begin_create_or_update", "compute": _strip(compute._to_dict())})
    _save()
    return _Done(compute)


def _datastore(name: str) -> AzureBlobDatastore:
    return AzureBlobDatastore(name=name, account_name="recordedaccount", container_name=f"{name}-container",
                              credentials=AccountKeyConfiguration(account_key="a2V5"))


def _datastore_get(self: DatastoreOperations, name: str, include_secrets: bool = False) -> AzureBlobDatastore:
    _calls.append({"operation": "datastores.get", "name": name, "include_secrets": include_secrets})
    _save()
    return _datastore(name)


def _datastore_get_default(self: DatastoreOperations, include_secrets: bool = False) -> AzureBlobDatastore:
    _calls.append({"operation": "datastores.get_default"})
    _save()
    return _datastore("workspaceblobstore")


def _data_create(self: DataOperations, data: Any, **kwargs: Any) -> Any:
    """The data asset as it would be sent: its REST form is built (the check §10 names)."""
    try:
        data._to_rest_object()
        rest_error = None
    except Exception as exc:  # noqa: BLE001
        rest_error = f"{type(exc).__name__}: {exc}"
    _calls.append({"operation": "data.create_or_update", "data": _strip(data._to_dict()), "rest_error": rest_error})
    _save()
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
    DataOperations.create_or_update = _data_create  # type: ignore[method-assign]
    JobOperations.create_or_update = _create_or_update  # type: ignore[method-assign]
    JobOperations.stream = _stream  # type: ignore[method-assign]
    JobOperations.get = _get  # type: ignore[method-assign]
    JobOperations.begin_cancel = _begin_cancel  # type: ignore[method-assign]
    WorkspaceOperations.get = _workspace_get  # type: ignore[method-assign]
    ComputeOperations.get = _compute_get  # type: ignore[method-assign]
    ComputeOperations.begin_create_or_update = _compute_create  # type: ignore[method-assign]
    _save()
