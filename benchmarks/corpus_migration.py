"""Migration rate on a folder of real v1 code: findings gone after ``fix --unsafe-fixes``.

Usage::

    python benchmarks/corpus_migration.py [--corpus ../shared/corpus/dev] [--bin .venv/bin] [--json out.json]
                                          [--per-repository]

The folder is copied to a scratch git repository (so project-root detection
lands there and nothing of the original is touched); with ``--per-repository``,
each of its top-level folders (one public repository each, in the corpus) is a
git repository of its own, as its users run the tool: a launcher of one
repository then never holds a script of another.  ``azureml-v2 check`` runs
before and after ``azureml-v2 fix --unsafe-fixes``; the table gives, per code,
the findings before, the findings after, and the share that is gone.  The
reasons the fixer printed on its ``left`` lines are folded (names, numbers and
lines removed) and counted, for the codes named with ``--reasons``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

_LEFT = re.compile(r"^(?P<path>.+?):(?P<where>[^ ]+): (?P<code>AML\d{3}) left: (?P<reason>.*)$")
_DETAILS = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|line \d+|\b\d+\b")


def fold(reason: str) -> str:
    """A reason without its specifics, so that reasons can be counted."""
    return _DETAILS.sub("…", reason)


def findings(binary: Path, folder: Path) -> list[dict[str, object]]:
    result = subprocess.run(
        [str(binary), "check", "--output-format", "json", "--exit-zero", "."],
        cwd=folder, capture_output=True, text=True,
    )
    if result.returncode not in (0, 2):
        raise SystemExit(f"check failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return json.loads(result.stdout or "[]")


def writable(folder: Path) -> None:
    """The corpus is shipped read-only; its copy must be writable for the fixer."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def run_fix(binary: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), "fix", "--unsafe-fixes", "--exit-zero", "."],
        cwd=folder, capture_output=True, text=True,
    )


def table(before: Counter[str], after: Counter[str]) -> list[tuple[str, int, int, int]]:
    rows = []
    for code in sorted(before):
        gone = max(before[code] - after.get(code, 0), 0)
        rows.append((code, before[code], after.get(code, 0), gone))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/dev"))
    parser.add_argument("--bin", type=Path, default=Path(sys.executable).parent)
    parser.add_argument("--json", type=Path, default=None, help="write the figures as JSON")
    parser.add_argument("--reasons", default="AML001,AML002,AML003",
                        help="codes whose left reasons are counted (comma-separated; 'all' for every code)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--per-repository", action="store_true",
                        help="make each top-level folder its own git repository (the project the tool reads)")
    args = parser.parse_args(argv)
    binary = (args.bin / "azureml-v2").resolve()
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="aml-migration-") as scratch:
        folder = Path(scratch) / "corpus"
        shutil.copytree(corpus, folder, symlinks=True)
        writable(folder)
        for root in sorted(p for p in folder.iterdir() if p.is_dir()) if args.per_repository else [folder]:
            subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        before = Counter(str(f["code"]) for f in findings(binary, folder))
        fixed = run_fix(binary, folder)
        after = Counter(str(f["code"]) for f in findings(binary, folder))
    wanted = None if args.reasons == "all" else set(args.reasons.split(","))
    reasons: Counter[str] = Counter()
    for line in fixed.stdout.splitlines():
        match = _LEFT.match(line)
        if match and (wanted is None or match["code"] in wanted):
            reasons[f"{match['code']}: {fold(match['reason'])}"] += 1
    rows = table(before, after)
    total_before, total_after = sum(before.values()), sum(after.values())
    total_gone = sum(r[3] for r in rows)
    print("| code | before | after | migrated |")
    print("|---|---:|---:|---:|")
    for code, n_before, n_after, gone in rows:
        print(f"| {code} | {n_before} | {n_after} | {gone}/{n_before} ({100 * gone / n_before:.0f}%) |")
    print(f"| all | {total_before} | {total_after} | {total_gone}/{total_before} "
          f"({100 * total_gone / max(total_before, 1):.0f}%) |")
    tracebacks = fixed.stderr.count("Traceback (most recent call last)")
    errors = sum(1 for line in fixed.stderr.splitlines() if ": error: " in line)
    print(f"\nfix exit {fixed.returncode}; {errors} error lines, {tracebacks} tracebacks")
    print(f"\ntop reasons left ({', '.join(sorted(wanted)) if wanted else 'all codes'}):")
    for reason, count in reasons.most_common(args.top):
        print(f"{count:5d}  {reason}")
    if args.json:
        args.json.write_text(json.dumps({
            "rows": [dict(zip(("code", "before", "after", "gone"), r)) for r in rows],
            "total": {"before": total_before, "after": total_after, "gone": total_gone},
            "reasons": reasons.most_common(),
            "fix_exit": fixed.returncode, "tracebacks": tracebacks,
        }, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
