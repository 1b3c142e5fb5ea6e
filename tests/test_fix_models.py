"""Registered models, executed (mapping-extension.md 7.1-7.2): registration, lookups and
downloads through ml_client.models, and Model.get_model_path in a scoring script read from
AZUREML_MODEL_DIR with v1's single-entry rule."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import run
from .migrate_helpers import execute, fix, no_v1, project, ruff_clean, write_notebook


def test_register_lookup_and_download(tmp_path: Path) -> None:
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "model.pkl").write_text("weights")
    script = project(tmp_path, """\
from azureml.core import Model, Workspace

ws = Workspace.from_config()
# v1's positional order: the path comes before the name
model = Model.register(ws, "outputs/model.pkl", "churn", tags={"area": "sales"}, model_framework="ScikitLearn")
print(model.name, model.version)
latest = Model(ws, "churn")
print(latest.version)
next_version = latest.version + 1
pinned = Model(workspace=ws, name="churn", version=3)
print(pinned.id)
same = ws.models["churn"]
print(same.version)
""")
    report = fix(script)
    assert no_v1(script.read_text()), report
    # v1's Model.id is "name:version"; v2's id is the ARM resource id
    assert 'print(f"{pinned.name}:{pinned.version}")' in script.read_text()
    # v1's version is an int, v2's a string: where it is more than printed, int() keeps v1's
    assert "print(latest.version)\nnext_version = int(latest.version) + 1\n" in script.read_text()
    ruff_clean(script)
    records = execute(script)
    created = next(r for r in records if r["operation"] == "models.create_or_update")
    assert created["rest_error"] is None
    assert created["model"]["name"] == "churn" and created["model"]["type"] == "custom_model"
    assert created["model"]["path"].endswith("outputs/model.pkl") and created["model"]["tags"] == {"area": "sales"}
    gets = [(r["name"], r["version"], r["label"]) for r in records if r["operation"] == "models.get"]
    assert gets == [("churn", None, "latest"), ("churn", "3", None), ("churn", None, "latest")]
    assert "model_framework= dropped" in report


@pytest.mark.parametrize(("configuration", "dropped"), [
    ("ResourceConfiguration(cpu=1, memory_in_gb=0.5)", True),  # only holds its arguments
    ("ResourceConfiguration(cpu=cores(), memory_in_gb=0.5)", False),  # computed: dropping it skips cores()
])
def test_a_resource_configuration_is_dropped_when_building_it_does_nothing_else(
        tmp_path: Path, configuration: str, dropped: bool) -> None:
    """v2's Model has no resource configuration (mapping-extension 7.1: drop)."""
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "model.pkl").write_text("weights")
    script = project(tmp_path, f"""\
from azureml.core import Model, Workspace
from azureml.core.resource_configuration import ResourceConfiguration


def cores():
    return 1


ws = Workspace.from_config()
model = Model.register(workspace=ws, model_path="outputs/model.pkl", model_name="m",
                       resource_configuration={configuration})
print(model.name)
""")
    report = fix(script)
    if not dropped:
        assert "AML070 left: resource_configuration= is computed by a call" in report, report
        return
    assert no_v1(script.read_text()) and "resource_configuration= dropped" in report, report
    ruff_clean(script)
    created = next(r for r in execute(script) if r["operation"] == "models.create_or_update")
    assert created["rest_error"] is None and created["model"]["name"] == "m"


def test_a_download_keeps_its_v1_model(tmp_path: Path) -> None:
    """v1's model.download(target_dir) writes the model's files into target_dir; v2's
    ml_client.models.download writes them into target_dir/<name>/, where the code that reads
    them next would not look: the download and its v1 model stay, and say why."""
    script = project(tmp_path, 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                               'latest = Model(ws, "churn")\nlatest.download(target_dir="downloaded", exist_ok=True)\n'
                               'print(open("downloaded/model.pkl").read())\n')
    report = fix(script)
    text = script.read_text()
    assert 'latest = Model(ws, "churn")\nlatest.download(target_dir="downloaded", exist_ok=True)' in text
    assert "models.download" not in text
    assert "`latest` is also used at line 5 (`latest.download(" in report, report


SCORE = """\
import json

from azureml.core.model import Model


def init():
    global model_path
    model_path = Model.get_model_path("churn")


def run(raw):
    return json.dumps({"model": model_path, "input": raw})
"""


def _score(tmp_path: Path, entries: list[str]) -> str:
    model_dir = tmp_path / "azureml-models" / "churn" / "1"
    model_dir.mkdir(parents=True)
    for entry in entries:
        (model_dir / entry).write_text("x")
    result = run([sys.executable, "-c", "import score; score.init(); print(score.model_path)"], cwd=tmp_path,
                 env={"AZUREML_MODEL_DIR": str(model_dir)})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_get_model_path_in_a_scoring_script(tmp_path: Path) -> None:
    script = tmp_path / "score.py"
    script.write_text(SCORE)
    report = fix(script)
    text = script.read_text()
    assert no_v1(text) and "AML037 fixed" in report
    assert text.count("def _v1_model_path(") == 1
    ruff_clean(script)
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "score.py").write_text(text)
    one = _score(tmp_path / "one", ["model.pkl"])
    assert one.endswith("azureml-models/churn/1/model.pkl")  # one entry: v1 returned the entry itself
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "score.py").write_text(text)
    two = _score(tmp_path / "two", ["model.pkl", "vocab.json"])
    assert two.endswith("azureml-models/churn/1")  # several: the folder


def test_several_models_or_outside_scoring_are_left(tmp_path: Path) -> None:
    several = tmp_path / "score.py"
    several.write_text(SCORE.replace('model_path = Model.get_model_path("churn")', textwrap.dedent("""\
        model_path = Model.get_model_path("churn")
            vocab_path = Model.get_model_path("vocab")""")))
    report = fix(several)
    assert "a v2 deployment serves one model" in report and 'Model.get_model_path("vocab")' in several.read_text()
    job = tmp_path / "job.py"
    job.write_text("from azureml.core import Model\n\nmodel_dir = Model.get_model_path('churn')\n")
    report = fix(job)
    assert "AML037 left: outside a scoring script" in report


PARALLEL_LAUNCHER = """\
from azureml.core import Workspace
from azureml.pipeline.steps import ParallelRunConfig

ws = Workspace.from_config()
config = ParallelRunConfig(source_directory="scripts", entry_script="score.py", mini_batch_size="5",
                           error_threshold=10, output_action="append_row", environment=None,
                           compute_target="cpu-cluster", node_count=1)
"""


def test_a_parallel_run_step_entry_script_keeps_its_model_lookup(tmp_path: Path) -> None:
    """A ParallelRunStep entry script has init() and run() too, but only a deployment sets
    AZUREML_MODEL_DIR: the call stays, and says why."""
    (tmp_path / "pipeline.py").write_text(PARALLEL_LAUNCHER)
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    script = scripts / "score.py"
    script.write_text(SCORE.replace("def run(raw):", "def run(mini_batch):").replace('"input": raw', '"input": mini_batch'))
    (tmp_path / ".git").mkdir()  # the project root, where the index finds the launcher
    report = fix(script)
    assert "AML037 left: the script runs as a ParallelRunConfig entry script, not in a deployment" in report
    assert 'Model.get_model_path("churn")' in script.read_text()


def test_a_model_chosen_by_an_argument_is_left(tmp_path: Path) -> None:
    """v1 fetched whichever model the argument named; a v2 deployment serves the one it was made with."""
    script = tmp_path / "score.py"
    script.write_text(SCORE.replace('Model.get_model_path("churn")', "Model.get_model_path(sys.argv[1])")
                      .replace("import json\n", "import json\nimport sys\n"))
    report = fix(script)
    assert "AML037 left: the model is chosen at run time" in report


def test_a_notebook_written_parallel_entry_script_keeps_its_model_lookup(tmp_path: Path) -> None:
    """The notebook both writes the script (%%writefile) and runs it with a ParallelRunConfig."""
    from .test_notebook_cells import notebook, sources

    written = "%%writefile scripts/score.py\n" + SCORE.replace("def run(raw):", "def run(mini_batch):")
    path = tmp_path / "batch.ipynb"
    path.write_text(notebook(written, PARALLEL_LAUNCHER))
    report = fix(path)
    assert "AML037 left: the script runs as a ParallelRunConfig entry script" in report
    assert 'Model.get_model_path("churn")' in sources(path)[0]


def test_a_registration_a_v1_script_of_its_folder_reads_stays_v1(tmp_path: Path) -> None:
    """v1's Model.get_model_path downloads only models registered the v1 way: while a script next
    to the registration (here a ParallelRunStep's) reads the model with it, the registration stays v1,
    and a second run decides the same."""
    register = project(tmp_path, 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                                 'model = Model.register(ws, "models/", "mnist-prs")\nprint(model.name)\n')
    (tmp_path / "Code").mkdir()
    (tmp_path / "Code" / "score.py").write_text(SCORE.replace('"churn"', '"mnist-prs"').replace("run(raw)", "run(mini_batch)")
                                                .replace('"input": raw', '"input": mini_batch'))
    report = fix(register)
    assert "AML070 left: Code/score.py:8 (`get_model_path(\"mnist-prs\"`) reads the model with v1" in report, report
    first = register.read_text()
    assert 'Model.register(ws, "models/", "mnist-prs")' in first
    fix(register)
    assert register.read_text() == first
    (tmp_path / "elsewhere").mkdir()
    other = project(tmp_path / "elsewhere", 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                                            'model = Model.register(ws, "models/", "mnist-prs")\nprint(model.name)\n')
    assert "AML070 fixed" in fix(other)  # another folder: its scripts do not run this one's models


@pytest.mark.parametrize(("score", "held"), [
    ('    ## path = Model.get_model_path(model_name="mnist-prs")\n    path = os.environ["AZUREML_MODEL_DIR"]\n', False),
    ('    path = "Model.get_model_path(model_name=\'mnist-prs\')"  # a string, as code holds it\n', True),
    ('    path = Model.get_model_path(model_name="mnist-prs")  # the v1 lookup\n', True),
], ids=["commented-out", "in-a-string", "code"])
def test_a_lookup_only_in_a_comment_of_another_file_reads_no_model(tmp_path: Path, score: str, held: bool) -> None:
    """Audit p M1: a scoring script whose v1 lookup is commented out reads the model from
    AZUREML_MODEL_DIR, so it does not keep the registration v1; text in a string may be code
    that runs (an exec, a written file), so it still counts."""
    register = project(tmp_path, 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                                 'model = Model.register(ws, "models/", "mnist-prs")\nprint(model.name)\n')
    (tmp_path / "score.py").write_text("import os\nfrom azureml.core import Model\n\n\ndef init():\n"
                                       "    global path\n" + score)
    report = fix(register)
    assert ('Model.register(ws, "models/", "mnist-prs")' in register.read_text()) is held, report
    if held:
        assert "score.py:7 (`get_model_path(model_name=" in report, report


@pytest.mark.parametrize("flags", [("--diff",), ()])
def test_a_reader_in_another_file_is_placed_where_that_file_places_its_own_findings(tmp_path: Path, flags) -> None:
    """Audit r: the fix removes two unused imports above the reader's lookup; with --diff, which
    writes nothing, the message names the lookup's line on disk, as the reader's own findings do."""
    project(tmp_path, 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                   'model = Model.register(ws, "outputs/model.pkl", "m")\nprint(model.version)\n')
    (tmp_path / "reader.py").write_text(
        "from azureml.core import environment\nfrom azureml.core.webservice import webservice\n"
        "from azureml.core import Workspace\nfrom azureml.core.model import Model\n"
        "from azureml.core.webservice import LocalWebservice\n\nws = Workspace.from_config()\n"
        'model = Model(ws, name="m", version=1)\ncfg = LocalWebservice.deploy_configuration(port=3000)\n'
        'svc = Model.deploy(ws, "m-local", [model], deployment_config=cfg)\n')
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", *flags, "."], cwd=tmp_path)
    report = result.stdout + result.stderr
    line = 8 if flags else 6  # as the reader stays on disk; as the run leaves it when written
    assert f'AML070 left: reader.py:{line} (`Model(ws, name="m"`) reads the model with v1' in report, report
    assert f"reader.py:{line}:9: AML077 left" in report, report


def test_a_reader_that_mentions_a_registration_only_in_a_comment_is_fixed_before_the_registration(
        tmp_path: Path) -> None:
    """The registration is judged against its readers as this run leaves them: a reader whose
    ``register(`` is only in a comment registers nothing, so it is fixed first, and one run
    over the folder decides what a second run would."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a_reader.py").write_text(
        'from azureml.core import Workspace\n\nws = Workspace.from_config()\nmodel = ws.models["churn"]\n'
        "print(model.version)\n# env.register(ws)\n")
    (tmp_path / "b_register.py").write_text(
        'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
        'model = Model.register(ws, "outputs/model.pkl", "churn")\nprint(model.name)\n'
        'baseline = ws.models["baseline"]\nprint(baseline.version)\n')  # a reader too, of another model
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    first = run(command, cwd=tmp_path).stdout
    assert "a_reader.py" in first and "ml_client.models.get(" in (tmp_path / "a_reader.py").read_text(), first
    assert "ml_client.models.create_or_update(" in (tmp_path / "b_register.py").read_text(), first
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_model_name_held_in_a_variable_is_looked_for_in_the_scripts_of_its_folder(tmp_path: Path) -> None:
    """``model_name = "mnist-prs"`` names the model a v1 scoring script beside it reads; a name
    computed at run time may be any model's, so any v1 reader of the folder keeps it v1 too."""
    register = project(tmp_path, 'import sys\n\nfrom azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                                 'model_name = "mnist-prs"\n'
                                 'model = Model.register(ws, "models/", model_name)\n'
                                 'other = Model.register(ws, "models/", sys.argv[1])\n')
    (tmp_path / "Code").mkdir()
    (tmp_path / "Code" / "score.py").write_text(SCORE.replace('"churn"', '"mnist-prs"'))
    report = fix(register)
    assert "7:9: AML070 left: Code/score.py:8 (`get_model_path(\"mnist-prs\"`) reads the model with v1" in report, report
    assert "8:9: AML070 left: Code/score.py:8 (`get_model_path(`) reads the model with v1" in report, report
    text = register.read_text()
    assert 'Model.register(ws, "models/", model_name)' in text and 'Model.register(ws, "models/", sys.argv[1])' in text


def test_a_scoring_script_deployed_with_several_models_keeps_get_model_path(tmp_path: Path) -> None:
    """v1 sets AZUREML_MODEL_DIR to the folder of every model a service deploys: with two models the
    single-entry rule cannot find the one asked for, so the script keeps get_model_path while that
    deploy stays v1.  Deployed with one model, it moves."""
    deploy = ('from azureml.core import Environment, Workspace\nfrom azureml.core.model import InferenceConfig, Model\n'
              'from azureml.core.webservice import AciWebservice\n\nws = Workspace.from_config()\n'
              'm1 = Model(ws, "churn")\nm2 = Model(ws, "other")\nenv = Environment.get(ws, "env")\n'
              'config = InferenceConfig(entry_script="score.py", environment=env)\n'
              'models = [m1, m2]\n'
              'service = Model.deploy(ws, "svc", models, config, AciWebservice.deploy_configuration())\n')
    script = project(tmp_path, SCORE, "score.py")
    (tmp_path / "deploy.py").write_text(deploy)
    report = fix(script)
    assert "AML037 left: deploy.py (line 11) deploys this script with several models" in report, report
    assert 'Model.get_model_path("churn")' in script.read_text()
    (tmp_path / "deploy.py").write_text(deploy.replace("models = [m1, m2]", "models = [m1]"))
    assert "AML037 fixed" in fix(script)
    # the deploy in a folder of its own, naming the script from the project's root (audit 36)
    script.write_text(SCORE)
    (tmp_path / "deploy.py").unlink()
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "deploy.py").write_text(deploy)
    report = fix(script)
    assert "AML037 left: deploy.py (line 11) deploys this script with several models" in report, report


def test_a_scoring_script_a_notebook_writes_and_deploys_with_several_models_keeps_get_model_path(tmp_path: Path) -> None:
    """The same rule when the notebook writes the script (``%%writefile``) and deploys it itself."""
    from .test_notebook_cells import notebook, sources

    deploy = ('from azureml.core import Environment, Workspace\nfrom azureml.core.model import InferenceConfig, Model\n'
              'from azureml.core.webservice import AciWebservice\n\nws = Workspace.from_config()\n'
              'm1 = Model(ws, "churn")\nm2 = Model(ws, "other")\nenv = Environment.get(ws, "env")\n'
              'config = InferenceConfig(entry_script="score.py", environment=env)\n'
              'service = Model.deploy(ws, "svc", [m1, m2], config, AciWebservice.deploy_configuration())\n')
    book = tmp_path / "deploy.ipynb"
    book.write_text(notebook("%%writefile score.py\n" + SCORE, deploy))
    (tmp_path / ".git").mkdir()
    report = fix(book)
    assert "AML037 left: deploy.ipynb (cell 2:10) deploys this script with several models" in report, report
    assert 'Model.get_model_path("churn")' in sources(book)[0]
    book.write_text(notebook("%%writefile score.py\n" + SCORE, deploy.replace("[m1, m2]", "[m1]")))
    assert "AML037 fixed" in fix(book)


@pytest.mark.parametrize("run", ["def run(mini_batch):\n    return [model_path for _ in mini_batch]\n",
                                 "def run(raw):\n    return raw\n\n\nconfig = ParallelRunConfig(None, 'x.py', 1, 'append_row', 'c', 1)\nprint(config)\n",
                                 "def run(raw):\n    return raw\n\n\nfrom azure.ai.ml.parallel import parallel_run_function\n"
                                 "batch = parallel_run_function(name='score')\n"])
def test_a_batch_entry_script_whose_caller_is_not_in_view_keeps_get_model_path(tmp_path: Path, run: str) -> None:
    """No caller in the project, but the script shows it is a ParallelRunStep entry script (run()'s
    mini_batch, or the module builds the ParallelRunConfig): only a deployment sets AZUREML_MODEL_DIR."""
    script = project(tmp_path, "from azureml.core.model import Model\nfrom azureml.pipeline.steps import ParallelRunConfig\n\n\n"
                     "def init():\n    global model_path\n    model_path = Model.get_model_path('churn')\n\n\n" + run,
                     "batch_score.py")
    report = fix(script)
    assert "AML037 left: the script runs as a ParallelRunConfig entry script" in report, report
    assert "Model.get_model_path('churn')" in script.read_text()


@pytest.mark.parametrize("use", ['Model(ws, "churn").download("weights")', 'Model(ws, "churn").get_sas_urls()',
                                 'paths = [Model(ws, "churn")]'])
def test_a_model_used_where_it_is_looked_up_is_left(tmp_path: Path, use: str) -> None:
    """Found on microsoft/MLOps (imagenet-transfer-learning/score.py): the lookup became
    ml_client.models.get(...) and the v1 call on it stayed, and v2's Model has no download()."""
    script = project(tmp_path, f"""\
from azureml.core import Model, Workspace

ws = Workspace.from_config()
{use}
""")
    before = script.read_text()
    report = fix(script)
    lines = [line for line in report.splitlines() if " AML077 left: " in line]
    assert len(lines) == 1 and "the model is used where it is looked up (`" in lines[0], report
    assert "migrate that use by hand" in lines[0] and "[data-flow limit]" in lines[0]
    assert script.read_text() == before  # the workspace stays too: nothing else here migrates


def test_a_model_looked_up_only_to_be_shown_still_migrates(tmp_path: Path) -> None:
    """The look-alikes: a notebook's bare expression and print() display the v2 model."""
    script = project(tmp_path, """\
from azureml.core import Model, Workspace

ws = Workspace.from_config()
Model(ws, "churn")
print(Model(ws, "churn", version=2))
""")
    report = fix(script)
    text = script.read_text()
    assert no_v1(text), report
    assert 'ml_client.models.get("churn", label="latest")\n' in text
    assert 'print(ml_client.models.get("churn", version="2"))' in text
    records = execute(script)
    assert [(r["name"], r["version"], r["label"]) for r in records if r["operation"] == "models.get"] == [
        ("churn", None, "latest"), ("churn", "2", None)]


def test_get_model_path_of_a_name_held_in_a_local_constant(tmp_path: Path) -> None:
    """``model_name = "churn"`` made only for the call goes with it (the helper takes no name,
    and an unused local would be left); the script then reads the deployment's model."""
    script = tmp_path / "score.py"
    script.write_text(SCORE.replace('    model_path = Model.get_model_path("churn")',
                                    '    model_name = "churn"\n    model_path = Model.get_model_path(model_name)'))
    report = fix(script)
    text = script.read_text()
    assert "AML037 fixed" in report and "model_name" not in text, report
    ruff_clean(script)
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "score.py").write_text(text)
    assert _score(tmp_path / "one", ["model.pkl"]).endswith("azureml-models/churn/1/model.pkl")


def test_a_registration_moves_with_the_readers_this_run_migrates(tmp_path: Path) -> None:
    """Run over the project, the scripts that read the model back are fixed first: once they
    read with v2, the registration moves in the same run, and a second run changes nothing.
    (Their migrated forms, ml_client.models.get and the model-path helper, are no v1 readers.)"""
    register = project(tmp_path, 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                                 'model = Model.register(workspace=ws, model_path="outputs/model.pkl", model_name="churn")\n')
    (tmp_path / "score.py").write_text(SCORE)
    (tmp_path / "deploy.py").write_text('from azureml.core import Workspace\nfrom azureml.core.model import Model\n\n'
                                        'ws = Workspace.from_config()\nmodel = Model(ws, name="churn")\n'
                                        'print(model.name, model.version)\n')
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert "AML070 fixed" in report and "ml_client.models.create_or_update(Model(" in register.read_text(), report
    assert "_v1_model_path()" in (tmp_path / "score.py").read_text()
    assert 'ml_client.models.get("churn"' in (tmp_path / "deploy.py").read_text()
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_the_script_of_a_container_image_keeps_its_model_lookup(tmp_path: Path) -> None:
    """ContainerImage.image_configuration(execution_script=...) builds an image that runs anywhere
    (an IoT Edge module): no Azure ML deployment sets AZUREML_MODEL_DIR for it."""
    (tmp_path / "build_image.py").write_text(
        'from azureml.core import Workspace\nfrom azureml.core.image import ContainerImage, Image\n'
        'from azureml.core.model import Model\n\nws = Workspace.from_config()\nmodel = Model(ws, "churn")\n'
        'config = ContainerImage.image_configuration(execution_script="score.py", runtime="python", conda_file="env.yml")\n'
        'image = Image.create(name="edge", models=[model], image_config=config, workspace=ws)\n')
    script = tmp_path / "score.py"
    script.write_text(SCORE)
    (tmp_path / ".git").mkdir()
    report = fix(script)
    # v1 deployed the image as a web service: the script is in a deployment, one v2 cannot keep (audit j)
    assert ("AML037 left: the script runs as the execution_script of ContainerImage.image_configuration, a v1 image "
            "that v1 deployed as a web service and v2 has no counterpart of: migrate that deployment to an online "
            "deployment first, which sets AZUREML_MODEL_DIR; v2: os.environ[\"AZUREML_MODEL_DIR\"] in a deployment's "
            "scoring script") in report, report
    assert 'Model.get_model_path("churn")' in script.read_text()


IMAGE_BUILDER = (
    'import os\nfrom azureml.core import Workspace\nfrom azureml.core.image import ContainerImage, Image\n'
    'from azureml.core.model import Model\n\nws = Workspace.from_config()\nmodel = Model(ws, "churn")\n{chdir}'
    'config = ContainerImage.image_configuration(execution_script="{script}", runtime="python", conda_file="env.yml")\n'
    'image = Image.create(name="edge", models=[model], image_config=config, workspace=ws)\n')


@pytest.mark.parametrize(("chdir", "script"), [
    ('os.chdir("./code/scoring")\n', "score.py"),  # after moving to the script's folder
    ("", "code/scoring/score.py"),  # from the project's root, where MLOpsPython runs its tools
])
def test_an_image_built_in_another_folder_keeps_the_model_lookup(tmp_path: Path, chdir: str, script: str) -> None:
    """The image's builder sits in ml_service/util/ and names the script as the folder it runs
    from sees it (audit 36): the image still runs anywhere, with no AZUREML_MODEL_DIR."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "ml_service" / "util").mkdir(parents=True)
    (tmp_path / "ml_service" / "util" / "build_image.py").write_text(IMAGE_BUILDER.format(chdir=chdir, script=script))
    (tmp_path / "code" / "scoring").mkdir(parents=True)
    scoring = tmp_path / "code" / "scoring" / "score.py"
    scoring.write_text(SCORE)
    report = fix(scoring)
    surely = "runs" if not chdir else "may run"  # after os.chdir only the script's name tells
    assert f"AML037 left: the script {surely} as the execution_script of ContainerImage.image_configuration" in report, report
    assert scoring.read_text() == SCORE


def test_a_scoring_script_that_runs_itself_keeps_its_model_lookup(tmp_path: Path) -> None:
    """``if __name__ == "__main__": init()`` runs the script outside any deployment, where v1 found
    the model file in the current folder and nothing sets AZUREML_MODEL_DIR (audit 36)."""
    (tmp_path / ".git").mkdir()
    script = tmp_path / "score.py"
    smoke = SCORE + '\n\nif __name__ == "__main__":\n    init()\n    print(run("[1]"))\n'
    script.write_text(smoke)
    report = fix(script)
    assert "AML037 left: the script's own `if __name__ == \"__main__\":` block (line 15) runs it" in report, report
    assert script.read_text() == smoke
    script.write_text(SCORE + '\n\nif __name__ == "__main__":\n    print("no smoke test")\n')
    assert "AML037 fixed" in fix(script)


@pytest.mark.parametrize(("after", "kept"), [('init()\nprint(run("[1]"))\n', True), ('print("no call")\n', False)])
def test_a_notebook_that_calls_its_own_init_keeps_its_model_lookup(tmp_path: Path, after: str, kept: bool) -> None:
    """A notebook is never the file a deployment imports: a cell that defines ``init()`` and
    ``run()`` and a later cell that calls them run in the notebook's kernel, where v1 found the
    model file in the current folder and nothing sets AZUREML_MODEL_DIR (audit 44)."""
    (tmp_path / ".git").mkdir()
    notebook = write_notebook(tmp_path / "score.ipynb", [SCORE, after])
    before = notebook.read_text()
    report = fix(notebook)
    if kept:
        assert "AML037 left: the notebook itself calls it (cell 2:1) outside any deployment" in report, report
        assert notebook.read_text() == before
    else:
        assert "AML037 fixed" in report, report


@pytest.mark.parametrize(("image_folder", "kept"), [(".", True), ("edge", False)])
def test_an_image_that_names_its_script_at_run_time_keeps_the_model_lookups_it_may_run(
        tmp_path: Path, image_folder: str, kept: bool) -> None:
    """``execution_script=config["scoring_script"]``: the image may be built around any script of its
    folder (or below), so those keep Model.get_model_path; a script outside that folder moves."""
    folder = tmp_path / image_folder
    folder.mkdir(exist_ok=True)
    (folder / "build_image.py").write_text(
        'import json\nfrom azureml.core import Workspace\nfrom azureml.core.image import ContainerImage, Image\n\n'
        'ws = Workspace.from_config()\nconfig = json.load(open("settings.json"))\n'
        'image_config = ContainerImage.image_configuration(runtime="python",\n'
        '                                                 execution_script=config["scoring_script"])\n'
        'image = Image.create(name="edge", models=[], image_config=image_config, workspace=ws)\n')
    script = tmp_path / "score.py"
    script.write_text(SCORE)
    (tmp_path / ".git").mkdir()
    report = fix(script)
    if kept:
        assert ("AML037 left: the script may run as the execution_script of ContainerImage.image_configuration, "
                "a v1 image that v1 deployed as a web service") in report, report
        assert 'Model.get_model_path("churn")' in script.read_text()
    else:
        assert "_v1_model_path()" in script.read_text(), report


def test_a_reader_of_another_model_by_keyword_does_not_hold_a_registration(tmp_path: Path) -> None:
    """``get_model_path(model_name="other")`` reads another model: the registration beside it moves."""
    register = project(tmp_path, 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                                 'model = Model.register(ws, "models/", "mnist-prs")\nprint(model.name)\n')
    (tmp_path / "score.py").write_text(SCORE.replace('get_model_path("churn")', 'get_model_path(model_name="other")'))
    assert 'get_model_path(model_name="other")' in (tmp_path / "score.py").read_text()
    report = fix(register)
    assert "AML070 fixed" in report, report


@pytest.mark.parametrize(("reader", "held"), [
    ('name = "mnist-prs"\nmodel = Model(name=name, workspace=ws)\n', True),  # name= first: a v1 lookup (audit 48)
    ('name = "mnist-prs"\nmodel = Model(name=name, path="models/")\n', False),  # v2's entity: no lookup
])
def test_a_reader_naming_the_model_by_keyword_first_holds_the_registration(tmp_path: Path, reader: str,
                                                                            held: bool) -> None:
    """``Model(name=name, workspace=ws)`` beside the registration reads the model with v1 (mapping.md
    7: v1 cannot use a v2 asset), whatever the order of its keywords."""
    register = project(tmp_path, 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n'
                                 'model = Model.register(ws, "models/", "mnist-prs")\nprint(model.name)\n')
    (tmp_path / "use_model.py").write_text("from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n"
                                           + reader)
    report = fix(register)
    if held:
        assert "AML070 left: use_model.py:5 (`Model(name=name" in report and "reads the model with v1" in report, report
    else:
        assert "AML070 fixed" in report, report


def test_an_entry_script_a_pipeline_yaml_runs_in_parallel_keeps_its_model_lookup(tmp_path: Path) -> None:
    """``Pipeline.load_yaml`` builds the ParallelRunStep from YAML: its run configuration's
    ``entry_script:`` names the script, which no deployment serves (run() takes no mini_batch)."""
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "parallel_run_config.yml").write_text(
        "parallel_run_config:\n  mini_batch_size: 3\n  entry_script: batch_score.py\n  source_directory: batch/\n")
    (tmp_path / "batch").mkdir()
    script = tmp_path / "batch" / "batch_score.py"
    script.write_text(SCORE.replace("def run(raw):", "def run(file_list):").replace('"input": raw', '"input": file_list'))
    (tmp_path / ".git").mkdir()
    report = fix(script)
    assert "AML037 left: the script runs as a ParallelRunConfig entry script, not in a deployment" in report, report
    assert 'Model.get_model_path("churn")' in script.read_text()


def test_an_image_naming_only_a_file_name_holds_the_nearest_script_of_that_name(tmp_path: Path) -> None:
    """After os.chdir the builder names only ``score.py``: of the project's files of that name, the one
    sharing the most folders with it is held (audit 36); one in another example folder is not, nor
    are two that tie (a notebook that writes its own score.py named every score.py of a monorepo)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "app" / "ml_service").mkdir(parents=True)
    (tmp_path / "app" / "ml_service" / "build_image.py").write_text(
        IMAGE_BUILDER.format(chdir='os.chdir("../scoring")\n', script="score.py"))
    scripts = [tmp_path / "app" / "scoring" / "score.py", tmp_path / "other" / "score.py"]
    for script in scripts:
        script.parent.mkdir(parents=True)
        script.write_text(SCORE)
    assert "AML037 left: the script may run as the execution_script" in fix(scripts[0])
    assert "AML037 fixed" in fix(scripts[1])
    twin = tmp_path / "app" / "scoring2" / "score.py"
    twin.parent.mkdir()
    twin.write_text(SCORE)
    scripts[0].write_text(SCORE)
    assert "AML037 fixed" in fix(scripts[0])  # two as near: neither is the one


REGISTERS = 'from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\nModel.register(ws, "a.pkl", "mymodel")\n'


@pytest.mark.parametrize(("folder", "reader", "held"), [
    (".", 'model = Model.list(ws, name="mymodel")[0]\n', True),  # a listing reads any name (audit 57)
    ("../deploy", 'model = Model(ws, "mymodel")\n', True),  # the next CI stage, in a sibling folder (audit 57)
    ("../deploy", 'model = Model(ws, "another")\n', False),  # another model's name
    ("../other", 'model = Model(path="b.pkl", name="mymodel")\n', False),  # v2's entity, which the fix writes, reads nothing
])
def test_a_registration_stays_while_a_v1_reader_may_read_it(tmp_path: Path, folder: str, reader: str, held: bool) -> None:
    """v1 cannot use a model registered with v2: a reader of the project that may read it keeps the
    registration v1, wherever it is when it names the model; a look-alike holds nothing."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "train").mkdir()
    register = project(tmp_path / "train", REGISTERS)
    reading = (tmp_path / "train" / folder).resolve()
    reading.mkdir(exist_ok=True)
    (reading / "read.py").write_text("from azureml.core import Model, Workspace\n\nws = Workspace.from_config()\n"
                                     + reader + "print(model)\n")
    report = fix(register)
    assert ('Model.register(ws, "a.pkl", "mymodel")' in register.read_text()) is held, report
    if held:
        assert "AML070 left: " in report and "reads the model with v1" in report, report


@pytest.mark.parametrize(("deployed", "left"), [
    ('[ws.models["churn"], ws.models["other"]]', True),  # its model, with another
    ('[ws.models["fraud"], ws.models["other"]]', False),  # other models only
])
def test_a_scoring_script_no_deployment_names_keeps_get_model_path_where_its_model_is_served_with_others(
        tmp_path: Path, deployed: str, left: bool) -> None:
    """No deployment of the project names this script, and one deploys the model it reads together
    with others (another scoring script of that service): v1's AZUREML_MODEL_DIR may then hold several
    models, so the lookup stays (held-out audit e; mapping-extension 7.2: several models is impossible)."""
    script = project(tmp_path, SCORE, "score.py")
    (tmp_path / "serve").mkdir()
    (tmp_path / "serve" / "deploy.py").write_text(
        'from azureml.core import Environment, Workspace\nfrom azureml.core.model import InferenceConfig, Model\n'
        'from azureml.core.webservice import AciWebservice\n\nws = Workspace.from_config()\n'
        'config = InferenceConfig(entry_script="serve.py", environment=Environment.get(ws, "env"))\n'
        f'service = Model.deploy(ws, "svc", {deployed}, config, AciWebservice.deploy_configuration())\n')
    report = fix(script)
    if left:
        assert ("AML037 left: no deployment of the project names this script, and serve/deploy.py (line 7) deploys its "
                "model 'churn' with others: it may be this script's") in report, report
        assert 'Model.get_model_path("churn")' in script.read_text()
    else:
        assert "AML037 fixed" in report, report


@pytest.mark.parametrize("deploy", [
    # the model named through a variable
    'model_name = "churn"\nchurn = Model(ws, model_name)\nother = Model(ws, "other")\n'
    'service = Model.deploy(ws, "svc", [churn, other], config, AciWebservice.deploy_configuration())\n',
    # a list of one, appended to
    'models = [Model(ws, "churn")]\nmodels.append(Model(ws, "other"))\n'
    'service = Model.deploy(ws, "svc", models, config, AciWebservice.deploy_configuration())\n',
])
def test_a_model_served_with_others_is_seen_through_variables_and_appends(tmp_path: Path, deploy: str) -> None:
    script = project(tmp_path, SCORE, "score.py")
    (tmp_path / "serve").mkdir()
    (tmp_path / "serve" / "deploy.py").write_text(
        'from azureml.core import Environment, Workspace\nfrom azureml.core.model import InferenceConfig, Model\n'
        'from azureml.core.webservice import AciWebservice\n\nws = Workspace.from_config()\n'
        'config = InferenceConfig(entry_script="serve.py", environment=Environment.get(ws, "env"))\n' + deploy)
    report = fix(script)
    assert "AML037 left: no deployment of the project names this script, and serve/deploy.py" in report, report
