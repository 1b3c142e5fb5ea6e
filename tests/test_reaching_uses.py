"""A use after ``if c: x = A`` / ``else: x = B`` may see either value, though the name model
gives it to the later binding only.  Every rewrite hears of such uses (``uses_reaching``),
so none hands code meant for the old object a new one; a statement that rebinds the name
on every path ends that."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from flake8_azureml_v2.api import analyse
from flake8_azureml_v2.engine.fixing.rewrite import FixContext

from .migrate_helpers import fix, project


def _reaching(source: str) -> dict[int, list[int]]:
    """The line of each binding of ``x`` -> the lines of the uses that may see it."""
    ctx = FixContext(analyse("import azureml.core\n" + textwrap.dedent(source)))  # (a model is built for v1 code only)
    return {binding.node.lineno - 1: sorted(use.lineno - 1 for use in ctx.uses_reaching(binding))  # type: ignore[attr-defined]
            for binding in ctx.bindings_named("x")}


def test_both_branches_reach_the_use_after_them() -> None:
    assert _reaching("""\
        import os
        if os.sep:
            x = 1
        else:
            x = 2
        print(x)
        """) == {3: [6], 5: [6]}


def test_a_binding_in_a_branch_leaves_the_earlier_one_reaching() -> None:
    assert _reaching("""\
        import os
        x = 1
        if os.sep:
            x = 2
            print(x)
        print(x)
        """) == {2: [6], 4: [5, 6]}


def test_a_try_that_binds_on_every_path_ends_the_earlier_binding() -> None:
    found = _reaching("""\
        import os
        try:
            x = 1
        except KeyError:
            x = 2
        print(x)
        try:
            x = 3
        except KeyError:
            x = 4
        print(x)
        """)
    assert found == {3: [6], 5: [6], 8: [11], 10: [11]}


def test_a_loop_carries_its_later_binding_to_the_uses_before_it() -> None:
    assert _reaching("""\
        x = 1
        for i in range(2):
            print(x)
            x = 2
        """) == {1: [3], 4: [3]}


def test_straight_line_rebinding_keeps_uses_apart() -> None:
    assert _reaching("x = 1\nprint(x)\nx = 2\nprint(x)\n") == {1: [2], 3: [4]}


def test_a_workspace_bound_in_one_branch_is_not_replaced_where_the_other_branch_gives_v1(tmp_path: Path) -> None:
    """The in-job pattern: offline, the script builds a Workspace; in a job it takes the run's.
    Rewriting the first into an MLClient would hand ``Dataset.get_by_name`` an MLClient offline."""
    script = project(tmp_path, """\
        from azureml.core import Dataset, Workspace
        from azureml.core.run import Run, _OfflineRun

        run = Run.get_context()
        ws = None
        if type(run) == _OfflineRun:
            ws = Workspace.from_config()
        else:
            ws = run.experiment.workspace
        data = Dataset.get_by_name(ws, "raw")
        """)
    fix(script)
    text = script.read_text()
    assert "    ws = Workspace.from_config()\n" in text
    assert 'Dataset.get_by_name(ws, "raw")' in text
    tree = ast.parse(text)
    assert not any(isinstance(n, ast.Assign) and ast.unparse(n) .startswith("ws = MLClient") for n in ast.walk(tree))


def _fixed(tmp_path: Path, program: str) -> tuple[str, str]:
    script = project(tmp_path, program)
    report = fix(script)
    return script.read_text(), report


def test_a_class_attribute_is_not_replaced(tmp_path: Path) -> None:
    """``Holder.ws`` reads the attribute by its name: renaming it or changing its value breaks that read."""
    text, report = _fixed(tmp_path, """\
        from azureml.core import Workspace


        class Holder:
            ws = Workspace.from_config()


        print(Holder.ws.get_default_datastore())
        """)
    assert "    ws = Workspace.from_config()\n" in text and "MLClient" not in text
    assert "`ws` is a class attribute: code this fix cannot follow may read it through the class" in report


def test_a_workspace_set_through_global_is_not_replaced(tmp_path: Path) -> None:
    """The function sets the module's ``ws``; the module reads it after the call."""
    text, report = _fixed(tmp_path, """\
        from azureml.core import Workspace

        ws = None


        def connect():
            global ws
            ws = Workspace.from_config()


        connect()
        store = ws.get_default_datastore()
        """)
    assert "    ws = Workspace.from_config()\n" in text and "MLClient" not in text
    assert "`ws` is declared global here: code this fix cannot follow may read it" in report


def test_a_module_binding_that_a_function_may_set_stays(tmp_path: Path) -> None:
    text, report = _fixed(tmp_path, """\
        from azureml.core import Workspace

        ws = Workspace.from_config()


        def reconnect():
            global ws
            ws = Workspace.get("other", subscription_id="s", resource_group="rg")


        print(ws.name)
        """)
    assert "ws = Workspace.from_config()\n" in text and "print(ws.name)" in text
    assert "a function declares `ws` global: code this fix cannot follow may set it" in report


def test_two_assignments_that_reach_one_use_are_rewritten_alike(tmp_path: Path) -> None:
    """Both Workspaces become MLClients under the same name, so the use after the try, which
    the handler's fix translates, holds an MLClient whichever of them ran."""
    text, _ = _fixed(tmp_path, """\
        from azureml.core import Workspace
        from azureml.core.authentication import InteractiveLoginAuthentication

        try:
            ws = Workspace.from_config()
        except Exception:
            ws = Workspace(subscription_id="s", resource_group="rg", workspace_name="w",
                           auth=InteractiveLoginAuthentication(tenant_id="t"))
        print(ws.name)
        """)
    assert "    ws = MLClient.from_config(DefaultAzureCredential())\n" in text
    assert "    ws = MLClient(InteractiveBrowserCredential(tenant_id=\"t\")" in text
    assert "print(ws.workspace_name)" in text


def test_two_assignments_that_reach_one_use_go_together_or_not_at_all(tmp_path: Path) -> None:
    """Alone, the handler's Workspace would become an MLClient and the use after the try would
    be translated for it, while the try's Workspace, kept for its own v1 call, still reaches it."""
    text, report = _fixed(tmp_path, """\
        from azureml.core import Workspace
        from azureml.core.authentication import InteractiveLoginAuthentication

        try:
            ws = Workspace.from_config()
            ws.write_config()
        except Exception:
            ws = Workspace(subscription_id="s", resource_group="rg", workspace_name="w",
                           auth=InteractiveLoginAuthentication(tenant_id="t"))
        print(ws.name)
        """)
    assert "print(ws.name)" in text and "MLClient(" not in text
    assert ("`ws` is also used at line 10 (`ws.name`), where it may hold this value or the one assigned at "
            "line 8, whose fix translates it differently") in report


def test_a_use_earlier_in_a_loop_sees_the_loops_later_assignment(tmp_path: Path) -> None:
    """The second time round, ``print(ws.name)`` sees the Workspace the loop made; left v1,
    that one would meet code translated for an MLClient."""
    text, report = _fixed(tmp_path, """\
        from azureml.core import Workspace

        ws = Workspace.from_config()
        for name in ["a", "b"]:
            print(ws.name)
            ws = Workspace.get(name, subscription_id="s", resource_group="rg")
            ws.write_config()
        """)
    assert "print(ws.name)" in text and "MLClient(" not in text
    assert "where it may hold this value or the one assigned at line 3, whose fix translates it differently" in report


def test_a_use_the_unmigrated_branch_also_reaches_keeps_its_v1_call(tmp_path: Path) -> None:
    """``try: ws = Workspace.create(...)`` / ``except: ws = Workspace.get(...)``: only the second
    migrates, so after the try ``ws`` may be the created v1 workspace, and the v2 client made in
    the except branch may not exist.  ``Model.register(workspace=ws)`` stays v1 (it became
    ``ws.models.create_or_update``, which fails on a v1 Workspace), and so does the lookup."""
    text, report = _fixed(tmp_path, """\
        from azureml.core import Workspace
        from azureml.core.model import Model
        from azureml.exceptions import WorkspaceException

        try:
            ws = Workspace.create(subscription_id="s", resource_group="rg", name="w", location="westeurope")
        except WorkspaceException:
            ws = Workspace.get(subscription_id="s", resource_group="rg", name="w")
        model = Model.register(model_path="model.pkl", model_name="m", workspace=ws)
        """)
    assert 'model = Model.register(model_path="model.pkl", model_name="m", workspace=ws)' in text, text
    assert "MLClient" not in text, text
    assert ("AML070 left: `ws` at line 9 may also hold the value assigned at line 6 (`ws = Workspace.create("
            in report), report
