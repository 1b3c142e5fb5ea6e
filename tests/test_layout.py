"""The layout of fixed code: the blank lines and argument lines pycodestyle checks (E303,
W391, W291, E128) come out as the author had them, where statements go or arguments move."""

from __future__ import annotations

import subprocess
import sys

from flake8_azureml_v2.api import fix_text


def _fixed(text: str) -> str:
    outcome = fix_text(text, unsafe=True)
    assert outcome.fixed, "nothing was fixed"
    assert fix_text(outcome.text, unsafe=True).text == outcome.text  # a second run changes nothing
    return outcome.text


def _pycodestyle(text: str, codes: str) -> str:
    found = subprocess.run([sys.executable, "-m", "pycodestyle", f"--select={codes}", "-"], input=text,
                           capture_output=True, text=True)
    return found.stdout


def test_statements_removed_between_blank_lines_leave_the_authors_spacing() -> None:
    text = _fixed("""\
import os
from azureml.core import Run


run = Run.get_context()


print(os.getcwd())
run.log("loss", 0.5)
""")
    # the TODO on the job's environment takes the deleted statement's line, between the author's blank lines
    assert text == ("import os\nimport mlflow\n\n\n# TODO(azureml-v2): AML011 this script logs with MLflow: its job's "
                    "environment needs mlflow and azureml-mlflow\n\n\nprint(os.getcwd())\nmlflow.log_metric(\"loss\", 0.5)\n")
    assert _pycodestyle(text, "E30,W391") == ""


def test_a_last_statement_removed_takes_the_blank_lines_before_it() -> None:
    text = _fixed("""\
from azureml.core import Run

run = Run.get_context()
run.log("loss", 0.5)

run.complete()
""")
    assert text.endswith('mlflow.log_metric("loss", 0.5)\n')
    assert _pycodestyle(text, "E30,W391") == ""


def test_blank_lines_the_author_left_at_the_end_stay_where_no_statement_went() -> None:
    kept = _fixed('from azureml.core import Run\n\nrun = Run.get_context()\nrun.log("loss", 0.5)\n\n')
    assert kept.endswith('mlflow.log_metric("loss", 0.5)\n\n')
    gone = _fixed('from azureml.core import Run\n\nrun = Run.get_context()\nrun.log("loss", 0.5)\n\nrun.complete()\n\n')
    assert gone.endswith('mlflow.log_metric("loss", 0.5)\n')  # they went with the last statement


def test_a_name_put_first_into_a_multi_line_call_takes_its_own_line() -> None:
    text = _fixed("""\
from azureml.core import Workspace
from azureml.core.compute import AmlCompute, ComputeTarget

ws = Workspace.from_config()
config = AmlCompute.provisioning_configuration(
    vm_size="STANDARD_DS3_V2",
    max_nodes=4,
)
cluster = ComputeTarget.create(ws, "cpu-cluster", config)
""")
    assert '(\n    name="cpu-cluster",\n    size="STANDARD_DS3_V2",\n' in text
    assert _pycodestyle(text, "W291,E12") == ""


def test_arguments_aligned_with_the_bracket_move_with_it() -> None:
    text = _fixed('''\
from azureml.core import Run

run = Run.get_context()
run.log(name="message",
        value="hello")
run.tag("stage",
        "train")
run.log(name="notes", value="""one
        two""")
''')
    assert 'mlflow.set_tag(key="message",\n               value="hello")\n' in text
    assert 'mlflow.set_tag("stage",\n               "train")\n' in text
    assert 'value="""one\n        two""")' in text  # a string's own lines keep their text
    assert _pycodestyle(text, "E12") == ""


def test_an_argument_the_fix_appends_lines_up_with_the_moved_ones() -> None:
    text = _fixed("""\
from azureml.core import Model, Workspace
from azureml.core.compute import AmlCompute, ComputeTarget

ws = Workspace.from_config()
model = Model.register(model_path="model.pkl",
                       model_name="diabetes",
                       workspace=ws)
config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2",
                                               max_nodes=2,
                                               vm_priority="dedicated"
                                               )
cluster = ComputeTarget.create(ws, "cpu-cluster", config)
""")
    # the v2 type= replaces workspace= and idle_time_before_scale_down= is v1's default written out
    assert ('ml_client.models.create_or_update(Model(path="model.pkl",\n'
            '                                                name="diabetes",\n'
            '                                                type=AssetTypes.CUSTOM_MODEL))\n') in text
    assert ('config = AmlCompute(name="cpu-cluster", size="STANDARD_DS11_V2",\n'
            '                    max_instances=2,\n'
            '                    tier="dedicated",\n'
            '                    idle_time_before_scale_down=1800\n'
            '                    )\n') in text
    assert _pycodestyle(text, "E127,E128") == ""


def test_a_hanging_indent_stays_where_it_is() -> None:
    text = _fixed("""\
from azureml.core import Run

run = Run.get_context()
run.log(
    name="message",
    value="hello",
)
""")
    assert 'mlflow.set_tag(\n    key="message",\n    value="hello",\n)\n' in text


def test_arguments_a_helper_call_adds_join_a_hanging_list() -> None:
    text = _fixed("""\
from azureml.core import Datastore, Workspace

ws = Workspace.from_config()
datastore = Datastore.get(workspace=ws, datastore_name="blobs")
datastore.upload_files(
  files=["./data/pima.csv"],
  overwrite=True,
)
""")
    assert '_v1_datastore_upload_files(\n  ml_client, datastore.name,\n  files=["./data/pima.csv"],\n' in text
    assert _pycodestyle(text, "E127,E128") == ""  # (the two-space hanging indent is the author's: E121)



def test_a_call_moved_below_its_folded_settings_keeps_its_arguments_aligned() -> None:
    """``config.run_config.environment = env`` after the call folds into it, so the call is
    written again below that line; its aligned arguments follow the shorter callee there too."""
    text = _fixed('''\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
experiment = Experiment(workspace=ws, name="exp")
config = ScriptRunConfig(source_directory="./src",
                         script="train.py",
                         compute_target="cpu-cluster")
env = Environment.from_conda_specification(name="pytorch-env", file_path="env.yml")
config.run_config.environment = env
run = experiment.submit(config)
''')
    assert ('config = command(code="./src",\n                 command="python train.py",\n'
            '                 compute="cpu-cluster", environment=env)\n') in text, text
    assert _pycodestyle(text, "E12") == ""


def test_a_statement_written_again_moves_aligned_lines_but_not_a_strings_own() -> None:
    from flake8_azureml_v2.engine.fixing import alignment

    old = 'x = ScriptRunConfig(a=1,\n                    b="""one\n                    two""",\n                    c=3)\n'
    new = old.replace("ScriptRunConfig", "command")
    moved = alignment.realigned_statement(new, new.index("("), old.index("("))
    assert moved == 'x = command(a=1,\n            b="""one\n                    two""",\n            c=3)\n'
    assert alignment.realigned_statement(new.replace("(a=1,", "(\n"), new.index("("), old.index("(")) == \
        new.replace("(a=1,", "(\n")  # a hanging indent does not follow the bracket
