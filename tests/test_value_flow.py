"""Values flow through a module's functions and across its modules: detection sees
what a parameter holds from its call sites, what a call returns from its function,
and what another module of the project binds."""

from __future__ import annotations

import textwrap
from pathlib import Path

from flake8_azureml_v2.api import analyse


def _codes(text: str, path: Path | None = None) -> set[tuple[int, str]]:
    return {(f.line, f.code) for f in analyse(textwrap.dedent(text), path=path).findings}


def test_a_parameter_holds_what_its_call_sites_pass() -> None:
    found = _codes("""\
        from azureml.core import Workspace

        def publish(ws, month):
            return ws.get_default_datastore()

        publish(Workspace.from_config(), 3)
        """)
    assert (4, "AML028") in found


def test_call_sites_that_disagree_leave_the_parameter_unknown() -> None:
    found = _codes("""\
        from azureml.core import Workspace

        def publish(ws, month):
            return ws.get_default_datastore()

        publish(Workspace.from_config(), 3)
        publish(object(), 4)
        """)
    assert (4, "AML028") not in found


def test_a_call_holds_what_its_function_returns() -> None:
    found = _codes("""\
        from azureml.core import Experiment, ScriptRunConfig, Workspace

        def submit(experiment, config):
            return experiment.submit(config)

        run = submit(Experiment(Workspace.from_config(), "x"), ScriptRunConfig(".", "train.py"))
        run.register_model("model", "outputs/model.pkl")
        """)
    assert (7, "AML036") in found


def test_what_model_deploy_returns_is_a_service() -> None:
    found = _codes("""\
        from azureml.core import Model

        service = Model.deploy(None, "svc", [])
        service.wait_for_deployment(show_output=True)
        """)
    assert (4, "AML078") in found


def test_a_name_imported_from_another_module_of_the_project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "wsmod.py").write_text("from azureml.core import Workspace\nws = Workspace.from_config()\n")
    user = tmp_path / "user.py"
    user.write_text("import azureml.core\nfrom wsmod import ws\nstore = ws.get_default_datastore()\n")
    assert (3, "AML028") in _codes(user.read_text(), user)


def test_a_local_module_that_binds_nothing_v1_stays_unknown(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "helpers.py").write_text("ws = None\n")
    user = tmp_path / "user.py"
    user.write_text("import azureml.core\nfrom helpers import ws\nstore = ws.get_default_datastore()\n")
    assert (3, "AML028") not in _codes(user.read_text(), user)


def test_an_item_of_a_workspace_dictionary_has_the_items_type() -> None:
    """``ws.compute_targets[n]``: the surface types an item of a mapping attribute ("attr[]")."""
    from flake8_azureml_v2.api import analyse as run_analysis
    from flake8_azureml_v2.engine.names import Instance

    analysis = run_analysis(textwrap.dedent("""\
        from azureml.core import Workspace

        ws = Workspace.from_config()
        cluster = ws.compute_targets["cpu-cluster"]
        env = ws.environments["AzureML-Minimal"]
        other = ws.datastores["workspaceblobstore"]
        """))
    values = {b.name: b.value for b in analysis.model.bindings}
    assert values["cluster"] == Instance("azureml.core.ComputeTarget")
    assert values["env"] == Instance("azureml.core.Environment")
    assert values["other"] is None  # not in the surface's table: unknown, as before
