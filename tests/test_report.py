"""``azureml-v2 report`` (issue 15): the migration report as JSON, Markdown and self-contained HTML,
checked with a real HTML parser and, where Debian's chromium is installed, rendered headless."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import run
from .test_check_fixability import JOB

SKIPPED = "skipped, not Python even with magics masked: syntax error: '(' was never closed (line 1)"
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None)
STORE = ("from azureml.core import Datastore, Workspace\nws = Workspace.from_config()\n"
         "store = Datastore.register_azure_file_share(ws, 'raw', 'share', 'account')\n")
TRAIN = ('from azureml.core import Run\n\nrun = Run.get_context()\nacc = float(open("acc.txt").read())\n'
         'run.log("acc", acc)\nrun.log("loss", compute_loss())\n')
NOTEBOOK = {"cells": [
    {"cell_type": "markdown", "metadata": {}, "source": ["# Train"]},
    {"cell_type": "code", "metadata": {}, "source": ["from azureml.core import Workspace, Run\n",
                                                     "ws = Workspace.from_config()\n"],
     "outputs": [], "execution_count": None},
    {"cell_type": "code", "metadata": {}, "source": ["print(ws.name)\n", "run = Run.get_context()\n"],
     "outputs": [], "execution_count": None},
    {"cell_type": "code", "metadata": {}, "source": ["this is not Python (\n"], "outputs": [], "execution_count": None}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "job.py").write_text(JOB)
    (tmp_path / "store.py").write_text(STORE)
    (tmp_path / "train.py").write_text(TRAIN)
    (tmp_path / "clean.py").write_text("import os\n")
    (tmp_path / "broken.py").write_text("import azureml.core\ndef f(:\n")
    (tmp_path / "nb.ipynb").write_text(json.dumps(NOTEBOOK, indent=1))
    return tmp_path


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def report(folder: Path, *args: str):
    return run([sys.executable, "-m", "flake8_azureml_v2", "report", *args, "."], cwd=folder)


def test_json_report_summary_files_manual_work_defaults_and_example(project: Path) -> None:
    before = _snapshot(project)
    result = report(project, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert _snapshot(project) == before  # nothing is ever written
    assert result.stderr == ("broken.py: error: syntax error: invalid syntax (line 2, column 7)\n"
                             f"nb.ipynb:cell 4: error: {SKIPPED}\n")
    document = json.loads(result.stdout)
    assert document["summary"] == {
        "files_scanned": 6, "files_with_v1": 4, "files_clean": 1, "files_fully_fixable": 2,
        "files_partly_fixable": 1, "files_manual_only": 1, "files_not_checked": 1,
        "findings": 15, "safe": 1, "unsafe": 9, "manual": 5,
        "migration_ready_files": 3, "migration_ready_share": 50.0, "fix_resolves_share": 66.7,
    }
    assert [(f["path"], f["status"], f["findings"], f["safe"], f["unsafe"], f["manual"], f["cells"])
            for f in document["files"]] == [
        ("clean.py", "clean", 0, 0, 0, 0, []),
        ("job.py", "partly fixable", 5, 1, 2, 2, []),
        ("nb.ipynb", "fully fixable", 3, 0, 3, 0, [2, 3]),
        ("store.py", "manual only", 3, 0, 0, 3, []),
        ("train.py", "fully fixable", 4, 0, 4, 0, []),
    ]
    assert [(s["kind"], s["count"], [(c["code"], [(l["path"], l["line"]) for l in c["locations"]]) for c in s["codes"]])
            for s in document["manual"]] == [
        ("impossible", 1, [("AML062", [("job.py", 8)])]),
        ("not yet supported", 1, [("AML023", [("store.py", 3)])]),
        ("data-flow limit", 1, [("AML020", [("store.py", 2)])]),
        ("blocked", 2, [("AML099", [("job.py", 4), ("store.py", 1)])]),
    ]
    impossible = document["manual"][0]["codes"][0]
    assert impossible["article"] == "https://learn.microsoft.com/azure/machine-learning/migrate-to-v2-execution-pipeline"
    assert impossible["docs"] == "azureml-v2 rule AML062" and impossible["v2"] == "no v2 equivalent"
    environment = {"code": "AML011", "applicability": "unsafe",
                   "fix": "removed Run.get_context(): the v2 job's MLflow run is already active",
                   "check": "# TODO(azureml-v2): AML011 this script logs with MLflow: its job's environment needs "
                            "mlflow and azureml-mlflow"}
    # the notebook's run is fetched and never used: nothing of it moves to MLflow, so no TODO
    assert document["defaults_to_check"] == [{
        "path": "train.py", "cell": None, "line": 3, "column": 7, **environment}, {
        "path": "train.py", "cell": None, "line": 6, "column": 1, "code": "AML012", "applicability": "unsafe",
        "fix": "run.log() -> _log_v1_value(): a metric or a tag, decided at run time",
        "check": "the kind of `compute_loss()` is not known, so a helper logs a number as a metric and anything else "
                 "as a tag",
    }]
    example = document["example"]
    # from the .py file, which shows the imports the fix adds (the notebook's cell 2 would not)
    assert (example["code"], example["path"], example["cell"], example["line"]) == ("AML020", "job.py", None, 6)
    assert example["before"] == JOB
    assert example["after"] == JOB.replace(
        "from azureml.core import Datastore\nfrom azureml.core import Workspace\n",
        "from azure.ai.ml import MLClient\nfrom azure.identity import DefaultAzureCredential\n").replace(
        "ws = Workspace.from_config()\nprint(ws.name,",
        "ml_client = MLClient.from_config(DefaultAzureCredential())\nprint(ml_client.workspace_name,")
    assert document["errors"] == [{"path": "broken.py", "error": "syntax error: invalid syntax (line 2, column 7)"}]
    assert document["skipped"] == [{"path": "nb.ipynb", "where": "cell 4", "reason": SKIPPED}]
    assert document["codes"][0] == {
        "code": "AML099", "name": "v1-import", "v1": "import azureml.* (SDK v1)",
        "v2": "azure.ai.ml (azure-ai-ml) and MLflow", "docs": "azureml-v2 rule AML099",
        "article": "https://learn.microsoft.com/azure/machine-learning/how-to-migrate-from-v1",
        "findings": 4, "safe": 1, "unsafe": 1, "manual": 2,
    }


def test_markdown_report_is_the_default(project: Path) -> None:
    text = report(project).stdout
    assert text.startswith("# Azure ML SDK v1 to v2 migration report\n")
    assert ("| Files scanned | 6 |\n| Files with v1 code | 4 |\n| Findings | 15 |\n"
            "| Resolved by `azureml-v2 fix` (safe fixes) | 1 |\n| Resolved only with `--unsafe-fixes` | 9 |\n"
            "| Left for people | 5 |\n| Migration-ready files (clean, or fully migrated by fix) | 3 of 6 (50.0%) |\n"
            "| Findings fix resolves | 10 of 15 (66.7%) |\n") in text
    assert "Files: 1 clean, 2 fully fixable, 1 partly fixable, 1 manual only, 1 not checked.\n" in text
    assert "### Impossible per the reference (1)\n" in text
    assert "- `job.py:8:8`: no sound automatic rewrite; migrate it by hand: " in text
    assert "| `nb.ipynb` | fully fixable | 3 | 0 | 3 | 0 | 2, 3 |\n" in text
    assert "## Example: the most common fix (AML020)\n\nFrom `job.py:6:6`: " in text
    assert "### Documented defaults to check (2)\n" in text  # a script now logs with MLflow, one helper
    assert "1 clean file is not listed.\n" in text
    assert f"- `nb.ipynb:cell 4`: {SKIPPED}\n" in text


class _Page(HTMLParser):
    """Collects what a reader sees and everything that could reach outside the file."""

    VOID = {"meta", "br", "img", "hr", "input", "link", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []
        self.external: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)
        for name, value in attrs:
            if name in ("src", "srcset", "data") or (tag == "link" and name == "href"):
                self.external.append((tag, value or ""))
            if tag == "a" and name == "href":
                self.links.append(value or "")
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] in ("style", "script"):
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    assert page.open == [], page.open  # every element is closed
    return page


def test_html_report_is_self_contained_well_formed_and_complete(project: Path) -> None:
    (project / "odd<b>name.py").write_text(JOB)
    result = report(project, "--format", "html", "--output", "report.html")
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.endswith("Wrote the migration report to report.html.\n")
    html = (project / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n")
    page = _parse(html)
    assert page.external == []  # no images, stylesheets, frames or scripts from elsewhere
    assert "script" in page.tags and "<script src" not in html and "@import" not in html and "url(" not in html
    assert all(link.startswith("https://learn.microsoft.com/azure/machine-learning/") for link in page.links)
    text = " ".join(" ".join(page.text).split())
    assert "Azure ML SDK v1 to v2 migration report" in text
    assert "Files scanned 7" in text and "Findings fix resolves 13 of 20 (65.0%)" in text
    assert "Impossible per the reference (2)" in text and "Documented defaults to check (2)" in text
    assert "odd<b>name.py" in text and "<b>name" not in html  # the name is text, never markup
    cells = page.cells
    row = cells.index("nb.ipynb")
    assert cells[row:row + 7] == ["nb.ipynb", "fully fixable", "3", "0", "3", "0", "2, 3"]
    assert "@media print" in html and "max-width: 72rem" in html


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser (apt-get install chromium)")
def test_html_report_renders_in_a_headless_browser(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert report(project, "--format", "html", "--output", "report.html").returncode == 0
    shots = tmp_path_factory.mktemp("shots")
    for width, name in ((1280, "wide.png"), (420, "narrow.png")):
        png = shots / name
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={shots / 'profile'}", f"--window-size={width},1600",
                        f"--screenshot={png}", (project / "report.html").as_uri()],
                       capture_output=True, timeout=180, check=False)
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (width, 1600)
        assert len(data) > 20_000  # a rendered page, not a blank one
    pdf = shots / "print.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={shots / 'profile'}",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (project / "report.html").as_uri()],
                   capture_output=True, timeout=180, check=False)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_report_refuses_stdin_and_writes_nothing_else(project: Path) -> None:
    result = run([sys.executable, "-m", "flake8_azureml_v2", "report", "-"], cwd=project)
    assert result.returncode == 2 and "report reads files, not standard input" in result.stderr
    assert shutil.which("azureml-v2", path=str(Path(sys.executable).parent))


def test_markdown_lists_twenty_locations_per_code_and_says_how_many_more(project: Path) -> None:
    from flake8_azureml_v2 import report_markdown

    document = json.loads(report(project, "--format", "json").stdout)
    row = document["manual"][0]["codes"][0]
    row["locations"] = [dict(row["locations"][0], line=n) for n in range(1, 26)]
    text = report_markdown.render(document)
    assert "- `job.py:20:8`: " in text and "- `job.py:21:8`: " not in text
    assert "- and 5 more (the HTML and JSON reports list them all)\n" in text


def test_html_names_and_paths_wrap_between_their_parts(project: Path) -> None:
    html = report(project, "--format", "html").stdout
    assert "<code>Workspace.<wbr>from_<wbr>config()</code>" in html  # the v1 column of the codes table
    assert "MLClient.<wbr>from_<wbr>config(DefaultAzureCredential())" in html  # and the v2 column
    assert "td code, td.v2 { overflow-wrap: break-word; }" in html


WIDGET = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.widgets import RunDetails

ws = Workspace.from_config()
env = Environment.get(ws, "sklearn-env", version="3")
config = ScriptRunConfig(source_directory=".", script="train.py", compute_target="cpu-cluster",
                         environment=env)
run = Experiment(ws, "widget").submit(config)
RunDetails(run).show()
"""


def test_todo_comments_are_reported_as_fix_writes_them(tmp_path: Path) -> None:
    """A TODO that names the migrated client is reported with the client's chosen name, the
    line fix writes, not the fixer's placeholder for a name not yet chosen."""
    job = tmp_path / "job.py"
    job.write_text(WIDGET)
    document = json.loads(report(tmp_path, "--format", "json").stdout)
    checks = [d["check"] for d in document["defaults_to_check"] if "AML090" in d["check"]]
    fixed = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "job.py"], cwd=tmp_path)
    assert fixed.returncode in (0, 1), fixed.stderr
    written = [line.strip() for line in job.read_text().splitlines() if "TODO(azureml-v2): AML090" in line]
    assert len(checks) == 1 and checks == written
    assert "ml_client.jobs.stream(run.name)" in checks[0]


def test_example_comes_from_a_py_file_where_it_shows_the_import_it_adds(tmp_path: Path) -> None:
    """A notebook cell shows the fix without the import that went into the first cell, so the
    example is taken from a .py file when one has the same fix, though its cut is longer."""
    (tmp_path / "a.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "metadata": {}, "source": ["from azureml.core import Workspace\n"], "outputs": [],
         "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": ["ws = Workspace.from_config()\n", "print(ws.name)\n"],
         "outputs": [], "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (tmp_path / "z.py").write_text("from azureml.core import Workspace\n\nws = Workspace.from_config()\nprint(ws.name)\n")
    example = json.loads(report(tmp_path, "--format", "json").stdout)["example"]
    assert (example["code"], example["path"], example["cell"]) == ("AML020", "z.py", None)
    assert "from azure.ai.ml import MLClient" in example["after"]
