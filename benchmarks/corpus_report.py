"""Run the engine over a corpus of real-world files and report recall and suspects.

Usage (with the interpreter of a venv that has this project installed)::

    python benchmarks/corpus_report.py --manifest /work/corpus/manifest.tsv
    python benchmarks/corpus_report.py --manifest /work/corpus/manifest.tsv --json benchmarks/out/corpus.json

The manifest is a TSV file with the columns ``repo commit path kind role sdk
subset local_path``.  Every ``.py`` row is read from ``local_path`` and run
through the engine in-process (``analyse(decode(data), path=...,
settings=Settings(project_root_hint=<the repository folder of that file>))``).
Notebooks are not supported yet: they are counted and listed as skipped.

For subset ``main`` (old, SDK v1 code) it reports how many files import v1
modules according to the engine's own model (``ImportSite.v1_modules``), how
many of those got at least one finding (recall), the histogram of codes, the
v1-importing files without a finding, and the files that failed to parse.

For subset ``v2era-head`` (the same kind of repository at a recent commit,
mostly SDK v2 code) it lists every finding as ``path:line:code message``:
these are candidate false positives to review by hand.

Other subsets get the same summary numbers as ``main``.  Exit status is 0
unless the manifest cannot be read.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

from flake8_azureml_v2.api import analyse
from flake8_azureml_v2.engine import SourceError, decode
from flake8_azureml_v2.engine.settings import Settings

FP_SUBSET = "v2era-head"


def read_manifest(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        local = Path(row["local_path"])
        if not local.is_absolute():
            local = path.parent / local
        row["local_path"] = str(local)
    return rows


def repo_folder(row: dict[str, str]) -> Path:
    """``local_path`` minus the in-repository ``path``: the checkout's root."""
    local = Path(row["local_path"])
    depth = len(Path(row["path"]).parts)
    return local.parents[depth - 1] if depth else local.parent


def analyse_row(row: dict[str, str]) -> dict:
    local = Path(row["local_path"])
    result: dict = {"path": row["path"], "local_path": str(local), "repo": row["repo"],
                    "subset": row["subset"], "sdk": row.get("sdk", ""), "role": row.get("role", ""),
                    "v1_imports": [], "findings": [], "error": None}
    try:
        data = local.read_bytes()
    except OSError as exc:
        result["error"] = f"cannot read: {exc.strerror or exc}"
        return result
    try:
        analysis = analyse(decode(data), path=local, settings=Settings(project_root_hint=repo_folder(row)))
    except SourceError as exc:
        result["error"] = str(exc)
        return result
    if analysis.model is not None:
        for site in analysis.model.imports:
            result["v1_imports"].extend(site.v1_modules)
    result["findings"] = [
        {"line": f.line, "col": f.col + 1, "code": f.code, "message": f.message} for f in analysis.findings
    ]
    return result


def summarise(results: list[dict]) -> dict:
    v1 = [r for r in results if r["v1_imports"]]
    hit = [r for r in v1 if r["findings"]]
    codes = Counter(f["code"] for r in results for f in r["findings"])
    by_sdk: dict[str, dict[str, int]] = {}
    for r in results:
        cell = by_sdk.setdefault(r["sdk"] or "?", {"files": 0, "v1_imports": 0, "with_findings": 0})
        cell["files"] += 1
        cell["v1_imports"] += bool(r["v1_imports"])
        cell["with_findings"] += bool(r["findings"])
    return {
        "py_files": len(results),
        "files_with_v1_imports": len(v1),
        "v1_files_with_findings": len(hit),
        "recall": round(len(hit) / len(v1), 4) if v1 else None,
        "files_with_findings": sum(1 for r in results if r["findings"]),
        "findings": sum(len(r["findings"]) for r in results),
        "codes": dict(sorted(codes.items())),
        "by_manifest_sdk": dict(sorted(by_sdk.items())),
        "v1_files_without_findings": [r["local_path"] for r in v1 if not r["findings"]],
        "findings_without_v1_imports": [r["local_path"] for r in results if r["findings"] and not r["v1_imports"]],
        "parse_errors": [{"path": r["local_path"], "error": r["error"]} for r in results if r["error"]],
    }


def _print_summary(name: str, summary: dict) -> None:
    recall = summary["recall"]
    print(f"== subset {name}: {summary['py_files']} .py files")
    print(f"   files importing v1 modules (engine model): {summary['files_with_v1_imports']}")
    print(f"   ... of which with >=1 finding:             {summary['v1_files_with_findings']}"
          + (f"  (recall {recall:.1%})" if recall is not None else ""))
    print(f"   files with findings: {summary['files_with_findings']}, findings: {summary['findings']}")
    print("   codes: " + (", ".join(f"{code} {n}" for code, n in summary["codes"].items()) or "none"))
    print("   by manifest sdk label (files / importing v1 / with findings): "
          + ", ".join(f"{sdk} {c['files']}/{c['v1_imports']}/{c['with_findings']}"
                      for sdk, c in summary["by_manifest_sdk"].items()))
    print(f"   parse errors: {len(summary['parse_errors'])}")
    for error in summary["parse_errors"]:
        print(f"     {error['path']}: {error['error']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, required=True, help="manifest.tsv of the corpus")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="write the numbers here")
    parser.add_argument("--quiet", action="store_true", help="do not list misses and skipped notebooks")
    args = parser.parse_args(argv)
    try:
        rows = read_manifest(args.manifest)
    except (OSError, KeyError, csv.Error) as exc:
        print(f"corpus_report: cannot read {args.manifest}: {exc}", file=sys.stderr)
        return 2

    py_rows = [r for r in rows if r["local_path"].endswith(".py") or r.get("kind") == "py"]
    skipped = [r for r in rows if r not in py_rows]
    start = time.perf_counter()
    results = [analyse_row(r) for r in py_rows]
    elapsed = time.perf_counter() - start

    subsets: dict[str, list[dict]] = {}
    for r in results:
        subsets.setdefault(r["subset"], []).append(r)
    report: dict = {"manifest": str(args.manifest), "py_files": len(results), "seconds": round(elapsed, 3),
                    "skipped_notebooks": [{"subset": r["subset"], "path": r["local_path"]} for r in skipped],
                    "subsets": {}}

    print(f"corpus: {len(rows)} files in the manifest; {len(results)} .py analysed in {elapsed:.2f} s; "
          f"{len(skipped)} notebooks skipped (not supported yet)")
    for name in sorted(subsets, key=lambda n: (n == FP_SUBSET, n)):
        summary = summarise(subsets[name])
        report["subsets"][name] = summary
        _print_summary(name, summary)
        if name != FP_SUBSET and not args.quiet and summary["v1_files_without_findings"]:
            print("   v1-importing files without a finding (misses):")
            for path in summary["v1_files_without_findings"]:
                print(f"     {path}")
        if name == FP_SUBSET:
            listing = [f"{r['local_path']}:{f['line']}:{f['code']} {f['message']}   [manifest sdk={r['sdk']}]"
                       for r in subsets[name] for f in r["findings"]]
            summary["finding_lines"] = listing
            print(f"   every finding ({len(listing)}, candidate false positives to review):")
            for line in listing:
                print(f"     {line}")

    if not args.quiet:
        print(f"skipped notebooks ({len(skipped)}):")
        for r in skipped:
            print(f"   [{r['subset']}] {r['local_path']}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
