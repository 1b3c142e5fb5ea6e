#!/usr/bin/env python
"""The corpus gate: ``azureml-v2 fix`` must never harm working code.

usage: python benchmarks/harm_gate.py [--corpus DIR] [--bin VENV/bin] [--mode safe|unsafe|both] [--json FILE]

For each mode (safe: ``fix``; unsafe: ``fix --unsafe-fixes``) the corpus is copied
to a fresh, writable, git-initialised scratch folder (so the project root is
found there), the fixer runs twice, and every way it hurt the code is counted:

  tracebacks       a Python traceback in the fixer's output, or a run that timed out
  parse_fail       a changed .py file or notebook code cell that parsed before and no longer does
  new_ruff         a ruff F821/F823/F811/F841/F632 finding that a changed file did not have before
  comments_lost    a comment of a changed file (or notebook) that is gone after the fix
  not_idempotent   a file that the second run changes again
  nonpy_writefile  an error line about a ``%%writefile`` cell whose target is not a .py file
  unbound_v2_call  a call of azure-ai-ml, MLflow or azure-identity in a changed file that does not
                   bind to the installed package's real signature (a keyword or method that does
                   not exist, an argument too many or missing) and that the original did not have
                   (``v2_calls.py``, run by ``--bin``'s Python, which needs the test dependencies)

In notebooks, line magics, shell lines and help lines are masked; a ``%%writefile
x.py`` body is Python, other ``%%`` cells are not.  ruff runs from ``--bin`` with
``--isolated`` on the original and the fixed copy of each changed file.

One line per harm (at most ``SHOWN`` per kind and mode), then a summary line.
Exit status 0 only when every count is 0, 1 otherwise, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import tokenize
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("tracebacks", "parse_fail", "new_ruff", "comments_lost", "not_idempotent", "nonpy_writefile",
         "unbound_v2_call")
RUFF_CODES = ("F821", "F823", "F811", "F841", "F632")
SHOWN = 15
TIMEOUT = 1800  # seconds for one fixer run
REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev"

LINE_MAGIC = re.compile(r"^(?P<indent>[ \t]*)(?:[%!]|[\w.]+[ \t]*=[ \t]*[%!])")
HELP_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:\?{1,2}[\w.]+|[\w.]+\?{1,2})[ \t]*$")
CELL_ERROR = re.compile(r"^(?P<path>.+\.ipynb):cell (?P<cell>\d+): error")
TRACEBACK = "Traceback (most recent call last):"

Snapshot = dict[str, bytes]


@dataclass
class ModeResult:
    mode: str
    seconds: float = 0.0
    exit_codes: list[int] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    harms: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in KINDS})

    def add(self, kind: str, text: str) -> None:
        self.harms[kind].append(text)


# --- the scratch copy -----------------------------------------------------------------------


def scratch_copy(corpus: Path, dest: Path) -> None:
    """A writable copy of ``corpus`` at ``dest`` that is a git repository of its own."""
    shutil.copytree(corpus, dest, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    make_writable(dest)
    subprocess.run(["git", "init", "-q", str(dest)], check=True, capture_output=True)


def make_writable(root: Path) -> None:
    """A copy keeps the corpus's read-only modes, and the fixer rightly refuses read-only files."""
    for folder, _, files in os.walk(root):
        os.chmod(folder, stat.S_IMODE(os.stat(folder).st_mode) | stat.S_IRWXU)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, stat.S_IMODE(os.stat(path).st_mode) | stat.S_IRUSR | stat.S_IWUSR)


def snapshot(root: Path) -> Snapshot:
    """Every regular file below ``root`` (outside .git), by posix path relative to it."""
    files: Snapshot = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))


# --- running the fixer ----------------------------------------------------------------------


def fixer_command(bin_dir: Path, unsafe: bool) -> list[str]:
    return [str(bin_dir / "azureml-v2"), "fix", *(["--unsafe-fixes"] if unsafe else []), "."]


def run_fixer(command: Sequence[str], root: Path) -> tuple[int | None, str, float]:
    """(exit code or None on timeout, stdout + stderr, wall seconds)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"") + (exc.stderr or b"")
        return None, output.decode("utf-8", "replace"), time.perf_counter() - start
    output = done.stdout + done.stderr
    return done.returncode, output.decode("utf-8", "replace"), time.perf_counter() - start


def traceback_harms(output: str) -> list[str]:
    """One line per traceback: its exception line and the output line printed just before it."""
    harms = []
    lines = output.splitlines()
    for number, line in enumerate(lines):
        if line.strip() != TRACEBACK:
            continue
        exception = next((l for l in lines[number + 1:] if l and not l.startswith(" ")), "(no exception line)")
        before = next((l.strip() for l in reversed(lines[:number]) if l.strip()), "")
        harms.append(f"{exception[:160]} (after: {before[:100]})" if before else exception[:160])
    return harms


# --- Python units of a file -----------------------------------------------------------------


def notebook_cells(data: bytes) -> list[str | None] | None:
    """The source of every cell (None for cells that are not code), or None if not a notebook."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
        cells = document["cells"]
    except (ValueError, KeyError, TypeError):
        return None
    sources: list[str | None] = []
    for cell in cells if isinstance(cells, list) else []:
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        text = "".join(source) if isinstance(source, list) else str(source)
        sources.append(text if isinstance(cell, dict) and cell.get("cell_type") == "code" else None)
    return sources


def writefile_target(cell: str) -> str | None:
    """The target of a ``%%writefile [-a] target`` cell, '' when it has none, None for other cells."""
    first = cell.lstrip().split("\n", 1)[0].strip()
    words = first.split()
    if not words or words[0] != "%%writefile":
        return None
    return words[-1] if len(words) > 1 and not words[-1].startswith("-") else ""


def mask_magics(cell: str) -> str:
    """The cell with line magics, shell and help lines as ``pass`` (same indentation)."""
    lines = cell.split("\n")
    for number, line in enumerate(lines):
        match = LINE_MAGIC.match(line) or HELP_LINE.match(line)
        if match:
            lines[number] = match.group("indent") + "pass"
    return "\n".join(lines)


def python_of_cell(cell: str | None) -> str | None:
    """What of a code cell is Python: None for markdown and for ``%%`` cells that are not Python."""
    if cell is None:
        return None
    target = writefile_target(cell)
    if target is not None:
        if not target.endswith(".py"):
            return None
        cell = cell.lstrip().split("\n", 1)[1] if "\n" in cell.lstrip() else ""
    elif cell.lstrip().startswith("%%"):
        return None
    return mask_magics(cell)


def python_units(rel: str, data: bytes | None) -> list[str | bytes | None]:
    """The Python units of a file: the bytes of a .py file, or each notebook cell's Python."""
    if data is None:
        return []
    if rel.endswith(".ipynb"):
        cells = notebook_cells(data)
        return [python_of_cell(cell) for cell in cells] if cells is not None else []
    return [data]


def parses(unit: str | bytes) -> bool:
    try:
        ast.parse(unit)
    except (SyntaxError, ValueError):
        return False
    return True


def comments(unit: str | bytes | None) -> Counter[str]:
    found: Counter[str] = Counter()
    if unit is None:
        return found
    if isinstance(unit, bytes):
        tokens = tokenize.tokenize(io.BytesIO(unit).readline)
    else:
        tokens = tokenize.generate_tokens(io.StringIO(unit).readline)
    try:
        for token in tokens:
            if token.type == tokenize.COMMENT:
                found[token.string.rstrip()] += 1
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        pass
    return found


# --- per-file harms -------------------------------------------------------------------------


def parse_harm(rel: str, old: Sequence[str | bytes | None], new: Sequence[str | bytes | None]) -> str | None:
    """Which units parsed before and no longer do (only units whose text changed)."""
    broken = []
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if after is None or before == after:
            continue
        if (before is None or parses(before)) and not parses(after):
            broken.append(index + 1)
    if not broken:
        return None
    if rel.endswith(".ipynb"):
        return f"{rel}: cell {', '.join(map(str, broken))} no longer parses"
    return f"{rel}: no longer parses"


def comment_harm(rel: str, old: Sequence[str | bytes | None], new: Sequence[str | bytes | None]) -> str | None:
    before = sum((comments(u) for u in old), Counter())
    after = sum((comments(u) for u in new), Counter())
    lost = before - after
    if not lost:
        return None
    total = sum(lost.values())
    return f"{rel}: {total} comment{'s' if total != 1 else ''} lost, e.g. {next(iter(lost))[:60]!r}"


def file_harms(result: ModeResult, before: Snapshot, after: Snapshot) -> None:
    for rel in result.changed:
        if not rel.endswith((".py", ".ipynb")):
            continue
        old, new = python_units(rel, before.get(rel)), python_units(rel, after.get(rel, b""))
        for kind, harm in (("parse_fail", parse_harm(rel, old, new)), ("comments_lost", comment_harm(rel, old, new))):
            if harm:
                result.add(kind, harm)


def writefile_harms(output: str, before: Snapshot) -> list[str]:
    """Error lines about ``%%writefile`` cells whose target is not a Python file."""
    harms = []
    for line in output.splitlines():
        match = CELL_ERROR.match(line)
        if not match:
            continue
        rel = Path(match["path"]).as_posix().removeprefix("./")
        cells = notebook_cells(before.get(rel, b"")) or []
        index = int(match["cell"]) - 1
        cell = cells[index] if 0 <= index < len(cells) else None
        target = writefile_target(cell) if cell is not None else None
        if target is not None and not target.endswith(".py"):
            reason = line[len(match[0]):].lstrip(": ")
            harms.append(f"{rel}:cell {index + 1}: %%writefile {target}: {reason[:80]}")
    return harms


# --- ruff -----------------------------------------------------------------------------------


def ruff_counts(ruff: Path, root: Path, rels: Iterable[str]) -> Counter[tuple[str, str]]:
    """(file, code) -> count of the gate's ruff codes over ``rels`` below ``root``."""
    rels = [rel for rel in rels if rel.endswith((".py", ".ipynb")) and (root / rel).is_file()]
    counts: Counter[tuple[str, str]] = Counter()
    if not rels:
        return counts
    command = [str(ruff), "check", "--isolated", "--no-cache", "--select", ",".join(RUFF_CODES),
               "--output-format", "json", "--exit-zero", "--", *rels]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=TIMEOUT)
    try:
        rows = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        raise SystemExit(f"harm_gate: ruff gave no JSON: {done.stderr.strip()[:200]}") from None
    for row in rows:
        if row.get("code") in RUFF_CODES:  # not syntax errors: parse_fail counts those
            counts[(Path(os.path.relpath(row["filename"], root)).as_posix(), row["code"])] += 1
    return counts


def ruff_harms(ruff: Path, original: Path, fixed: Path, rels: Sequence[str]) -> list[str]:
    before, after = ruff_counts(ruff, original, rels), ruff_counts(ruff, fixed, rels)
    return [f"{rel}: {code} +{count - before[(rel, code)]}"
            for (rel, code), count in sorted(after.items()) if count > before[(rel, code)]]


# --- calls of the v2 APIs -------------------------------------------------------------------


def unbound_v2_calls(python: Path, root: Path, rels: Sequence[str]) -> Counter[tuple[str, str, str]]:
    """(file, API, problem) -> count of the v2 calls in ``rels`` that do not bind (v2_calls.py)."""
    rels = [rel for rel in rels if rel.endswith((".py", ".ipynb"))]
    if not rels:
        return Counter()
    done = subprocess.run([str(python), str(REPO / "benchmarks" / "v2_calls.py"), str(root), *rels],
                          capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode != 0:
        raise SystemExit(f"harm_gate: the v2 call check did not run: {done.stderr.strip()[-300:]}")
    return Counter((rel, api, why) for rel, api, why in json.loads(done.stdout))


def v2_call_harms(python: Path, original: Path, fixed: Path, rels: Sequence[str]) -> list[str]:
    before, after = unbound_v2_calls(python, original, rels), unbound_v2_calls(python, fixed, rels)
    harms = []
    for (rel, api, why), count in sorted(after.items()):
        added = count - before[(rel, api, why)]
        if added > 0:
            harms.append(f"{rel}: {api}: {why}" + (f" (x{added})" if added > 1 else ""))
    return harms


# --- one mode -------------------------------------------------------------------------------


def run_mode(corpus: Path, bin_dir: Path, unsafe: bool, scratch: Path) -> ModeResult:
    result = ModeResult("unsafe" if unsafe else "safe")
    tree = scratch / result.mode
    scratch_copy(corpus, tree)
    before = snapshot(tree)
    command = fixer_command(bin_dir, unsafe)
    first = run_and_record(result, command, tree)
    after = snapshot(tree)
    result.changed = changed_files(before, after)
    file_harms(result, before, after)
    result.harms["new_ruff"] = ruff_harms(bin_dir / "ruff", corpus, tree, result.changed)
    result.harms["nonpy_writefile"] = writefile_harms(first, before)
    result.harms["unbound_v2_call"] = v2_call_harms(bin_dir / "python", corpus, tree, result.changed)
    run_and_record(result, command, tree)
    result.harms["not_idempotent"] = changed_files(after, snapshot(tree))
    return result


def run_and_record(result: ModeResult, command: Sequence[str], tree: Path) -> str:
    """Run the fixer once; record its exit code, the first run's time and any crash."""
    code, output, seconds = run_fixer(command, tree)
    if not result.exit_codes:
        result.seconds = seconds
    result.exit_codes.append(-1 if code is None else code)
    if code is None:
        result.add("tracebacks", f"`{' '.join(command[1:])}` timed out after {TIMEOUT} s")
    for harm in traceback_harms(output):
        result.add("tracebacks", harm)
    return output


# --- the report -----------------------------------------------------------------------------


def print_harms(results: Sequence[ModeResult]) -> None:
    for result in results:
        for kind in KINDS:
            items = result.harms[kind]
            for text in items[:SHOWN]:
                print(f"{result.mode:6} {kind:16} {text}")
            if len(items) > SHOWN:
                print(f"{result.mode:6} {kind:16} ... and {len(items) - SHOWN} more")


def summary(results: Sequence[ModeResult], files: int) -> str:
    counts = Counter({kind: sum(len(r.harms[kind]) for r in results) for kind in KINDS})
    added = sum(int(text.rsplit("+", 1)[1]) for r in results for text in r.harms["new_ruff"])
    harms = ", ".join(f"{kind} {counts[kind]}" + (f" (+{added} findings)" if kind == "new_ruff" and added else "")
                      for kind in KINDS)
    modes = "; ".join(f"{r.mode}: changed {len(r.changed)} files in {r.seconds:.1f} s (exit {r.exit_codes[0]})"
                      for r in results)
    verdict = "FAIL" if sum(counts.values()) else "ok"
    return f"harm_gate {verdict}: {files} files; {modes}; {harms}"


def as_json(results: Sequence[ModeResult]) -> list[dict[str, object]]:
    return [{"mode": r.mode, "seconds": round(r.seconds, 2), "exit_codes": r.exit_codes,
             "changed": r.changed, "harms": r.harms} for r in results]


def count_files(corpus: Path) -> int:
    return sum(1 for path in corpus.rglob("*") if path.suffix in (".py", ".ipynb") and path.is_file())


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Fail when `azureml-v2 fix` harms any file of a corpus.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of v1 code (read only)")
    parser.add_argument("--bin", type=Path, default=Path(sys.executable).parent,
                        help="the folder holding azureml-v2 and ruff (default: this Python's)")
    parser.add_argument("--mode", choices=("safe", "unsafe", "both"), default="both")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the results as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    corpus, bin_dir = args.corpus.resolve(), args.bin.absolute()
    for needed in (bin_dir / "azureml-v2", bin_dir / "ruff"):
        if not needed.exists():
            print(f"harm_gate: error: {needed} does not exist", file=sys.stderr)
            return 2
    if not corpus.is_dir():
        print(f"harm_gate: error: {corpus} is not a folder", file=sys.stderr)
        return 2
    modes = {"safe": [False], "unsafe": [True], "both": [False, True]}[args.mode]
    with tempfile.TemporaryDirectory(prefix="harm-gate-") as scratch:
        results = [run_mode(corpus, bin_dir, unsafe, Path(scratch)) for unsafe in modes]
    print_harms(results)
    print(summary(results, count_files(corpus)))
    if args.json is not None:
        args.json.write_text(json.dumps(as_json(results), indent=1) + "\n", encoding="utf-8")
    return 1 if any(r.harms[kind] for r in results for kind in KINDS) else 0


if __name__ == "__main__":
    sys.exit(main())
