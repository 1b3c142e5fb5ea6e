"""The examples and exit codes each ``--help`` ends with (argparse epilogs, printed as written).

Kept apart from :mod:`.cli` so the parser stays readable; a test parses every
example command here, so none can drift from the real options.
"""

MAIN_EPILOG = """\
examples:
  azureml-v2 check src/                       report v1 code ([*]: fix resolves it safely)
  azureml-v2 check --statistics .             count findings per code
  azureml-v2 fix --diff src/                  show what the safe fixes would change
  azureml-v2 fix --unsafe-fixes src/          also migrate script runs, pipelines, in-job logging
  azureml-v2 report --format html --output migration.html .
  azureml-v2 rule AML002                      explain one rule

exit codes:
  0  nothing found (check), nothing left (fix), a report or config written
  1  findings (check), findings left or a file would change (fix)
  2  a usage or configuration error, or a file that could not be checked
"""
CHECK_EPILOG = """\
examples:
  azureml-v2 check src/ notebooks/
  azureml-v2 check --output-format full src/train.py
  azureml-v2 check --statistics .
  azureml-v2 check --output-format sarif --output-file aml.sarif --exit-zero .
  azureml-v2 check --write-baseline .azureml-v2-baseline.json .   then, in CI:
  azureml-v2 check --baseline .azureml-v2-baseline.json .

output: concise on a terminal ([*] marks what `azureml-v2 fix` resolves), else
text (flake8's format); concise, full, json, sarif and --statistics run the
fixer in memory to say what fix would do, which takes several times longer.

exit codes:
  0  no findings (or only baselined ones); --write-baseline and --add-noqa done
  1  findings
  2  a usage or configuration error, or a file that could not be checked
"""
FIX_EPILOG = """\
examples:
  azureml-v2 fix src/                         apply the safe fixes in place
  azureml-v2 fix --diff --unsafe-fixes src/   show every fix, write nothing
  azureml-v2 fix --check .                    exit 1 if a safe fix would change a file
  azureml-v2 fix --show-fixes .               end with what was fixed, per file and code
  cat job.py | azureml-v2 fix - > fixed.py

exit codes:
  0  nothing left to report; with --check/--diff: nothing would change
  1  findings left; with --check/--diff: a file would change;
     with --exit-non-zero-on-fix: a file was changed
  2  a file could not be read, parsed, fixed or written, or a usage error
"""
REPORT_EPILOG = """\
examples:
  azureml-v2 report .                         Markdown on standard output
  azureml-v2 report --format html --output migration.html src/
  azureml-v2 report --format json --output migration.json .

It runs check and, in memory, fix (with and without unsafe fixes); it never
changes a file.

exit codes:
  0  the report was written (files that could not be checked are listed in it)
  2  a usage error, or the report could not be written
"""
RUFF_EPILOG = """\
examples:
  azureml-v2 ruff-config                      print the block
  azureml-v2 ruff-config --write              merge it into ./pyproject.toml
  azureml-v2 ruff-config --write ruff.toml    merge it into ruff.toml

exit codes:
  0  printed, or merged (a second run changes nothing)
  2  the file is not valid TOML or cannot be written
"""
