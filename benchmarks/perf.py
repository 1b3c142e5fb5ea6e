"""Every speed figure of the README's Performance table, from one command.

Usage (from the repository root, with the venv the README's test command builds)::

    .venv/bin/python benchmarks/perf.py [--corpus ../shared/corpus/dev] [--runs 5] [--json out.json]
                                        [--compare REV] [--skip-large]

Each ratio is measured in one run that interleaves the two commands (A B A B ...)
and is the median of the pair-by-pair ratios, so a machine whose speed drifts
still gives a fair figure; times are medians too.  Peak memory is the largest
resident size of the child process (``ru_maxrss``).  Commands run as an installed
tool runs, with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE`` is removed
from their environment).  Nothing here asserts a timing: this is a benchmark, not a test.

Figures:

1. ``azureml-v2 check`` on the corpus (copied into a git root) against ``ruff check``
   with ``azureml`` banned (TID251), and against the Python single-process parse
   floor (read every file, JSON-decode notebooks, ``ast.parse`` every file or
   notebook whose text mentions azureml, magic lines masked);
2. ``fix --unsafe-fixes --diff`` against ``check`` on the same tree;
3. ``check`` of one v1 file, as pre-commit and editors run it, against Python's
   start-up and against importing the command line;
4. ``check`` of a 20,000-file tree without azureml against ruff;
5. the fixer on one v1 file of 1k, 2k, 4k and 100k lines;
6. ``check`` of a 20 MB v1 file: time and peak memory, beside the floor of ``ast.parse``
   on the same file (the collector off), which check cannot go below.

``--compare REV`` also runs ``check`` and ``fix --diff`` of the commit REV (a git
worktree of it, imported first on PYTHONPATH) on the corpus and reports whether
their outputs are byte for byte the same as the working tree's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

RUFF_TOML = '[lint]\nselect = ["TID251"]\n[lint.flake8-tidy-imports.banned-api]\n"azureml".msg = "Azure ML SDK v1"\n'
FLOOR = r'''
import ast, json, re, sys
from pathlib import Path
magic = re.compile(r"^\s*[%!]")
for path in Path(".").rglob("*"):
    if path.suffix not in (".py", ".ipynb") or ".git" in path.parts or not path.is_file():
        continue
    data = path.read_bytes()
    if b"azureml" not in data:
        continue
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(data)["cells"]
        except Exception:
            continue
        sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                   for c in cells if c.get("cell_type") == "code"]
        text = "\n".join("\n".join("pass" if magic.match(l) else l for l in s.split("\n")) for s in sources)
    else:
        text = data.decode("utf-8", "replace")
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        pass
'''
# The floor for one large file: CPython's own parser, collector off, nothing else.
BIG_FLOOR = "import ast, gc, sys; gc.disable(); ast.parse(open(sys.argv[1]).read())"
V1_BLOCK = '''
ws{i} = Workspace.from_config()
exp{i} = Experiment(workspace=ws{i}, name="exp{i}")
env{i} = Environment.from_conda_specification(name="env{i}", file_path="env.yml")
cfg{i} = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env{i})
run{i} = exp{i}.submit(cfg{i})
print(run{i}.get_portal_url())
run{i}.wait_for_completion(show_output=True)
'''
V1_HEAD = "from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig\n"


# As installed tools run: Python's bytecode cache is written and read (a machine that sets
# PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run).
AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident KiB of one run (in a fresh wrapper, so that
    ``ru_maxrss`` is that command's own)."""
    env = AS_INSTALLED if env is None else {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys, time; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
               *command]
    out = subprocess.run(wrapper, cwd=cwd, capture_output=True, text=True, env=env, check=True).stdout.split()
    return float(out[0]), int(out[1])


def interleaved(a: list[str], b: list[str], cwd: Path, runs: int) -> dict[str, float]:
    timed(a, cwd)
    timed(b, cwd)  # warm-up, not counted
    pairs = []
    for _ in range(runs):
        first, _ = timed(a, cwd)
        second, _ = timed(b, cwd)
        pairs.append((first, second))
    return {
        "a_s": statistics.median(p[0] for p in pairs),
        "b_s": statistics.median(p[1] for p in pairs),
        "ratio": statistics.median(p[0] / p[1] for p in pairs),
    }


def corpus_copy(corpus: Path, into: Path) -> Path:
    tree = into / "corpus"
    shutil.copytree(corpus, tree, symlinks=True)
    for path in [tree, *tree.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    (tree / "ruff.toml").write_text(RUFF_TOML)
    return tree


def v1_file(folder: Path, lines: int, name: str) -> Path:
    blocks = max(lines // V1_BLOCK.count("\n"), 1)
    path = folder / name
    path.write_text(V1_HEAD + "".join(V1_BLOCK.format(i=i) for i in range(blocks)))
    return path


def plain_tree(folder: Path, files: int) -> Path:
    from bench import generate_tree  # the synthetic trees of benchmarks/bench.py

    tree = folder / f"plain-{files}"
    generate_tree(tree, files, 0.0, 7)
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    (tree / "ruff.toml").write_text(RUFF_TOML)
    return tree


def compare_outputs(rev: str, tool: list[str], tree: Path, scratch: Path) -> dict[str, dict[str, bool]]:
    """Do ``check`` and ``fix --diff`` print the same bytes in the working tree and at ``rev``?
    Standard output (the findings; the diff) and standard error (``fix``'s fixed and left
    lines) are compared apart: a reworded reason changes the second, never the first."""
    old = scratch / "old-build"
    subprocess.run(["git", "worktree", "add", "-q", "--detach", str(old), rev], cwd=ROOT, check=True)
    try:
        results = {}
        for label, args in (("check", ["check", "--exit-zero", "."]),
                            ("fix --diff", ["fix", "--unsafe-fixes", "--diff", "--exit-zero", "."])):
            new = subprocess.run([*tool, *args], cwd=tree, capture_output=True)
            env = {**os.environ, "PYTHONPATH": str(old)}
            before = subprocess.run([*tool, *args], cwd=tree, capture_output=True, env=env)
            results[label] = {"stdout": new.stdout == before.stdout, "stderr": new.stderr == before.stderr}
        return results
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--bin", type=Path, default=Path(sys.executable).parent)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--compare", default=None, metavar="REV", help="compare outputs with this commit")
    parser.add_argument("--skip-large", action="store_true", help="skip the 20,000-file tree and the 100k/20 MB files")
    args = parser.parse_args(argv)
    python = str(args.bin / "python")
    tool = [python, "-m", "flake8_azureml_v2"]
    ruff = str(args.bin / "ruff")
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="aml-perf-") as scratch_name:
        scratch = Path(scratch_name)
        if args.corpus.is_dir():
            tree = corpus_copy(args.corpus, scratch)
            check = [*tool, "check", "--exit-zero", "."]
            figures["check_vs_ruff"] = interleaved(check, [ruff, "check", "--no-cache", "--exit-zero", "-q", "."],
                                                   tree, args.runs)
            figures["check_vs_floor"] = interleaved(check, [python, "-c", FLOOR], tree, args.runs)
            figures["fix_vs_check"] = interleaved([*tool, "fix", "--unsafe-fixes", "--diff", "--exit-zero", "."],
                                                  check, tree, args.runs)
            one = next(p for p in sorted(tree.rglob("*.py")) if b"Run.get_context" not in p.read_bytes()
                       and b"ScriptRunConfig(" in p.read_bytes())
            relative = str(one.relative_to(tree))
            figures["one_file"] = interleaved([*tool, "check", "--exit-zero", relative], [python, "-c", "pass"],
                                              tree, args.runs)
            figures["one_file_vs_import"] = interleaved([*tool, "check", "--exit-zero", relative],
                                                        [python, "-c", "import flake8_azureml_v2.cli"], tree, args.runs)
            if args.compare:
                figures["same_output_as"] = {"rev": args.compare, **compare_outputs(args.compare, tool, tree, scratch)}
        sizes = (1000, 2000, 4000) if args.skip_large else (1000, 2000, 4000, 100_000)
        files = scratch / "files"
        files.mkdir()
        subprocess.run(["git", "init", "-q"], cwd=files, check=True)
        fixer = {}
        for lines in sizes:
            path = v1_file(files, lines, f"v1_{lines}.py")
            runs = 1 if lines > 10_000 else 3
            times = [timed([*tool, "fix", "--unsafe-fixes", "--diff", path.name], files)[0] for _ in range(runs)]
            fixer[str(lines)] = statistics.median(times)
        figures["fixer_seconds_by_lines"] = fixer
        if not args.skip_large:
            big = v1_file(files, 20 * 1024 * 1024 // 45, "v1_20mb.py")
            seconds, peak = timed([*tool, "check", "--exit-zero", big.name], files)
            floor_s, floor_peak = timed([python, "-c", BIG_FLOOR, big.name], files)
            figures["check_20mb"] = {"bytes": big.stat().st_size, "seconds": seconds, "peak_mib": peak / 1024,
                                     "floor_seconds": floor_s, "floor_peak_mib": floor_peak / 1024}
            plain = plain_tree(scratch, 20_000)
            figures["plain_tree_vs_ruff"] = interleaved(
                [*tool, "check", "--exit-zero", "."], [ruff, "check", "--no-cache", "--exit-zero", "-q", "."],
                plain, max(args.runs // 2, 1))
    _print(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


def _print(figures: dict) -> None:
    def pair(key: str, label_a: str, label_b: str) -> None:
        found = figures.get(key)
        if isinstance(found, dict):
            print(f"| {label_a} vs {label_b} | {found['a_s']:.2f} s vs {found['b_s']:.2f} s | {found['ratio']:.2f}x |")

    print("| measurement | medians | ratio |")
    print("|---|---|---:|")
    pair("check_vs_ruff", "check on the corpus", "ruff TID251")
    pair("check_vs_floor", "check on the corpus", "parse floor")
    pair("fix_vs_check", "fix --unsafe-fixes --diff", "check")
    pair("one_file", "check of one v1 file", "Python start-up")
    pair("one_file_vs_import", "check of one v1 file", "importing the CLI")
    pair("plain_tree_vs_ruff", "20,000 files without azureml", "ruff")
    fixer = figures.get("fixer_seconds_by_lines", {})
    if fixer:
        print("| fixer by file size | " + " / ".join(f"{k} lines: {v:.2f} s" for k, v in fixer.items()) + " | |")
    big = figures.get("check_20mb")
    if big:
        print(f"| check of a {big['bytes'] / 1e6:.0f} MB file vs ast.parse of it | {big['seconds']:.2f} s, "
              f"{big['peak_mib']:.0f} MiB peak vs {big['floor_seconds']:.2f} s, {big['floor_peak_mib']:.0f} MiB peak | |")
    same = figures.get("same_output_as")
    if same:
        print(f"| output identical to {same['rev']} (stdout / stderr) | check: {same['check']['stdout']} / "
              f"{same['check']['stderr']}, fix --diff: {same['fix --diff']['stdout']} / {same['fix --diff']['stderr']} | |")


if __name__ == "__main__":
    raise SystemExit(main())
