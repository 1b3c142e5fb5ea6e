"""Replace MLClient's service calls with a recorder: the only fake in the suite.

Everything else is the real azure-ai-ml: the migrated program builds real job
entities, and the recorder runs azure-ai-ml's own local validation on them
before writing down what would have been submitted.
"""

from __future__ import annotations

import json
import os
from typing import Any

from azure.ai.ml.entities import Workspace
from azure.ai.ml.entities._job.to_rest_functions import to_rest_job_object
from azure.ai.ml.operations import ComputeOperations, JobOperations, WorkspaceOperations
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


def install() -> None:
    JobOperations.create_or_update = _create_or_update  # type: ignore[method-assign]
    JobOperations.stream = _stream  # type: ignore[method-assign]
    JobOperations.get = _get  # type: ignore[method-assign]
    JobOperations.begin_cancel = _begin_cancel  # type: ignore[method-assign]
    WorkspaceOperations.get = _workspace_get  # type: ignore[method-assign]
    ComputeOperations.get = _compute_get  # type: ignore[method-assign]
    ComputeOperations.begin_create_or_update = _compute_create  # type: ignore[method-assign]
    _save()
