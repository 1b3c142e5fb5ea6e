"""Wall-clock benchmark of flake8-azureml-v2 against flake8 alone and ruff.

Run it with the interpreter of the venv that has this project installed
(editable) together with flake8 and ruff::

    /path/to/venv/bin/python benchmarks/bench.py            # full run, ~30 min on 2 cores
    /path/to/venv/bin/python benchmarks/bench.py --quick    # 300 files, 1 repeat: a smoke run
    /path/to/venv/bin/python benchmarks/bench.py --json benchmarks/out/results.json

What it does:

1. Generates synthetic source trees under ``benchmarks/out/tree-<share>``
   (``--files`` files, default 2000, of 150-300 lines of ordinary stdlib-only
   Python).  A ``--share`` fraction of the files is Azure ML SDK v1 code:
   orchestration files (``Workspace.from_config``, ``Experiment``,
   ``ScriptRunConfig``, ``experiment.submit``, ``PythonScriptStep``,
   ``Pipeline``, ``Dataset.File.from_files``, ``run.wait_for_completion``)
   and the training scripts they name (``Run.get_context()``, ``run.log``).
   The RNG is seeded (``--seed``) so a tree is the same on every machine; a
   tree that already exists with the same parameters is reused.

2. Times, with ``time.perf_counter`` around each subprocess, one untimed
   warm-up and then the best of ``--repeat`` runs (default 3), alternating
   the order of the two commands being compared:

   a. (on the share-0.0 and heavy trees; ``--flake8-every-tree`` for all)
      ``python -m flake8 --select AML -j N`` with the plugin versus the very
      same flake8 (and pycodestyle/pyflakes/mccabe versions) in a venv that
      does not have this project (created once, cached in
      ``benchmarks/out/venv-noplugin``).  ``--select`` only filters reporting:
      flake8 runs pycodestyle and pyflakes either way, so this is the
      overhead of the plugin on a real flake8 run.
   b. ``azureml-v2 check`` versus ``ruff check --select TID251`` with
      ``azureml`` banned under ``[lint.flake8-tidy-imports.banned-api]``
      (the closest thing ruff offers; it finds imports only).
   c. files per second of ``azureml-v2 check``.
   d. ``azureml-v2 fix --diff`` on a copy of the tree, when ``fix`` exists.

By default three trees are measured: share 0.0 (no azureml text at all) and
share 0.05 get every measurement; an "azureml-heavy" tree with share 1.0 is
used for the flake8 overhead figure only.  Plugin overhead is best judged on
the 0.0 and 1.0 trees, the check-versus-ruff ratio on the 0.05 tree.

Every command runs with the tree as its working directory and ``.`` as its
target, so all tools see the same files and the tree's own (empty)
``pyproject.toml``.  This is a benchmark, not a test: it asserts nothing about
timings and exits 0 unless it cannot run at all.  It prints a table and one
JSON line; ``--json PATH`` also writes the JSON to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

GENERATOR_VERSION = 1
HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------
# Synthetic source generation
# --------------------------------------------------------------------------

VERBS = ("load", "parse", "compute", "build", "merge", "filter", "render", "update",
         "normalise", "collect", "score", "split", "encode", "resolve", "flatten")
NOUNS = ("record", "batch", "config", "metric", "frame", "token", "window", "item",
         "report", "entry", "sample", "bucket", "segment", "profile", "ledger")
CLASS_NOUNS = ("Registry", "Buffer", "Cache", "Tracker", "Catalog", "Planner",
               "Resolver", "Collector", "Index", "Scheduler", "Validator", "Router")
STDLIB = ("collections", "dataclasses", "functools", "hashlib", "itertools", "json",
          "logging", "math", "os", "pathlib", "re", "statistics", "textwrap", "typing")


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, base: str) -> str:
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}_{n}", n + 1
        self.used.add(name)
        return name

    def func(self) -> str:
        return self._unique(f"{self.rng.choice(VERBS)}_{self.rng.choice(NOUNS)}s")

    def cls(self) -> str:
        noun = self.rng.choice(NOUNS).capitalize()
        return self._unique(f"{noun}{self.rng.choice(CLASS_NOUNS)}")

    def const(self) -> str:
        return self._unique(f"{self.rng.choice(NOUNS).upper()}_{self.rng.choice(('LIMITS', 'TABLE', 'DEFAULTS', 'WEIGHTS'))}")


def _block_accumulate(rng: random.Random, names: _Names) -> str:
    f, noun = names.func(), rng.choice(NOUNS)
    return f'''
def {f}(values, threshold={rng.randint(1, 99)}):
    """Sum the {noun}s above ``threshold``, grouped by parity."""
    totals = {{"even": 0, "odd": 0}}
    count = 0
    for index, value in enumerate(values):
        if value is None:
            continue
        if value < threshold:
            continue
        key = "even" if index % 2 == 0 else "odd"
        totals[key] += value
        count += 1
    if count == 0:
        return totals, 0.0
    mean = (totals["even"] + totals["odd"]) / count
    return totals, round(mean, {rng.randint(1, 4)})
'''


def _block_dataclass(rng: random.Random, names: _Names) -> str:
    c = names.cls()
    fields = rng.sample(("name", "size", "weight", "label", "owner", "priority", "created"), 4)
    decls = "\n".join(f"    {fld}: {rng.choice(('int', 'str', 'float'))} = {rng.choice(('0', '0.0', repr('')))}"
                      for fld in fields)
    return f'''
@dataclasses.dataclass
class {c}:
    """A plain value object."""

{decls}
    tags: list = dataclasses.field(default_factory=list)

    def describe(self):
        parts = [f"{{key}}={{value!r}}" for key, value in dataclasses.asdict(self).items()]
        return "{c}(" + ", ".join(parts) + ")"

    def with_tag(self, tag):
        if tag in self.tags:
            return self
        return dataclasses.replace(self, tags=[*self.tags, tag])

    def to_json(self):
        return json.dumps(dataclasses.asdict(self), sort_keys=True)
'''


def _block_class(rng: random.Random, names: _Names) -> str:
    c, noun = names.cls(), rng.choice(NOUNS)
    return f'''
class {c}:
    """Keeps {noun}s in insertion order with a bounded size."""

    def __init__(self, limit={rng.randint(8, 512)}):
        self.limit = limit
        self._items = collections.OrderedDict()
        self._hits = 0
        self._misses = 0

    def __len__(self):
        return len(self._items)

    def __contains__(self, key):
        return key in self._items

    def get(self, key, default=None):
        if key in self._items:
            self._hits += 1
            self._items.move_to_end(key)
            return self._items[key]
        self._misses += 1
        return default

    def put(self, key, value):
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.limit:
            self._items.popitem(last=False)

    @property
    def hit_rate(self):
        total = self._hits + self._misses
        return self._hits / total if total else 0.0

    def snapshot(self):
        return {{str(key): value for key, value in self._items.items()}}
'''


def _block_io(rng: random.Random, names: _Names) -> str:
    f = names.func()
    ext = rng.choice(("json", "txt", "cfg"))
    return f'''
def {f}(folder, pattern="*.{ext}"):
    """Read every matching file under ``folder``; skip the unreadable ones."""
    results = {{}}
    root = pathlib.Path(folder)
    for path in sorted(root.glob(pattern)):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            logging.getLogger(__name__).warning("skipping %s: %s", path, exc)
            continue
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:{rng.randint(8, 16)}]
        results[path.name] = {{"size": len(text), "digest": digest}}
    return results
'''


def _block_comprehensions(rng: random.Random, names: _Names) -> str:
    f = names.func()
    return f'''
def {f}(rows, key="{rng.choice(NOUNS)}"):
    """Index ``rows`` by ``key`` and keep the numeric columns only."""
    indexed = {{row[key]: row for row in rows if key in row}}
    numeric = {{
        name: {{col: val for col, val in row.items() if isinstance(val, (int, float))}}
        for name, row in indexed.items()
    }}
    widths = [len(str(name)) for name in numeric]
    pairs = list(itertools.combinations(sorted(numeric), 2))
    return numeric, max(widths, default=0), len(pairs)
'''


def _block_constants(rng: random.Random, names: _Names) -> str:
    c = names.const()
    entries = "\n".join(f'    "{rng.choice(NOUNS)}_{i}": {rng.randint(0, 1000)},' for i in range(rng.randint(4, 10)))
    return f'''
{c} = {{
{entries}
}}
'''


def _block_generator(rng: random.Random, names: _Names) -> str:
    f = names.func()
    return f'''
def {f}(items, size={rng.randint(2, 64)}):
    """Yield ``items`` in chunks of ``size``."""
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)
'''


def _block_text(rng: random.Random, names: _Names) -> str:
    f = names.func()
    return f'''
_{f.upper()}_RE = re.compile(r"(?P<key>[a-z_]+)\\s*=\\s*(?P<value>[^;]+)")


def {f}(text, width={rng.randint(40, 100)}):
    """Parse ``key = value;`` pairs and wrap a summary to ``width``."""
    found = {{m.group("key"): m.group("value").strip() for m in _{f.upper()}_RE.finditer(text)}}
    lines = [f"{{key}}: {{value}}" for key, value in sorted(found.items())]
    summary = textwrap.fill("; ".join(lines), width=width)
    score = math.fsum(len(value) for value in found.values())
    spread = statistics.pstdev([len(v) for v in found.values()]) if len(found) > 1 else 0.0
    return summary, score, spread
'''


def _block_cached(rng: random.Random, names: _Names) -> str:
    f = names.func()
    return f'''
@functools.lru_cache(maxsize={rng.choice((32, 128, 1024))})
def {f}(n):
    """A memoised recurrence."""
    if n < 2:
        return n
    return {f}(n - 1) + {f}(n - 2) % {rng.randint(3, 97)}
'''


BLOCKS = (_block_accumulate, _block_dataclass, _block_class, _block_io, _block_comprehensions,
          _block_constants, _block_generator, _block_text, _block_cached)

STDLIB_HEADER = "\n".join(f"import {module}" for module in STDLIB)


def _filler(rng: random.Random, names: _Names, target_lines: int) -> str:
    parts: list[str] = []
    lines = 0
    while lines < target_lines:
        block = rng.choice(BLOCKS)(rng, names)
        parts.append(block)
        lines += block.count("\n") + 1
    return "\n".join(parts)


def _orchestration_submit(rng: random.Random, names: _Names, n: int, script: str) -> tuple[str, str]:
    f = names._unique("submit_training")
    imports = (
        "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
        "from azureml.core.compute import AmlCompute, ComputeTarget\n"
        "from azureml.core.compute_target import ComputeTargetException\n"
    )
    body = f'''
def get_compute(ws, name="cpu-cluster-{n % 7}"):
    try:
        return ComputeTarget(workspace=ws, name=name)
    except ComputeTargetException:
        config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes={rng.randint(1, 8)})
        target = ComputeTarget.create(ws, name, config)
        target.wait_for_completion(show_output=True)
        return target


def {f}(epochs={rng.randint(1, 50)}, learning_rate={rng.choice((0.1, 0.01, 0.001))}):
    ws = Workspace.from_config()
    compute = get_compute(ws)
    env = Environment.from_conda_specification(name="train-env-{n}", file_path="environment.yml")
    experiment = Experiment(workspace=ws, name="experiment-{n}")
    src = ScriptRunConfig(
        source_directory=".",
        script="{script}",
        arguments=["--epochs", epochs, "--learning-rate", learning_rate],
        compute_target=compute,
        environment=env,
    )
    run = experiment.submit(src)
    run.wait_for_completion(show_output=True)
    metrics = run.get_metrics()
    logging.getLogger(__name__).info("finished %s: %s", run.id, metrics)
    return metrics
'''
    return imports, body


def _orchestration_pipeline(rng: random.Random, names: _Names, n: int, script: str) -> tuple[str, str]:
    build, start = names._unique("build_pipeline"), names._unique("run_pipeline")
    imports = (
        "from azureml.core import Dataset, Experiment, Workspace\n"
        "from azureml.pipeline.core import Pipeline, PipelineData\n"
        "from azureml.pipeline.steps import PythonScriptStep\n"
    )
    body = f'''
def {build}(ws, compute_name="cpu-cluster-{n % 5}"):
    datastore = ws.get_default_datastore()
    raw = Dataset.File.from_files(path=(datastore, "data/raw/{n}/**"))
    prepared = PipelineData("prepared_{n}", datastore=datastore)
    prep_step = PythonScriptStep(
        name="prepare",
        script_name="{script}",
        source_directory=".",
        arguments=["--input", raw.as_named_input("raw").as_mount(), "--output", prepared],
        outputs=[prepared],
        compute_target=compute_name,
        allow_reuse={rng.choice(("True", "False"))},
    )
    train_step = PythonScriptStep(
        name="train",
        script_name="{script}",
        source_directory=".",
        arguments=["--input", prepared, "--epochs", {rng.randint(1, 30)}],
        inputs=[prepared],
        compute_target=compute_name,
    )
    return Pipeline(workspace=ws, steps=[prep_step, train_step])


def {start}():
    ws = Workspace.from_config()
    pipeline = {build}(ws)
    pipeline.validate()
    experiment = Experiment(ws, "pipeline-{n}")
    run = experiment.submit(pipeline, regenerate_outputs={rng.choice(("True", "False"))})
    run.wait_for_completion(show_output=False)
    return run
'''
    return imports, body


def _training_script(rng: random.Random, names: _Names, n: int) -> tuple[str, str]:
    main = names._unique("main")
    if rng.random() < 0.75:
        imports = "import argparse\n\nfrom azureml.core import Run\n"
        setup = "run = Run.get_context()\n"
    else:
        # No Run.get_context(): only the orchestration file naming it makes it a training script.
        imports = "import argparse\n\nfrom azureml.core import Dataset, Run\n"
        setup = "run = Run.get_submitted_run()\n"
    body = f'''
{setup}

def {main}(argv=None):
    parser = argparse.ArgumentParser(description="train model {n}")
    parser.add_argument("--epochs", type=int, default={rng.randint(1, 20)})
    parser.add_argument("--learning-rate", type=float, default={rng.choice((0.1, 0.01, 0.001))})
    parser.add_argument("--input", default="data")
    args = parser.parse_args(argv)
    loss = 1.0
    for epoch in range(args.epochs):
        loss = loss * (1.0 - args.learning_rate) + math.sin(epoch) * 0.001
        run.log("loss", loss)
        run.log("epoch", epoch)
    accuracy = max(0.0, 1.0 - loss)
    run.log("accuracy", accuracy)
    run.log_list("history", [loss, accuracy])
    run.tag("model", "model-{n}")
    return accuracy


if __name__ == "__main__":
    {main}()
'''
    return imports, body


def _module(rng: random.Random, kind: str, n: int, script: str | None) -> str:
    names = _Names(rng)
    target = rng.randint(150, 300)
    header = f'"""Synthetic module {n} ({kind}) generated by benchmarks/bench.py."""\n\n{STDLIB_HEADER}\n'
    aml_imports, aml_body = "", ""
    if kind == "submit":
        maker = _orchestration_submit if rng.random() < 0.5 else _orchestration_pipeline
        aml_imports, aml_body = maker(rng, names, n, script or "train.py")
    elif kind == "train":
        aml_imports, aml_body = _training_script(rng, names, n)
    used = header.count("\n") + aml_imports.count("\n") + aml_body.count("\n") + 4
    filler = _filler(rng, names, max(0, target - used))
    parts = [header]
    if aml_imports:
        parts.append(aml_imports)
    parts.append(filler)
    if aml_body:
        parts.append(aml_body)
    return "\n".join(part.rstrip("\n") + "\n" for part in parts).replace("\n\n\n\n", "\n\n\n")


def generate_tree(folder: Path, files: int, share: float, seed: int) -> dict:
    """Write the tree (or reuse it when its stamp matches); return its description."""
    stamp = {"generator": GENERATOR_VERSION, "files": files, "share": share, "seed": seed}
    stamp_path = folder / ".bench-stamp.json"
    if stamp_path.is_file():
        try:
            existing = json.loads(stamp_path.read_text())
        except ValueError:
            existing = {}
        if {k: existing.get(k) for k in stamp} == stamp:
            return existing
    if folder.exists():
        shutil.rmtree(folder)
    rng = random.Random(f"bench:{seed}:{files}:{share!r}")
    aml_count = round(files * share)
    aml_indices = set(rng.sample(range(files), aml_count))
    per_folder = 50
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text('[project]\nname = "bench-tree"\nversion = "0"\n')
    lines = 0
    kinds = {"plain": 0, "submit": 0, "train": 0}
    for start in range(0, files, per_folder):
        indices = list(range(start, min(start + per_folder, files)))
        package = folder / "src" / f"pkg_{start // per_folder:03d}"
        package.mkdir(parents=True)
        aml = [i for i in indices if i in aml_indices]
        train = aml[: len(aml) // 3]
        submit = aml[len(aml) // 3:]
        for position, i in enumerate(indices):
            if i in train:
                kind, name, script = "train", f"train_{i:05d}.py", None
            elif i in submit:
                kind, name = "submit", f"submit_{i:05d}.py"
                script = f"train_{train[position % len(train)]:05d}.py" if train else "train.py"
            else:
                kind, name, script = "plain", f"mod_{i:05d}.py", None
            text = _module(rng, kind, i, script)
            compile(text, name, "exec")  # the generator must write valid Python
            (package / name).write_text(text, encoding="utf-8")
            lines += text.count("\n")
            kinds[kind] += 1
    description = {**stamp, "lines": lines, "aml_files": aml_count, "kinds": kinds}
    stamp_path.write_text(json.dumps(description))
    return description


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------

def _count_py(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.py"))


def run_once(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - start, proc


def _findings(proc: subprocess.CompletedProcess, marker: str) -> int:
    return sum(1 for line in proc.stdout.splitlines() if marker in line)


def _warn_rc(label: str, proc: subprocess.CompletedProcess) -> None:
    if proc.returncode not in (0, 1):
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        print(f"warning: {label} exited {proc.returncode}: " + " | ".join(tail), file=sys.stderr)


def compare(commands: dict[str, list[str]], cwd: Path, repeat: int, markers: dict[str, str]) -> dict[str, dict]:
    """Warm each command up once, then time them alternately ``repeat`` times."""
    labels = list(commands)
    times: dict[str, list[float]] = {label: [] for label in labels}
    results: dict[str, dict] = {}
    for label in labels:
        _, proc = run_once(commands[label], cwd)
        _warn_rc(label, proc)
        results[label] = {"cmd": " ".join(commands[label]), "rc": proc.returncode,
                          "findings": _findings(proc, markers[label])}
    for round_ in range(repeat):
        order = labels if round_ % 2 == 0 else labels[::-1]
        for label in order:
            elapsed, proc = run_once(commands[label], cwd)
            _warn_rc(label, proc)
            times[label].append(elapsed)
    for label in labels:
        results[label].update(best=min(times[label]), runs=[round(t, 4) for t in times[label]])
    return results


# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------

def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _venv_tool(venv: Path, name: str) -> str | None:
    candidate = venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)


def _dist_versions(python: Path, names: tuple[str, ...]) -> dict[str, str | None]:
    code = ("import json, sys, importlib.metadata as m\n"
            "out = {}\n"
            "for n in sys.argv[1:]:\n"
            "    try: out[n] = m.version(n)\n"
            "    except m.PackageNotFoundError: out[n] = None\n"
            "print(json.dumps(out))")
    # -I: without it, a *.egg-info in the current folder (the repo root) is "installed" too.
    proc = subprocess.run([str(python), "-I", "-c", code, *names], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


FLAKE8_DISTS = ("flake8", "pycodestyle", "pyflakes", "mccabe", "flake8-azureml-v2")


def ensure_noplugin_venv(folder: Path, plugin_python: Path) -> tuple[Path | None, str]:
    """A venv with the plugin venv's flake8 (and its checkers) but not this project."""
    wanted = _dist_versions(plugin_python, FLAKE8_DISTS)
    pins = [f"{name}=={version}" for name, version in wanted.items()
            if version and name != "flake8-azureml-v2"]
    python = _venv_python(folder)
    if python.exists():
        have = _dist_versions(python, FLAKE8_DISTS)
        if all(have.get(p.split("==")[0]) == p.split("==")[1] for p in pins) and not have.get("flake8-azureml-v2"):
            return python, " ".join(pins)
        shutil.rmtree(folder)
    base = subprocess.run([str(plugin_python), "-c", "import sys; print(getattr(sys, '_base_executable', sys.executable))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    print(f"creating {folder} ({' '.join(pins)}) ...", file=sys.stderr)
    try:
        subprocess.run([base, "-m", "venv", str(folder)], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins],
                       check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        return None, f"could not create the no-plugin venv: {exc}"
    return python, " ".join(pins)


def write_ruff_config(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Written by benchmarks/bench.py: ruff's nearest equivalent of `azureml-v2 check`.\n"
        "[lint.flake8-tidy-imports.banned-api]\n"
        '"azureml" = { msg = "Azure ML SDK v1; migrate to azure-ai-ml (SDK v2)" }\n'
    )
    return path


def fix_available(tool: str) -> bool:
    proc = subprocess.run([tool, "fix", "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc.returncode == 0


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=None, help="files per tree (default 2000; 300 with --quick)")
    parser.add_argument("--share", type=float, action="append", default=None,
                        help="fraction of files that are azureml code; repeatable (default: 0.0 and 0.05)")
    parser.add_argument("--heavy-share", type=float, default=1.0,
                        help="share of the extra tree measured with flake8 only (default 1.0; negative to skip)")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs per command, best kept (default 3; 1 with --quick)")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="flake8 -j for both flake8 runs (default 2)")
    parser.add_argument("--flake8-every-tree", action="store_true",
                        help="also time flake8 on trees other than share 0.0 and the heavy tree")
    parser.add_argument("--seed", type=int, default=20240601, help="RNG seed of the generator")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where trees, venv and configs go")
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix),
                        help="venv with flake8, ruff and this project (default: the running interpreter's)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 300 files, 1 repeat")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the JSON results here")
    return parser


def _measure_flake8(entry: dict, folder: Path, python: Path, noplugin_python: Path | None,
                    jobs: int, repeat: int) -> None:
    print(f"tree {folder.name}: flake8 -j{jobs} ...", file=sys.stderr)
    flake8_args = ["-m", "flake8", "--select", "AML", "-j", str(jobs), "."]
    commands = {"plugin": [str(python), *flake8_args]}
    if noplugin_python is not None:
        commands["noplugin"] = [str(noplugin_python), *flake8_args]
    res = compare(commands, folder, repeat, {"plugin": ": AML", "noplugin": ": AML"})
    with_t = res["plugin"]["best"]
    without_t = res.get("noplugin", {}).get("best")
    entry["flake8"] = {
        "jobs": jobs, "with_plugin": res["plugin"], "without_plugin": res.get("noplugin"),
        "overhead_pct": None if without_t is None else round(100.0 * (with_t - without_t) / without_t, 2),
    }


def _fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    files = args.files if args.files is not None else (300 if args.quick else 2000)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    shares = args.share if args.share is not None else [0.0, 0.05]
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    venv = args.venv.resolve()
    python = _venv_python(venv)
    aml = _venv_tool(venv, "azureml-v2")
    ruff = _venv_tool(venv, "ruff")
    if not python.exists() or aml is None:
        print(f"error: {venv} has no python or azureml-v2; pass --venv", file=sys.stderr)
        return 2

    noplugin_python, pins = ensure_noplugin_venv(out / "venv-noplugin", python)
    if noplugin_python is None:
        print(f"warning: {pins}; flake8 without the plugin is skipped", file=sys.stderr)
    ruff_config = write_ruff_config(out / "ruff-bench.toml")
    has_fix = fix_available(aml)
    versions = _dist_versions(python, (*FLAKE8_DISTS, "ruff"))

    plan: list[tuple[float, bool]] = [(share, True) for share in shares]
    if args.heavy_share >= 0 and args.heavy_share not in shares:
        plan.append((args.heavy_share, False))

    trees: list[dict] = []
    for share, full in plan:
        folder = out / f"tree-{share:g}"
        print(f"tree {folder.name}: generating/reusing {files} files ...", file=sys.stderr)
        desc = generate_tree(folder, files, share, args.seed)
        entry: dict = {"tree": folder.name, "path": str(folder), "share": share,
                       "files": _count_py(folder), "lines": desc["lines"], "aml_files": desc["aml_files"],
                       "measured": "all" if full else "flake8 only"}

        entry["flake8"] = None
        if full and share != 0.0 and not args.flake8_every_tree:
            pass  # overhead is judged on the 0.0 and heavy trees; this saves ~10 minutes
        else:
            _measure_flake8(entry, folder, python, noplugin_python, args.jobs, repeat)

        if full:
            print(f"tree {folder.name}: azureml-v2 check vs ruff ...", file=sys.stderr)
            commands = {"check": [aml, "check", "."]}
            if ruff is not None:
                commands["ruff"] = [ruff, "check", "--select", "TID251", "--no-cache", "--output-format", "concise",
                                    "--config", str(ruff_config), "."]
            res = compare(commands, folder, repeat, {"check": ": AML", "ruff": "TID251"})
            check_t = res["check"]["best"]
            ruff_t = res.get("ruff", {}).get("best")
            entry["check"] = res["check"]
            entry["ruff"] = res.get("ruff")
            entry["check_over_ruff"] = None if not ruff_t else round(check_t / ruff_t, 2)
            entry["check_files_per_s"] = round(entry["files"] / check_t, 1)
            if has_fix:
                copy = out / f"{folder.name}-fixcopy"
                if copy.exists():
                    shutil.rmtree(copy)
                shutil.copytree(folder, copy)
                print(f"tree {folder.name}: azureml-v2 fix --diff ...", file=sys.stderr)
                res = compare({"fix": [aml, "fix", "--diff", "."]}, copy, repeat, {"fix": "+++ "})
                entry["fix"] = res["fix"]
                entry["fix_files_per_s"] = round(entry["files"] / res["fix"]["best"], 1)
            else:
                entry["fix"] = None
        trees.append(entry)

    results = {
        "benchmark": "flake8-azureml-v2", "repeat": repeat, "jobs": args.jobs, "seed": args.seed,
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "versions": versions, "noplugin_pins": pins, "fix_available": has_fix, "trees": trees,
    }
    _print_table(results)
    line = json.dumps(results, separators=(",", ":"))
    print(line)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


def _print_table(results: dict) -> None:
    trees = results["trees"]
    jobs = results["jobs"]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, fn) -> None:
        cells = []
        for tree in trees:
            try:
                value = fn(tree)
            except (KeyError, TypeError):
                value = None
            cells.append("-" if value is None else value)
        rows.append((label, cells))

    row("files (azureml files)", lambda t: f"{t['files']} ({t['aml_files']})")
    row("lines", lambda t: f"{t['lines']:,}")
    row(f"flake8 -j{jobs} --select AML, plugin", lambda t: _fmt_s(t["flake8"]["with_plugin"]["best"]))
    row(f"flake8 -j{jobs} --select AML, no plugin", lambda t: _fmt_s(t["flake8"]["without_plugin"]["best"]))
    row("plugin overhead", lambda t: None if t["flake8"]["overhead_pct"] is None else f"{t['flake8']['overhead_pct']:+.1f} %")
    row("azureml-v2 check", lambda t: _fmt_s(t["check"]["best"]))
    row("ruff --select TID251", lambda t: _fmt_s(t["ruff"]["best"]))
    row("check / ruff", lambda t: None if t.get("check_over_ruff") is None else f"{t['check_over_ruff']:.1f}x")
    row("check files/s", lambda t: f"{t['check_files_per_s']:,.0f}")
    row("fix --diff files/s", lambda t: (f"{t['fix_files_per_s']:,.0f}" if t.get("fix") else
                                         ("not available" if "fix" in t else None)))
    row("findings flake8/check/ruff",
        lambda t: f"{t['flake8']['with_plugin']['findings'] if t.get('flake8') else '-'}/"
                  f"{t['check']['findings'] if t.get('check') else '-'}/"
                  f"{t['ruff']['findings'] if t.get('ruff') else '-'}")

    width = max(len(label) for label, _ in rows)
    cols = [max(len(t["tree"]), *(len(cells[i]) for _, cells in rows)) for i, t in enumerate(trees)]
    print()
    print(f"best of {results['repeat']} (wall clock, {results['cpus']} CPUs, Python {results['python']}, "
          f"flake8 {results['versions'].get('flake8')}, ruff {results['versions'].get('ruff')})")
    print(" " * width + "  " + "  ".join(t["tree"].rjust(c) for t, c in zip(trees, cols)))
    for label, cells in rows:
        print(label.ljust(width) + "  " + "  ".join(cell.rjust(c) for cell, c in zip(cells, cols)))
    if not results["fix_available"]:
        print("fix: not available")
    print()


if __name__ == "__main__":
    sys.exit(main())
