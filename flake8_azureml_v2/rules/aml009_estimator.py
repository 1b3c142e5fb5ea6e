"""AML009: v1 estimators (``Estimator``, ``PyTorch``, ``TensorFlow``, ``Chainer``, ``SKLearn``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ..engine.names import Ref
from ..migrations import fixer
from ._matchers import sg_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit

ESTIMATORS = frozenset(
    {
        "azureml.train.estimator.Estimator",
        "azureml.train.dnn.PyTorch",
        "azureml.train.dnn.TensorFlow",
        "azureml.train.dnn.Chainer",
        "azureml.train.sklearn.SKLearn",
    }
)


def detect(ctx: Context) -> Iterator[Hit]:
    """Calls of any v1 estimator class; the message names the class used."""
    for call in ctx.model.calls:
        callee = call.callee
        if isinstance(callee, Ref) and callee.qualname in ESTIMATORS:
            short = callee.qualname.rsplit(".", 1)[1]
            yield (
                call.node,
                (
                    f"{short}() is a v1 estimator (Azure ML SDK v1); "
                    "use command() with an explicit environment"
                ),
            )


RULE = Rule(
    code="AML009",
    name="estimator",
    family=Family.JOBS,
    v1="Estimator() / PyTorch() / TensorFlow() / Chainer() / SKLearn()",
    v2="command() with an environment",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "Estimators have no v2 class; a command job replaces them. entry_script and "
        "script_params (a dict of flags) become the command string, source_directory "
        "becomes code, and the framework image the estimator chose for you must be given "
        "as an explicit environment, because v2 requires one."
    ),
    example=(
        "est = PyTorch(source_directory='./src', entry_script='fit.py',\n"
        "              script_params={'--epochs': 5}, compute_target=cluster)"
    ),
    use_instead=(
        "job = command(code='./src', command='python fit.py --epochs 5',\n"
        "              compute='gpu-cluster', environment=env)"
    ),
    sg_rule=sg_calls("Estimator", "PyTorch", "TensorFlow", "Chainer", "SKLearn"),
    fixer=fixer("estimators"),
)
