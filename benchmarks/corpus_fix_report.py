"""Measure ``azureml-v2 fix --unsafe-fixes`` on real-world orchestration scripts.

Usage::

    python benchmarks/corpus_fix_report.py --manifest /work/corpus/manifest.tsv [--json out.json]

The manifest is the dev corpus (repo, commit, path, kind, role, sdk, subset,
local_path), materialised outside this repository.  For every ``.py`` file with
role ``orchestration`` in the ``main`` subset the fixer runs in memory (nothing
is written back) and the script reports:

* submissions (AML001 findings) migrated, per file fully or partly;
* the reasons findings were left, counted by kind;
* that every rewritten file still parses;
* ruff's F401/F811/F821 counts before and after, which must not grow.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from flake8_azureml_v2.engine import SourceError, decode
from flake8_azureml_v2.api import fix_text
from flake8_azureml_v2.engine.fixing import FixError
from flake8_azureml_v2.engine.settings import Settings

_DETAILS = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|line \d+|\b\d+\b")


def reason_kind(reason: str) -> str:
    """Fold a reason's specifics (names, lines, values) so reasons can be counted."""
    reason = reason.split(": ", 1)[1] if reason.startswith("depends on line") else reason
    return _DETAILS.sub("…", reason)


def ruff_counts(folder: Path) -> Counter[str]:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F401,F811,F821",
         "--output-format", "json", "--exit-zero", str(folder)],
        capture_output=True, text=True, check=True,
    )
    return Counter(f"{Path(d['filename']).name}:{d['code']}" for d in json.loads(result.stdout))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with open(args.manifest, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t")
                if r["kind"] == "py" and r["role"] == "orchestration" and r["subset"] == "main"]
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    fixed_codes: Counter[str] = Counter()
    not_parsing: list[str] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        before_dir, after_dir = Path(scratch, "before"), Path(scratch, "after")
        before_dir.mkdir()
        after_dir.mkdir()
        for index, row in enumerate(rows):
            path = Path(row["local_path"])
            repo_root = Path(*path.parts[: path.parts.index(row["repo"].replace("/", "+")) + 1])
            try:
                text = decode(path.read_bytes())
                outcome = fix_text(text, path=path, settings=Settings(project_root_hint=repo_root), unsafe=True)
            except (SourceError, FixError) as exc:
                errors.append(f"{row['repo']}:{row['path']}: {exc}")
                continue
            totals["files"] += 1
            name = f"f{index}.py"
            (before_dir / name).write_text(text, encoding="utf-8")
            (after_dir / name).write_text(outcome.text, encoding="utf-8")
            submissions_fixed = sum(1 for f in outcome.fixed if f.code == "AML001")
            submissions_left = sum(1 for f in outcome.left if f.finding.code == "AML001")
            totals["submissions"] += submissions_fixed + submissions_left
            totals["submissions migrated"] += submissions_fixed
            fixed_codes.update(f.code for f in outcome.fixed)
            if outcome.text != text:
                totals["files rewritten"] += 1
                try:
                    ast.parse(outcome.text)
                except SyntaxError:
                    not_parsing.append(row["path"])
                if outcome.left:
                    totals["files migrated partly"] += 1
                else:
                    totals["files migrated fully"] += 1
            elif outcome.left:
                totals["files left unchanged"] += 1
            for left in outcome.left:
                reasons[f"{left.finding.code}: {reason_kind(left.reason)}"] += 1
        before, after = ruff_counts(before_dir), ruff_counts(after_dir)
    grown = {key: after[key] - before[key] for key in after if after[key] > before[key]}
    report = {
        "totals": dict(totals),
        "fixed_by_code": dict(fixed_codes.most_common()),
        "left_reasons": dict(reasons.most_common()),
        "rewritten_files_not_parsing": not_parsing,
        "ruff_F401_F811_F821_before": sum(before.values()),
        "ruff_F401_F811_F821_after": sum(after.values()),
        "ruff_findings_that_grew": grown,
        "errors": errors,
    }
    print(f"orchestration .py files: {totals['files']} ({len(errors)} could not be read or parsed)")
    print(f"submissions (AML001): {totals['submissions']}, migrated: {totals['submissions migrated']}")
    print(f"files rewritten: {totals['files rewritten']} (fully: {totals['files migrated fully']}, "
          f"partly: {totals['files migrated partly']}); files with findings left unchanged: {totals['files left unchanged']}")
    print(f"rewritten files that do not parse: {len(not_parsing)}")
    print(f"ruff F401/F811/F821: before {report['ruff_F401_F811_F821_before']}, after {report['ruff_F401_F811_F821_after']}, "
          f"grown in {len(grown)} file/code pairs")
    print("fixed, by code:", ", ".join(f"{c} {n}" for c, n in fixed_codes.most_common()))
    print("most common reasons findings were left:")
    for reason, count in reasons.most_common(25):
        print(f"  {count:4d}  {reason}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
