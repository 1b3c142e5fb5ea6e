"""Is this module a training script (code that runs inside a job)?

AML010 and AML099 split the v1 imports on this question, and in-job rules read it
too.  The evidence, in order: the module calls ``Run.get_context()``; an adapter
knows it from elsewhere (a notebook cell that writes a script the notebook
submits); the path matches a configured training-script pattern; another file
of the project names it with ``script=``, ``script_name=`` or ``entry_script=``.
"""

from __future__ import annotations

from ..engine.context import Context
from ..engine.files import matching_pattern

RUN_GET_CONTEXT = "azureml.core.Run.get_context"


def training_evidence(ctx: Context) -> str | None:
    """Why this module counts as a training script, or None when it does not."""
    if "training_evidence" not in ctx.cache:
        ctx.cache["training_evidence"] = _evidence(ctx)
    return ctx.cache["training_evidence"]


def _evidence(ctx: Context) -> str | None:
    if ctx.model.calls_to(RUN_GET_CONTEXT):
        return "it calls Run.get_context()"
    if ctx.settings.training_evidence:
        return ctx.settings.training_evidence
    if ctx.path is None:
        return None
    pattern = matching_pattern(ctx.path, ctx.settings.training_scripts, ctx.settings.base)
    if pattern is not None:
        return f"it matches the training-script pattern {pattern!r}"
    if ctx.settings.project_index:
        from ..engine.project import index_for

        index = index_for(ctx.path, ctx.settings, ctx.model.surface)
        reference = index.reference_to(ctx.path)
        if reference is not None and reference.orchestrator != ctx.path:
            return reference.describe(index.root)
    return None


