"""MethodSpec: a method call on a migrated object becomes a template; parameters the
call leaves out take the spec's defaults."""

from __future__ import annotations

import ast

from flake8_azureml_v2.api import analyse
from flake8_azureml_v2.engine.fixing.edits import apply_edits
from flake8_azureml_v2.engine.fixing.rewrite import FixContext, Rewrite
from flake8_azureml_v2.engine.fixing.specs import MethodSpec, apply_method_spec

SPEC = MethodSpec("download", ("name", "target"), template="fetch({receiver}, {name}, target={target})",
                  defaults={"target": '"."'}, accepts=lambda values: "name" in values)


def _apply(source: str) -> tuple[bool, str]:
    ctx = FixContext(analyse(source))
    use = next(n for n in ast.walk(ctx.model.tree) if isinstance(n, ast.Name) and n.id == "run"
               and isinstance(ctx.parent(n), ast.Attribute))
    unit = Rewrite("X001", use, "test")
    done = apply_method_spec(SPEC, use, unit, ctx, {})
    return done, apply_edits(source, unit.edits)


def test_a_left_out_parameter_takes_the_default() -> None:
    assert _apply("from azureml.core import Run\nrun = Run.get_context()\nrun.download('a')\n")[1].endswith(
        "fetch(run, 'a', target=\".\")\n")


def test_a_passed_parameter_wins_over_the_default() -> None:
    assert _apply("from azureml.core import Run\nrun = Run.get_context()\nrun.download('a', target='b')\n")[1].endswith(
        "fetch(run, 'a', target='b')\n")


def test_accepts_can_refuse_the_call() -> None:
    done, text = _apply("from azureml.core import Run\nrun = Run.get_context()\nrun.download(target='b')\n")
    assert not done and text.endswith("run.download(target='b')\n")
