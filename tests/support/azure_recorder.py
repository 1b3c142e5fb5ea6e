"""Replace MLClient's service calls with a recorder: the only fake in the suite.

Everything else is the real azure-ai-ml: the migrated program builds real job
entities, and the recorder runs azure-ai-ml's own local validation on them
before writing down what would have been submitted.
"""

from __future__ import annotations

import json
import os
from typing import Any

from azure.ai.ml.operations import JobOperations

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


def install() -> None:
    JobOperations.create_or_update = _create_or_update  # type: ignore[method-assign]
    JobOperations.stream = _stream  # type: ignore[method-assign]
    _save()
