"""CallSpec.new as a template: the new callee can be a method of an object the
caller names (``{client}.datastores.get``), not only an importable symbol."""

from __future__ import annotations

import ast

from flake8_azureml_v2.engine.analysis import analyse
from flake8_azureml_v2.engine.fixing.edits import apply_edits
from flake8_azureml_v2.engine.fixing.rewrite import FixContext, Rewrite
from flake8_azureml_v2.engine.fixing.specs import Build, CallSpec, Keep, apply_call_spec
from flake8_azureml_v2.rules import all_rules
from flake8_azureml_v2.v1api import SURFACE

SPEC = CallSpec(old="azureml.core.Datastore.get", signature=("workspace", "datastore_name"),
                new="{client}.datastores.get", params={"workspace": Build(lambda a: []), "datastore_name": Keep("name")})


def _rewrite(text: str) -> str:
    ctx = FixContext(analyse(text, rules=all_rules(), surface=SURFACE))
    call = next(n for n in ast.walk(ctx.model.tree) if isinstance(n, ast.Call) and ctx.callee(n) == SPEC.old)
    rewrite = Rewrite("AML023", call, "test")
    apply_call_spec(SPEC, call, rewrite, ctx, names={"client": "ml_client"})
    return apply_edits(text, rewrite.edits)


def test_template_callee_with_a_positional_argument() -> None:
    text = "from azureml.core import Datastore, Workspace\nws = Workspace.from_config()\nstore = Datastore.get(ws, 'raw')\n"
    assert _rewrite(text).endswith("store = ml_client.datastores.get(name='raw')\n")


def test_template_callee_with_keywords() -> None:
    text = ("from azureml.core import Datastore, Workspace\nws = Workspace.from_config()\n"
            "store = Datastore.get(workspace=ws, datastore_name='raw')\n")
    assert _rewrite(text).endswith("store = ml_client.datastores.get(name='raw')\n")
