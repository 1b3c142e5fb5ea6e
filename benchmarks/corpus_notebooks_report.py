"""Measure notebook support on the real-world corpus (nothing is written).

Usage::

    python benchmarks/corpus_notebooks_report.py --manifest /work/corpus/manifest.tsv [--json out.json]

For every ``.ipynb`` row of the manifest it reports, per subset:

* notebooks read, notebooks with findings, notebooks refused (bad JSON, nbformat 3, ...);
* code cells analysed and cells skipped as not Python even with magics masked;
* ``%%writefile`` cells, how many of them are training scripts (AML010 evidence),
  and how many of those the fixer (``--unsafe-fixes``, in memory) migrated
  fully (no finding left) or partly;
* notebooks the whole-notebook fixer would change, and refusals by reason;
* notebooks whose JSON layout can be reproduced byte for byte (so they could be written).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from flake8_azureml_v2 import documents
from flake8_azureml_v2.api import analyse, fix_text
from flake8_azureml_v2.engine import Settings
from flake8_azureml_v2.runner import Fixing, Target, process
from flake8_azureml_v2.selection import Selection


def measure(path: Path, settings: Settings, counts: Counter[str], reasons: Counter[str]) -> None:
    data = path.read_bytes()
    counts["notebooks"] += 1
    target = Target(str(path), path)
    checked = process(target, settings, Selection(), data=data)
    if checked.error is not None:
        counts["refused"] += 1
        reasons[checked.error.split(" (")[0]] += 1
        return
    try:
        document = documents.load(data, path)
    except Exception:  # noqa: BLE001 - process() already reported why
        return
    assert isinstance(document, documents.NotebookDocument)
    notebook, parts = document.notebook, document.parts
    counts["layout reproducible"] += notebook.layout is not None
    counts["code cells"] += sum(1 for c in notebook.cells if c.get("cell_type") == "code")
    counts["cells in the program"] += len(parts.program.cells)
    counts["cells skipped (not Python)"] += len(checked.skipped)
    counts["with findings"] += bool(checked.findings)
    counts["findings"] += len(checked.findings)
    fixed = process(target, settings, Selection(), Fixing(unsafe=True), data=data)
    if fixed.error is None:
        counts["notebooks the fixer would change"] += fixed.changed
        counts["findings fixed in notebooks"] += len(fixed.fixed)
    else:
        counts["notebooks the fixer refused"] += 1
        reasons[f"fix refused: {fixed.error.split(' (')[0]}"] += 1
    counts["%%writefile cells"] += len(parts.written)
    for program in document.programs(settings):
        if not isinstance(program, documents.WrittenCell):
            continue
        body = analyse(program.text, path=program.path, settings=program.settings)
        if body.context is None or body.context.training_evidence is None:
            continue
        counts["%%writefile training scripts"] += 1
        if not body.findings:
            counts["training scripts already v2"] += 1
            continue
        try:
            outcome = fix_text(program.text, path=program.path, settings=program.settings, unsafe=True)
        except Exception:  # noqa: BLE001 - a refusal or a crash both count as refused
            counts["training scripts refused by the fixer"] += 1
            continue
        if outcome.text != program.text and not outcome.left:
            counts["training scripts fully migrated"] += 1
        elif outcome.text != program.text:
            counts["training scripts partly migrated"] += 1
            for left in outcome.left:
                reasons[f"left in training scripts: {left.finding.code}"] += 1
        else:
            counts["training scripts unchanged"] += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with open(args.manifest, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["kind"] == "ipynb"]
    per_subset: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    for row in rows:
        path = Path(row["local_path"])
        if not path.is_file():
            per_subset[row["subset"]]["missing"] += 1
            continue
        measure(path, Settings(), per_subset[row["subset"]], reasons)
    for subset, counts in sorted(per_subset.items()):
        print(f"== subset {subset}")
        for key, value in counts.items():
            print(f"  {key:40} {value}")
        scripts = counts["%%writefile training scripts"] - counts["training scripts already v2"]
        if scripts:
            share = counts["training scripts fully migrated"] / scripts
            print(f"  {'share of v1 training scripts fully migrated':40} {share:.0%}"
                  f" (+{counts['training scripts partly migrated']} partly, of {scripts})")
    if reasons:
        print("== reasons")
        for reason, count in reasons.most_common():
            print(f"  {count:4}  {reason}")
    if args.json:
        args.json.write_text(json.dumps({"subsets": per_subset, "reasons": reasons}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
