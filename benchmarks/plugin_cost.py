"""The flake8 plugin's own share of a flake8 run, measured inside one process.

Wall-clock comparisons of two flake8 runs on a small shared machine vary by
about 10 % from run to run, more than the plugin costs.  This script measures
both sides in the same process on the same files, one after the other:

* flake8 itself (``-j1``, every default plugin plus this one) on a sample of the tree;
* this plugin's ``run()`` alone on the trees flake8 would hand it.

Usage::

    python benchmarks/plugin_cost.py benchmarks/out/tree-1 [--sample 300]
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import tempfile
import time
from pathlib import Path

from flake8.main.application import Application

from flake8_azureml_v2.engine import Settings, project
from flake8_azureml_v2.flake8_plugin import AzureMLV2Checker
from flake8_azureml_v2.rules import all_rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", type=Path)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    os.chdir(tree)
    files = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.py"))
    sample = sorted(random.Random(7).sample(files, min(args.sample, len(files))))
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        app = Application()
        app.run(["--select", "AML", "-j", "1", f"--output-file={scratch}/out.txt", *sample])
        flake8_seconds = time.perf_counter() - start
    all_rules()
    AzureMLV2Checker.settings = Settings(project_root_hint=tree)
    project.forget_indexes()
    parsed = []
    for name in sample:
        text = Path(name).read_text(encoding="utf-8")
        parsed.append((name, ast.parse(text), text.splitlines(keepends=True)))
    start = time.perf_counter()
    findings = sum(len(list(AzureMLV2Checker(t, name, lines).run())) for name, t, lines in parsed)
    plugin_seconds = time.perf_counter() - start
    rest = flake8_seconds - plugin_seconds
    print(f"{tree.name}: {len(sample)} files, {findings} findings")
    print(f"  flake8 -j1 with the plugin: {flake8_seconds:.2f} s ({1000 * flake8_seconds / len(sample):.1f} ms/file)")
    print(f"  the plugin's run() alone:   {plugin_seconds:.2f} s ({1000 * plugin_seconds / len(sample):.2f} ms/file,"
          " project index included)")
    print(f"  plugin overhead over flake8 without it: {100 * plugin_seconds / rest:+.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
