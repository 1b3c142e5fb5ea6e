"""--help ends with examples and exit codes, and every example is a command the parser accepts (issue 15)."""

from __future__ import annotations

import shlex
import sys

import pytest

from flake8_azureml_v2 import cli, cli_help

from .conftest import run

EPILOGS = {"": cli_help.MAIN_EPILOG, "check": cli_help.CHECK_EPILOG, "fix": cli_help.FIX_EPILOG,
           "report": cli_help.REPORT_EPILOG, "ruff-config": cli_help.RUFF_EPILOG}


@pytest.mark.parametrize("command", list(EPILOGS))
def test_help_shows_examples_and_exit_codes_as_written(command: str) -> None:
    result = run([sys.executable, "-m", "flake8_azureml_v2", *([command] if command else []), "--help"])
    assert result.returncode == 0
    assert result.stdout.endswith("\n" + EPILOGS[command])  # verbatim: RawDescriptionHelpFormatter
    assert "\nexamples:\n" in result.stdout and "\nexit codes:\n  0  " in result.stdout


def _examples(epilog: str) -> list[list[str]]:
    found = []
    for line in epilog.splitlines():
        line = line.strip()
        if line.startswith(("azureml-v2 ", "cat ")):
            command = line.split("|")[-1].strip().split(">")[0]
            words = shlex.split(command.split("  ")[0])
            found.append(words[1:])
    return found


@pytest.mark.parametrize("argv", [argv for epilog in EPILOGS.values() for argv in _examples(epilog)],
                         ids=lambda argv: " ".join(argv))
def test_every_example_parses(argv: list[str]) -> None:
    args = cli._parser().parse_args(argv)
    assert args.command == argv[0]
