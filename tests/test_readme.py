"""The README's promises that can drift: the rule table and the CI command."""

from __future__ import annotations

from pathlib import Path

from flake8_azureml_v2 import docs
from flake8_azureml_v2.rules import all_rules

ROOT = Path(__file__).parent.parent


def test_rule_table_is_current() -> None:
    assert docs.markdown_table(all_rules()) in (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in (ROOT / ".ci" / "run").read_text().splitlines() if "pytest" in line)
    assert f"```bash\n{command}\n```" in readme
