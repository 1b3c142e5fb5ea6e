"""Lines a fix adds before or after a statement that shares its line with other code
(``a; b``, ``if c: b``): a TODO goes above the whole line, code joins the statement's own
line, and nothing else of the line is copied (it used to run twice)."""

from __future__ import annotations

import ast
from pathlib import Path

from .migrate_helpers import fix, project


def _fixed(tmp_path: Path, program: str) -> str:
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    ast.parse(migrated)
    fix(script)
    assert script.read_text() == migrated  # a second run changes nothing
    return migrated


def test_a_todo_goes_above_a_line_of_two_statements(tmp_path: Path) -> None:
    program = ('from azureml.core import Dataset, Workspace\nws = Workspace.from_config()\n'
               'ds = Dataset.File.from_files(path="https://x.blob.core.windows.net/c/a.csv")\n'
               'print("y"); ds = ds.register(workspace=ws, name="n")\n')
    migrated = _fixed(tmp_path, program)
    assert migrated.count('print("y")') == 1
    assert ('# TODO(azureml-v2): AML022 v1 registered only a name that was new (create_new_version=False)'
            in migrated.splitlines()[-2])
    assert migrated.splitlines()[-1].startswith('print("y"); ml_client.data.create_or_update(Data(name="n"')


def test_a_todo_goes_above_a_one_line_if_and_its_body_stays_in_it(tmp_path: Path) -> None:
    program = ('import sys\nfrom azureml.core import Workspace\n'
               'if sys.argv[1:]: ws = Workspace.from_config(); print(ws.get_details())\n')
    migrated = _fixed(tmp_path, program)
    lines = migrated.splitlines()
    assert migrated.count("if sys.argv[1:]:") == 1
    assert lines[-2] == "# TODO(azureml-v2): AML020 v2 shows the Workspace entity, not v1's details dictionary"
    assert lines[-1].startswith("if sys.argv[1:]: ml_client = MLClient.from_config(DefaultAzureCredential()); print(")


def test_code_added_after_a_statement_followed_on_its_line_joins_that_line(tmp_path: Path) -> None:
    """The client made beside a workspace that stays must exist before the next statement of the
    line runs: it goes right after the workspace, on the same line."""
    program = ('from azureml.core import Workspace\n'
               'ws = Workspace.from_config(); store = ws.get_default_datastore(); print(store.name)\n'
               'ws.write_config(path=".azureml")\n')
    migrated = _fixed(tmp_path, program)
    assert migrated.splitlines()[-2] == (
        "ws = Workspace.from_config(); ml_client = MLClient.from_config(DefaultAzureCredential()); "
        "store = ml_client.datastores.get_default(); print(store.name)")


def test_a_registration_after_a_semicolon_keeps_the_code_before_it_once(tmp_path: Path) -> None:
    program = ('from azureml.core import Datastore, Workspace\nws = Workspace.from_config()\n'
               'print("registering"); store = Datastore.register_azure_blob_container(ws, "blob_data", "c", "acct")\n')
    migrated = _fixed(tmp_path, program)
    assert migrated.count('print("registering")') == 1
    assert migrated.splitlines()[-2].startswith("# TODO(azureml-v2): AML023 ")


def test_a_todo_goes_above_the_logical_line_not_into_a_string_ending_on_it(tmp_path: Path) -> None:
    """The line holding the statement may be the end of a string (or of a backslash continuation):
    the comment goes above where the logical line starts, so the string keeps its value."""
    program = ('from azureml.core import Workspace\nws = Workspace.from_config()\n'
               'banner = """Workspace\ndetails:"""; print(ws.get_details())\nx = 1 + \\\n    2; print(ws.get_details())\n')
    migrated = _fixed(tmp_path, program)
    lines = migrated.splitlines()
    todo = "# TODO(azureml-v2): AML020 v2 shows the Workspace entity, not v1's details dictionary"
    assert lines[lines.index('banner = """Workspace') - 1] == todo
    assert lines[lines.index("x = 1 + \\") - 1] == todo
    assert 'banner = """Workspace\ndetails:"""; print(' in migrated  # the string is as it was


def test_comment_and_code_lines_for_a_shared_line_part_ways(tmp_path: Path) -> None:
    """A TODO with code after it: the TODO above the line, the code on it; the rest of the line stays code."""
    program = ('from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n'
               'from azureml.core.conda_dependencies import CondaDependencies\n'
               'ws = Workspace.from_config()\n'
               'cd = CondaDependencies.create(pip_packages=["azureml-defaults"]); print("made")\n'
               'env = Environment("e")\nenv.python.conda_dependencies = cd\n'
               'src = ScriptRunConfig(source_directory=".", script="train.py", compute_target="cpu", environment=env)\n'
               'run = Experiment(ws, "x").submit(src)\ncd.save("env.yml")\n')
    migrated = _fixed(tmp_path, program)
    line = next(line for line in migrated.splitlines() if line.startswith("cd = "))
    assert line.startswith('cd = CondaDependencies.create(pip_packages=["azureml-defaults"]); cd_conda = {')
    assert line.endswith('; print("made")') and "#" not in line
    assert "environment=env" in migrated and "conda_file=cd_conda" in migrated


def test_a_todo_above_a_shared_line_in_a_file_of_carriage_returns(tmp_path: Path) -> None:
    """A file whose lines end in a lone "\\r" (tokenize reads it as an error token): the TODO still
    goes right above the line, not to the top of the file."""
    program = "from azureml.core import Workspace\rws = Workspace.from_config()\rx = 1; print(ws.get_details())\r"
    script = project(tmp_path, "")
    script.write_bytes(program.encode())
    fix(script)
    lines = script.read_bytes().decode().split("\r")
    todo = "# TODO(azureml-v2): AML020 v2 shows the Workspace entity, not v1's details dictionary"
    assert lines[lines.index(todo) + 1].startswith("x = 1; print(ml_client.workspaces.get(")


def test_a_statement_continuing_a_one_line_if_after_a_backslash_stays_in_it(tmp_path: Path) -> None:
    """``if c: a; \\`` then the statement at the start of the next line: it is still the ``if``'s body,
    so the TODO goes above the ``if`` (a comment line between would end the ``if`` there)."""
    program = ('from azureml.core import Datastore, Workspace\nws = Workspace.from_config()\nc = False\n'
               'if c: print("registering"); \\\nstore = Datastore.register_azure_blob_container(ws, "n", "cont", "acct")\n')
    migrated = _fixed(tmp_path, program)
    body = ast.parse(migrated).body
    assert isinstance(body[-1], ast.If) and len(body[-1].body) == 2, migrated  # print and the registration
    assert migrated.splitlines()[-3].startswith("# TODO(azureml-v2): AML023 ")
