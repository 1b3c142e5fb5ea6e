"""The README's promises that can drift: the rule table and the CI command."""

from __future__ import annotations

from pathlib import Path

from flake8_azureml_v2 import docs
from flake8_azureml_v2.rules import all_rules

ROOT = Path(__file__).parent.parent


def test_rule_table_is_current() -> None:
    assert docs.markdown_table(all_rules()) in (ROOT / "README.md").read_text(encoding="utf-8")


def _ci_commands() -> list[str]:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith(("#", "set ", "cd "))]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = _ci_commands()[0]
    assert "pytest" in command
    assert f"```bash\n{command}\n```" in readme


def test_ci_then_runs_the_corpus_gates_when_the_corpus_is_there() -> None:
    commands = _ci_commands()
    gate = ".venv/bin/python benchmarks/harm_gate.py --corpus ../shared/corpus/dev --bin .venv/bin --mode both"
    verdicts = ".venv/bin/python benchmarks/verdicts_match.py --corpus ../shared/corpus/dev --bin .venv/bin"
    assert commands[1:] == ["if [ -d ../shared/corpus/dev ]; then", gate, verdicts, "fi"]
    assert "set -euo pipefail" in (ROOT / ".ci" / "run").read_text()  # a failing gate fails CI
