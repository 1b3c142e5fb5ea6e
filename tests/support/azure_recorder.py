"""Replace MLClient's service calls with a recorder: the only fake in the suite.

Everything else is the real azure-ai-ml: the migrated program builds real job
entities, and the recorder runs azure-ai-ml's own local validation on them
before writing down what would have been submitted.
"""

from __future__ import annotations

import json
import os
from typing import Any

from azure.ai.ml.operations import ComputeOperations, JobOperations
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


def _create_or_update(self: JobOperations, job: Any, **kwargs: Any) -> Any:
    code = getattr(job, "code", None)  # as the program passed it; validation makes it absolute
    validation = job._validate()
    _calls.append({
        "operation": "jobs.create_or_update",
        "code": None if code is None else str(code),
        "job": _strip(job._to_dict()),
        "kwargs": {k: v for k, v in kwargs.items()},
        "valid": validation.passed,
        "errors": validation.error_messages,
    })
    _save()
    job.name = f"recorded-job-{len(_calls)}"
    return job


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
    ComputeOperations.get = _compute_get  # type: ignore[method-assign]
    ComputeOperations.begin_create_or_update = _compute_create  # type: ignore[method-assign]
    _save()
