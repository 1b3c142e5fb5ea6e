"""Which module-level names other files of the project import (the guard against
renaming a binding somebody else reaches)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_azureml_v2.engine import importers


@pytest.fixture(autouse=True)
def _fresh_index():
    importers.forget()
    yield
    importers.forget()


def _project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


TARGET = "pipelines/pipeline.py"
TARGET_TEXT = "from azureml.pipeline.core import Pipeline\npipeline = Pipeline(ws, [])\n"


@pytest.mark.parametrize(("importer", "expected"), [
    ("from pipelines.pipeline import Pipeline\n", {"Pipeline"}),
    ("from pipeline import pipeline as p\n", {"pipeline"}),
    ("from pipelines import pipeline\npipeline.Pipeline\n", {"Pipeline"}),
    ("from pipelines import pipeline as pl\nprint(pl.pipeline)\n", {"pipeline"}),
    ("import pipelines.pipeline as pl\nprint(pl.Pipeline)\n", {"Pipeline"}),
    ("from pipelines.pipeline import *\n", {"*"}),
    # loaded by name at run time: every name is reachable (review 67: a signature changed under such a caller)
    ("import importlib\nm = importlib.import_module('pipelines.pipeline')\nm.Pipeline(1)\n", {"*"}),
    ("m = __import__(\"pipeline\")\n", {"*"}),
    # a doctest's import (review 68)
    ('def f():\n    """\n    >>> from pipelines.pipeline import Pipeline\n    """\n', {"Pipeline"}),
])
def test_an_import_of_the_module_protects_what_it_names(tmp_path: Path, importer: str, expected: set[str]) -> None:
    root = _project(tmp_path, {TARGET: TARGET_TEXT, "run.py": importer})
    assert importers.imported_names(root / TARGET, root) >= expected


@pytest.mark.parametrize(("importer", "text", "expected"), [
    ("pipelines/run.py", "from .pipeline import Pipeline\n", {"Pipeline"}),
    ("pipelines/__init__.py", "from .pipeline import *\n", {"*"}),
    ("pipelines/sub/run.py", "from ..pipeline import Pipeline as P\n", {"Pipeline"}),
    ("pipelines/sub/run.py", "from .. import pipeline\npipeline.pipeline\n", {"pipeline"}),
])
def test_a_relative_import_protects_the_file_of_its_package(tmp_path: Path, importer: str, text: str,
                                                             expected: set[str]) -> None:
    root = _project(tmp_path, {TARGET: TARGET_TEXT, importer: text})
    assert importers.imported_names(root / TARGET, root) >= expected


@pytest.mark.parametrize("importer", ["pkg/__init__.py", "run.py", "pipelines/sub/run.py"])
def test_a_relative_import_reaches_no_file_of_another_folder(tmp_path: Path, importer: str) -> None:
    """``from .pipeline import *`` in pkg/__init__.py imports pkg/pipeline.py; a job script
    pipelines/pipeline.py elsewhere in the project keeps no name for it."""
    root = _project(tmp_path, {TARGET: TARGET_TEXT, importer: "from .pipeline import *\nfrom . import pipeline\n"})
    assert importers.imported_names(root / TARGET, root) == frozenset()


@pytest.mark.parametrize("importer", [
    "from sklearn.pipeline import Pipeline\n",          # another package's module of the same name
    "from azureml.pipeline.core.pipeline import Pipeline\n",
    "from sklearn import pipeline\npipeline.Pipeline\n",
    "import sklearn.pipeline as pl\nprint(pl.Pipeline)\n",
    "from steps.pipeline import Pipeline\n",           # a sibling package's module
])
def test_a_module_of_the_same_name_elsewhere_protects_nothing(tmp_path: Path, importer: str) -> None:
    root = _project(tmp_path, {TARGET: TARGET_TEXT, "run.py": importer})
    assert importers.imported_names(root / TARGET, root) == frozenset()


def test_a_package_is_its_init_file(tmp_path: Path) -> None:
    root = _project(tmp_path, {"setup_ws/__init__.py": "ws = 1\n", "run.py": "from setup_ws import ws\n"})
    assert importers.imported_names(root / "setup_ws/__init__.py", root) == {"ws"}


@pytest.mark.parametrize(("notebook", "expected"), [
    # a cell stored as one string: its lines are joined by escaped newlines
    ('{"cells": [{"cell_type": "code", "source": "import os\\nfrom pipelines.pipeline import Pipeline\\n"}]}',
     {"Pipeline"}),
    # a notebook saved without indentation: each line is a list item on one JSON line
    ('{"cells":[{"cell_type":"code","source":["import os\\n","from pipelines.pipeline import Pipeline\\n"]}]}',
     {"Pipeline"}),
    # %run executes the file in the notebook's namespace: every name of it is read
    ('{"cells": [{"cell_type": "code", "source": ["%run pipelines/pipeline.py\\n", "print(ws)\\n"]}]}', {"*"}),
])
def test_notebooks_in_every_json_layout_are_read_for_imports(tmp_path: Path, notebook: str, expected: set[str]) -> None:
    root = _project(tmp_path, {TARGET: TARGET_TEXT, "use.ipynb": notebook})
    assert importers.imported_names(root / TARGET, root) >= expected


@pytest.mark.parametrize(("other", "loads"), [
    ("import importlib\nimportlib.import_module(name)\n", True),
    ("import importlib\nimportlib.import_module('pipe' + 'line')\n", True),
    ("import runpy\nrunpy.run_path('pipelines/pipeline.py')\n", True),
    ("exec(open('pipelines/pipeline.py').read())\n", True),
    ("from importlib.util import spec_from_file_location\n", True),
    # importlib at all: its loaders go under other names too (``load = importlib.import_module``, review 70)
    ("import importlib\nimportlib.import_module('pipelines.pipeline')\n", True),
    ("load = __import__\n", True),
    ("namespace = {}\neval(compile(source, 'x.py', 'exec'), namespace)\n", True),
    ("%run -n $script\n", True),
    # review 71: a loader module later in an import list, importlib bound by importing its metadata, sys.modules
    ("import os, importlib\nimportlib.import_module(name)\n", True),
    ("import importlib.metadata\nimportlib.import_module(name)\n", True),
    ("import sys\nsys.modules['importlib'].import_module(name)\n", True),
    ("import __main__\n__main__.build()\n", True),
    ("import importlib.metadata\nfrom importlib import resources\nprint(importlib.metadata.version('x'))\n", False),
    ("import os\nos.execv('/bin/true', ['true'])\nasyncio.create_subprocess_exec('ls')\nmodel.eval()\n", False),
])
def test_a_project_that_loads_modules_by_name_says_so(tmp_path: Path, other: str, loads: bool) -> None:
    """Where a file loads a module or runs a file by a name the scan cannot read, any module's function
    may be called from there (review 68: a parameter was dropped under such a caller)."""
    root = _project(tmp_path, {TARGET: TARGET_TEXT, "run.py": other})
    assert importers.loads_by_name(root) is loads


@pytest.mark.parametrize(("other", "reached"), [
    ("from pipelines.pipeline import Pipeline\n", True),
    ("import subprocess\nsubprocess.run('python -c \"from pipelines.pipeline import build; build()\"', shell=True)\n", True),
    ('"""\n    >>> import pipelines.pipeline\n"""\n', True),
    ("from pipelines.other import Pipeline\nprint('pipeline.py')\n", False),
    ("import pipelines\n", False),  # the package, not the module
])
def test_a_module_another_file_imports_anywhere_is_reached_from_elsewhere(tmp_path: Path, other: str,
                                                                          reached: bool) -> None:
    """Beyond its import statements, a file may import a module in a command it runs or in a doctest:
    the module's functions may be called from there (review 69)."""
    root = _project(tmp_path, {TARGET: TARGET_TEXT, "run.py": other})
    assert importers.reached_from_elsewhere((root / TARGET).absolute(), root) is reached
