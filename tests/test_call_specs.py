"""The spec interpreter's generic features: ``**settings`` read entry by entry, a new
callable that is an attribute of an import, and a callee built from the arguments."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_azureml_v2.engine.analysis import analyse
from flake8_azureml_v2.engine.fixing.edits import apply_edits
from flake8_azureml_v2.engine.fixing.rewrite import FixContext, Rewrite
from flake8_azureml_v2.engine.fixing.specs import Build, CallSpec, Drop, Keep, Refused, apply_call_spec
from flake8_azureml_v2.engine.fixing.symbols import symbols_in
from flake8_azureml_v2.rules import all_rules
from flake8_azureml_v2.v1api import SURFACE

OLD = "azureml.train.automl.AutoMLConfig"


def _apply(program: str, spec: CallSpec) -> tuple[str, Rewrite]:
    text = textwrap.dedent(program)
    ctx = FixContext(analyse(text, rules=all_rules(), surface=SURFACE))
    call = next(site.node for site in ctx.model.calls_to(OLD))
    rewrite = Rewrite("AML051", call, "test")
    apply_call_spec(spec, call, rewrite, ctx, ctx.assigned_binding(call))
    return apply_edits(text, rewrite.edits), rewrite


SPEC = CallSpec(old=OLD, signature=("task", "label_column_name", "verbosity", "iterations"),
                new=("azure.ai.ml", "automl.regression"),
                params={"task": Build(lambda a: []), "label_column_name": Keep("target_column_name"),
                        "verbosity": Drop("verbosity dropped"), "iterations": Keep("max_trials")})

PROGRAM = """\
from azureml.train.automl import AutoMLConfig
settings = {
    "iterations": 5,  # a short run
    "verbosity": 20,
}
cfg = AutoMLConfig(task="regression", label_column_name="y", **settings)
"""


def test_a_literal_settings_dict_is_read_entry_by_entry() -> None:
    text, rewrite = _apply(PROGRAM, SPEC)
    assert "settings = {" not in text and "**settings" not in text
    assert "# a short run" in text  # the dict's comments stay
    assert 'target_column_name="y", max_trials=5)' in text
    assert "verbosity dropped" in rewrite.notes


def test_the_new_callable_may_be_an_attribute_of_the_imported_name() -> None:
    text, _ = _apply(PROGRAM, SPEC)
    assert [(s.module, s.name) for s in symbols_in(text)] == [("azure.ai.ml", "automl")]
    assert ".regression(" in text


@pytest.mark.parametrize("settings", [
    'settings = {"iterations": 5}\nsettings["verbosity"] = 20\n',  # used twice
    'settings = dict(iterations=5)\n',  # not a literal
    'settings = {"no such": 5}\n',  # not a parameter name
])
def test_a_settings_dict_that_is_not_plain_is_refused(settings: str) -> None:
    program = "from azureml.train.automl import AutoMLConfig\n" + settings + \
        'cfg = AutoMLConfig(task="regression", **settings)\n'
    with pytest.raises(Refused):
        _apply(program, SPEC)


def test_a_settings_entry_given_twice_is_refused() -> None:
    program = 'from azureml.train.automl import AutoMLConfig\nsettings = {"iterations": 5}\n' \
        'cfg = AutoMLConfig(task="regression", iterations=3, **settings)\n'
    with pytest.raises(Refused, match="passed twice"):
        _apply(program, SPEC)


def test_a_callee_built_from_the_arguments_replaces_new() -> None:
    def callee(arguments, ctx, rewrite) -> str:  # type: ignore[no-untyped-def]
        return f"trial_{ast.literal_eval(arguments['task'].text)}.sweep"

    spec = CallSpec(old=OLD, signature=SPEC.signature, new=("unused", "unused"), params=SPEC.params, callee=callee)
    text, _ = _apply('from azureml.train.automl import AutoMLConfig\ncfg = AutoMLConfig(task="regression", iterations=2)\n',
                     spec)
    assert "cfg = trial_regression.sweep(max_trials=2)" in text


def test_a_drop_that_refuses_its_other_values() -> None:
    from flake8_azureml_v2.engine.fixing.specs import Refuse

    spec = CallSpec(old=OLD, signature=("task", "iterations"), new=("azure.ai.ml", "automl.regression"),
                    params={"task": Build(lambda a: []),
                            "iterations": Drop(when=lambda a: a.text == "1000", otherwise=Refuse("not the default"))})
    assert "iterations" not in _apply('from azureml.train.automl import AutoMLConfig\n'
                                      'cfg = AutoMLConfig(task="regression", iterations=1000)\n', spec)[0]
    with pytest.raises(Refused, match="not the default"):
        _apply('from azureml.train.automl import AutoMLConfig\ncfg = AutoMLConfig(task="regression", iterations=5)\n',
               spec)
