#!/usr/bin/env python
"""Does ``check`` tell the truth about ``fix``?  Each finding's fix applicability against what
``fix --unsafe-fixes`` then does to it, on a corpus.

usage: python benchmarks/verdicts_match.py [--corpus DIR] [--bin VENV/bin] [--shown N]

``check --output-format json`` marks every finding safe, unsafe or none (what ``report`` and the
``[*]`` markers count).  On a scratch git copy of the corpus, ``fix --unsafe-fixes --diff`` then
says, per finding, "fixed" or "left".  Two kinds of disagreement are counted:

  promised   check says safe or unsafe, and fix leaves the finding (or fixes only part of it)
  missed     check says none, and fix resolves it

Exit status 0 when both are 0, 1 otherwise, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from harm_gate import scratch_copy

REPO = Path(__file__).resolve().parent.parent
# path:line:col: CODE fixed|left: ... (a notebook's place is path:cell N:line:col)
OUTCOME = re.compile(r"^(?P<path>.*?):(?:cell (?P<cell>\d+):)?(?P<line>\d+):(?P<col>\d+): "
                     r"(?P<code>AML\d+) (?P<what>fixed|left)\b")

Key = tuple[str, int, int, int, str]


def outcomes(stderr: str) -> dict[str, set[Key]]:
    found: dict[str, set[Key]] = {"fixed": set(), "left": set()}
    for line in stderr.splitlines():
        match = OUTCOME.match(line)
        if match:
            found[match["what"]].add((match["path"], int(match["cell"] or 0), int(match["line"]),
                                      int(match["col"]), match["code"]))
    return found


def compare(findings: list[dict], fixed: set[Key], left: set[Key]) -> tuple[list[Key], list[Key]]:
    promised, missed = [], []
    for finding in findings:
        key = (finding["filename"], finding.get("cell") or 0, finding["location"]["row"],
               finding["location"]["column"], finding["code"])
        fixable = finding["fix"]["applicability"] != "none"
        if fixable and (key in left or key not in fixed):
            promised.append(key)
        elif not fixable and key not in left:
            missed.append(key)
    return promised, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--bin", type=Path, default=Path(sys.executable).parent)
    parser.add_argument("--shown", type=int, default=10, help="disagreements listed per kind")
    args = parser.parse_args(argv)
    binary = str((args.bin / "azureml-v2").resolve())
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="aml-verdicts-") as scratch:
        folder = Path(scratch) / "corpus"
        scratch_copy(corpus, folder)
        checked = subprocess.run([binary, "check", "--output-format", "json", "."], cwd=folder,
                                 capture_output=True, text=True)
        fixed = subprocess.run([binary, "fix", "--unsafe-fixes", "--diff", "--exit-zero", "."], cwd=folder,
                               capture_output=True, text=True)
    findings = json.loads(checked.stdout)
    found = outcomes(fixed.stderr)
    promised, missed = compare(findings, found["fixed"], found["left"])
    verdicts = Counter(f["fix"]["applicability"] for f in findings)
    print(f"{len(findings)} findings: {verdicts['safe']} safe, {verdicts['unsafe']} unsafe, {verdicts['none']} none")
    for name, keys in (("promised", promised), ("missed", missed)):
        by_code = Counter(key[4] for key in keys)
        print(f"{name}: {len(keys)} {dict(by_code.most_common())}")
        for path, cell, line, col, code in keys[:args.shown]:
            print(f"  {path}:{f'cell {cell}:' if cell else ''}{line}:{col}: {code}")
    return 1 if promised or missed else 0


if __name__ == "__main__":
    sys.exit(main())
