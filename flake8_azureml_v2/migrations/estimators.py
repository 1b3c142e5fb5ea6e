"""The migration for AML009: v1 estimators (``Estimator``, ``SKLearn``, ...) become ``command(...)``.

mapping-extension.md 8.4: the entry script and ``script_params`` become one
command line (keys then values, lists expanded, ``None``/``""`` values leave the
flag alone); ``compute_target=None`` was run-based compute sized by
``vm_size``, which is v2's serverless ``instance_type``.  The environment an
estimator assembled from its arguments is written out: v1's base conda
dependencies (python 3.8.13, azureml-defaults) plus the packages it names, on
v1's CPU or GPU image.  A framework estimator (SKLearn) pinned python 3.6 and
its framework on a retired image: that is a documented default with a TODO.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import bind_arguments, constant_str, is_none, known_str, py_str
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Argument, Build, CallSpec, Keep, Map, Refuse, Refused, apply_call_spec
from ..engine.names import Ref
from ..rules.aml009_estimator import ESTIMATORS
from . import commandline, estimator_distribution, estimator_step, hyperdrive
from ._defaults import V1_CPU_IMAGE, default_environment, default_environment_name
from ._job_logging import MLFLOW_PACKAGES, environment_has_mlflow, needs_mlflow, script_logs
from ._once import read_once
from ._todo import add_todo
from .conda import Conda, package_name
from .script_run_config import compute_name, environment

CODE = "AML009"
V1_GPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
# What a framework estimator installed on top of python 3.6.2 (mapping-extension.md 8.4),
# for the framework versions whose pins the reference gives.
FRAMEWORKS = {
    ("SKLearn", "0.20.3"): ("scikit-learn==0.20.3", "scipy==1.2.1", "joblib==0.13.2"),
    ("TensorFlow", "2.1"): ("tensorflow==2.1.0", "horovod==0.19.1"),
}
DEFAULT_VERSIONS = {"SKLearn": "0.20.3"}
SIGNATURE = (
    "source_directory", "compute_target", "vm_size", "vm_priority", "entry_script", "script_params", "node_count",
    "process_count_per_node", "distributed_backend", "distributed_training", "use_gpu", "use_docker",
    "custom_docker_image", "image_registry_details", "user_managed", "conda_packages", "pip_packages",
    "conda_dependencies_file", "pip_requirements_file", "environment_variables", "environment_definition",
    "inputs", "source_directory_data_store", "shm_size", "resume_from", "max_run_duration_seconds",
    "framework_version", "worker_count", "parameter_server_count",
    "custom_docker_base_image", "conda_dependencies_file_path", "pip_requirements_file_path",
)
_IMAGES = ("custom_docker_image", "custom_docker_base_image")
# v1's deprecated spellings, read only when the current one is not given (_estimator_helper._init_run_config).
_ALIASES = {"custom_docker_base_image": "custom_docker_image", "conda_dependencies_file_path": "conda_dependencies_file",
            "pip_requirements_file_path": "pip_requirements_file"}
_ENVIRONMENT_PARTS = ("use_gpu", "custom_docker_image", "user_managed", "conda_packages", "pip_packages",
                      "conda_dependencies_file", "environment_definition", "framework_version")


def _compute(argument: Argument) -> str:
    if constant_str(argument.node) == "local":
        # Estimators ran locally in Docker (use_docker=True), as v2 "local" does; with
        # environment_definition= the environment decides, and its Docker is off by default.
        if "environment_definition" in argument.siblings:
            add_todo(argument.ctx, argument.rewrite, argument.statement, "AML009",
                     "v2 local jobs run the environment's image in Docker; v1 ran this environment_definition "
                     "on the host unless the environment enabled Docker")
        return argument.text
    return compute_name(argument)


def _use_docker(argument: Argument) -> list[str]:
    """``use_docker=True`` is v1's default; ``False`` on local compute ran on this machine, which v2's
    local jobs do in Docker (mapping-extension 5: D+T); elsewhere a v2 job always has a container."""
    if _true(argument):
        return []
    compute = argument.siblings.get("compute_target")
    local = compute is not None and constant_str(compute.node) == "local"
    if not (isinstance(argument.node, ast.Constant) and argument.node.value is False and local):
        raise Refused("use_docker=False: v2 jobs always run in a container", RefusalKind.IMPOSSIBLE)
    if any(name in argument.siblings and not is_none(argument.siblings[name].node) for name in _IMAGES):
        raise Refused("use_docker=False with a custom Docker image: v1 raised TrainingException", RefusalKind.IMPOSSIBLE)
    add_todo(argument.ctx, argument.rewrite, argument.statement, CODE,
             "v2 local jobs run the environment's image in Docker; v1 (use_docker=False) ran the script on this "
             "machine, in a conda environment it built there")
    return []


def _true(argument: Argument) -> bool:
    return isinstance(argument.node, ast.Constant) and argument.node.value is True


def _command(argument: Argument) -> list[str]:
    """``entry_script=`` + ``script_params=`` -> ``command="python <script> <params>"``."""
    ctx, rewrite = argument.ctx, argument.rewrite
    script = known_str(ctx, argument.node)
    if script is None:
        raise Refused("entry_script= is not a known file name", RefusalKind.DATA_FLOW)
    notebook = commandline.not_a_python_script(script, "entry_script")
    if notebook is not None:
        raise Refused(notebook, RefusalKind.NOT_YET)
    line = _line(ctx, rewrite)
    return [f"command={py_str(line.command(script))}"]


def _line(ctx: FixContext, rewrite: Rewrite) -> commandline.CommandLine:
    """The estimator's command line, with what it brings handed to ``rewrite`` once."""
    key = f"estimator_line:{id(rewrite)}"
    if key not in ctx.cache:
        line, edits = _estimator_line(rewrite.node, ctx)  # type: ignore[arg-type]
        rewrite.edits.extend(edits)
        if hyperdrive.trial_space(rewrite.binding, ctx):
            rewrite.notes.append(hyperdrive.TRIAL_NOTE)
        # run by a step, the step's rewrite takes the data the line reads
        line.hand_to(rewrite, ctx, data=estimator_step.run_by(rewrite.binding, ctx) is None)
        ctx.cache[key] = line
    return ctx.cache[key]  # type: ignore[return-value]


def estimator_line(call: ast.Call, ctx: FixContext) -> commandline.CommandLine:
    """The command line of the estimator ``call`` builds; raises :class:`Refused`."""
    return _estimator_line(call, ctx)[0]


def _estimator_line(call: ast.Call, ctx: FixContext) -> tuple[commandline.CommandLine, list[Edit]]:
    """Read once per pass: the line, and the edits that absorb a ``script_params`` variable."""
    return read_once(ctx, "estimator_lines", call, lambda: _translate(call, ctx))


def _translate(call: ast.Call, ctx: FixContext) -> tuple[commandline.CommandLine, list[Edit]]:
    bound = bind_arguments(call, list(SIGNATURE))
    if isinstance(bound, str):
        raise Refused(bound, RefusalKind.DATA_FLOW)
    values = bound.values
    items, edits = _script_params(values.get("script_params"), ctx)
    binding = ctx.assigned_binding(call)
    step = estimator_step.run_by(binding, ctx)
    (folder, known), script = commandline.job_folder(ctx, values.get("source_directory")), known_str(ctx, values.get("entry_script"))
    if step is None:
        # the script, read as ScriptRunConfig's is: what it reads of v1's hidden channel is exported,
        # and a read of run.input_datasets its own fix would leave behind keeps this call v1
        listed, listed_edits = commandline.job_inputs(values.get("inputs"), ctx)
        edits.extend(listed_edits)
        together: list[ast.AST] = []
        text = commandline.script_text(ctx, folder, script, call.lineno, together, known) if script is not None else None
        line = commandline.translate(items, ctx, script=text, script_name=script, listed=listed)
        line.together.extend(together)
        line.check_visible(ctx, call)
        hyperdrive.extend_trial(line, binding, ctx)  # a HyperDrive trial binds its search space
        return line, edits
    if items:
        raise Refused("script_params= on an estimator an EstimatorStep runs: v1 took the step's "
                      "estimator_entry_script_arguments; move them there by hand", RefusalKind.DATA_FLOW)
    if values.get("inputs") is not None:
        raise Refused("inputs= on an estimator an EstimatorStep runs: the step's inputs= hand the data over; "
                      "move them there by hand", RefusalKind.DATA_FLOW)
    added = estimator_step.step_arguments(step, ctx)
    text = commandline.script_text(ctx, folder, script, call.lineno, folder_known=known) if script is not None else None
    line = commandline.translate(added.items, ctx, added.data, text, script)
    line.check_visible(ctx, call)
    return line, edits


def _script_params(node: ast.expr | None, ctx: FixContext) -> tuple[list[ast.expr], list[Edit]]:
    """``script_params={"--lr": 0.1, "--flag": ""}`` -> the argv items v1 built from it."""
    items: list[ast.expr] = []
    edits: list[Edit] = []
    if node is None:
        return items, edits
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None else None
        if (binding is None or binding.conditional or len(binding.uses) != 1
                or not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Dict)):
            raise Refused(f"script_params=`{node.id}` is not a literal dict used only here", RefusalKind.DATA_FLOW)
        edits.append(ctx.delete(statement))
        node = statement.value
    if not isinstance(node, ast.Dict) or any(k is None for k in node.keys):
        raise Refused("script_params= is not a literal dict", RefusalKind.DATA_FLOW)
    for key, value in zip(node.keys, node.values):
        items.append(key)  # type: ignore[arg-type]
        if isinstance(value, ast.Constant) and value.value in (None, ""):
            continue  # v1 passed the flag alone
        items.extend(value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value])
    return items, edits


# The variable the PyTorch estimator always set in its environment (azureml-train-core's
# _pytorch.py, against a hang of NCCL 2.4): the job keeps it.
PYTORCH_VARIABLES = {"NCCL_TREE_THRESHOLD": "0"}


def _variables(argument: Argument) -> str:
    """``environment_variables=``, with the PyTorch estimator's own set after them, as v1 set it."""
    if _kind(argument.rewrite, argument.ctx) != "PyTorch":
        return argument.text
    added = ", ".join(f"{py_str(k)}: {py_str(v)}" for k, v in PYTORCH_VARIABLES.items())
    if is_none(argument.node):
        return f"{{{added}}}"  # (v1's default)
    if isinstance(argument.node, ast.Dict) and any(constant_str(k) in PYTORCH_VARIABLES for k in argument.node.keys if k):
        argument.rewrite.notes.append("NCCL_TREE_THRESHOLD set to '0': the PyTorch estimator set it after the "
                                      "variables it was given")
    given = argument.text if isinstance(argument.node, ast.Dict) else f"({argument.text} or {{}})"  # (None at run time)
    return f"{{**{given}, {added}}}"


def _finish(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> list[str]:
    """The environment, the serverless size, and the inputs and outputs the command binds."""
    if "entry_script" not in arguments:
        raise Refused("no entry_script= to run", RefusalKind.DATA_FLOW)
    built = [f"environment={_environment(arguments, ctx, rewrite)}"]
    if _kind(rewrite, ctx) == "PyTorch" and "environment_variables" not in arguments:
        built.append(f"environment_variables={PYTORCH_VARIABLES!r}".replace("'", '"'))
    step = estimator_step.run_by(rewrite.binding, ctx)
    if step is not None:  # a pipeline node: the step's compute, its data bound by the pipeline
        built.extend(estimator_step.command_settings(step, ctx))
    elif "compute_target" not in arguments:
        if "vm_size" not in arguments:
            raise Refused("no compute_target and no vm_size: v1 picked run-based compute itself", RefusalKind.DATA_FLOW)
        built.append(f"instance_type={arguments['vm_size'].text}")  # v1's run-based compute -> serverless
    line = _line(ctx, rewrite)
    if line.datasets or line.parameters or line.upstream:
        built.append(f"inputs={commandline.dict_source(line.input_declarations(with_paths=step is None))}")
    if line.outputs:
        built.append(f"outputs={commandline.dict_source(line.outputs)}")
    return built


# The listed packages are all the job gets: a script moved to MLflow needs it there (as the default environment's TODO says).
MLFLOW_TODO = "the environment has the listed packages and azureml-defaults only: add mlflow and azureml-mlflow when the job logs with MLflow"


def added_for(packages: list[str], script: str) -> str:
    """The TODO of packages v1's list did not have, added for a script that logs with MLflow once migrated."""
    return f"{' and '.join(packages)} added to v1's packages: {script} logs with MLflow once migrated"


def _environment(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> str:
    """The job's environment; one written here gets mlflow when the script logs with it once
    migrated, any other the TODO that holds the script's logging (job_logging)."""
    arguments = _unaliased(arguments)
    given = {p: arguments[p] for p in _ENVIRONMENT_PARTS if p in arguments}
    script = known_str(ctx, arguments["entry_script"].node)
    folder = known_str(ctx, arguments["source_directory"].node) if "source_directory" in arguments else None
    logs = script_logs(ctx, folder, script)
    definition = given.get("environment_definition")  # (it wins over the other parts, as in v1)
    lacks_mlflow = (not environment_has_mlflow(definition.node, ctx) if definition is not None
                    else "user_managed" in given or "conda_dependencies_file" in given)
    if logs and script is not None and lacks_mlflow:
        add_todo(ctx, rewrite, ctx.statement_of(rewrite.node), CODE, needs_mlflow(script))
    if "environment_definition" in given:
        if len(given) > 1:
            rewrite.notes.append("environment_definition= wins over the other environment arguments, as in v1")
        return environment(given["environment_definition"])
    kind = _kind(rewrite, ctx)
    image = _image(given)
    if "user_managed" in given:
        if not _true(given["user_managed"]) or "custom_docker_image" not in given:
            raise Refused("user_managed= without a custom_docker_image: the interpreter is unknown")
        return f"{ctx.symbol('azure.ai.ml.entities', 'Environment')}(image={image})"
    pins = _framework(kind, given.get("framework_version"), rewrite, ctx)
    if "conda_dependencies_file" in given:
        if pins or "conda_packages" in given or "pip_packages" in given:
            raise Refused("conda_dependencies_file= together with packages: merge them by hand")
        return f"{ctx.symbol('azure.ai.ml.entities', 'Environment')}(image={image}, conda_file={_conda_file(arguments)})"
    conda = _listed(given.get("conda_packages"))
    pip = [*pins, *_listed(given.get("pip_packages"))]
    if not conda and not pip and "custom_docker_image" not in given and "use_gpu" not in given:
        rewrite.helpers.update(default_environment(CODE, mlflow=logs))
        return default_environment_name(logs)
    python = "3.6.2" if pins else "3.8.13"
    python, conda = _replayed(python, conda)
    if logs:  # the packages the script imports once migrated, where the list lacks them (said, since v1 had none)
        listed = {package_name(ast.literal_eval(package)) for package in [*conda, *pip]}
        added = [package for package in MLFLOW_PACKAGES if package not in listed]
        pip.extend(map(py_str, added))
        if added and script is not None:
            add_todo(ctx, rewrite, ctx.statement_of(rewrite.node), CODE, added_for(added, script))
    elif not any("mlflow" in package for package in [*conda, *pip]):
        add_todo(ctx, rewrite, ctx.statement_of(rewrite.node), CODE, MLFLOW_TODO)
    dependencies = [py_str(f"python={python}"), *conda, "{" + f'"pip": [{", ".join([py_str("azureml-defaults"), *pip])}]' + "}"]
    conda_file = ('{"name": "project_environment", "channels": ["anaconda", "conda-forge"], '
                  f'"dependencies": [{", ".join(dependencies)}]}}')
    return f"{ctx.symbol('azure.ai.ml.entities', 'Environment')}(image={image}, conda_file={conda_file})"


def _unaliased(arguments: dict[str, Argument]) -> dict[str, Argument]:
    """The arguments under their current names: an old spelling stands for the current one when that
    is not given.  Given both, v1 used the current file and raised for two images."""
    arguments = {name: argument for name, argument in arguments.items() if not (name in _IMAGES and is_none(argument.node))}
    if "custom_docker_base_image" in arguments and "custom_docker_image" in arguments:
        raise Refused("custom_docker_base_image= beside custom_docker_image=: v1 raised TrainingException",
                      RefusalKind.IMPOSSIBLE)
    found = {name: argument for name, argument in arguments.items() if name not in _ALIASES}
    for old, current in _ALIASES.items():
        if old in arguments and current not in arguments:
            found[current] = arguments[old]
    return found


def _replayed(python: str, conda: list[str]) -> tuple[str, list[str]]:
    """``conda_packages=`` as v1 added them, one ``add_conda_package`` each (:class:`.conda.Conda`):
    ``python=3.7`` replaces the python pin (audit 2d: both pins went into the file), a package named
    again replaces the earlier entry.  ``conda``: the packages as source text, which is kept."""
    replayed = Conda(python=python, pip=[], conda=[])
    written: dict[str, str] = {}
    for package in conda:
        value = ast.literal_eval(package)
        replayed.add_conda(value)
        written[value] = package
    return replayed.python, [written[value] for value in replayed.conda]


def _kind(rewrite: Rewrite, ctx: FixContext) -> str:
    site = ctx.site(rewrite.node)
    return site.callee.qualname.rsplit(".", 1)[1] if site is not None and isinstance(site.callee, Ref) else ""


def _image(given: dict[str, Argument]) -> str:
    if "custom_docker_image" in given:
        return given["custom_docker_image"].text
    if "use_gpu" in given:
        node = given["use_gpu"].node
        if not isinstance(node, ast.Constant) or not isinstance(node.value, bool):
            raise Refused("use_gpu= is not True or False", RefusalKind.DATA_FLOW)
        return py_str(V1_GPU_IMAGE if node.value else V1_CPU_IMAGE)
    return py_str(V1_CPU_IMAGE)


def _framework(kind: str, version: Argument | None, rewrite: Rewrite, ctx: FixContext) -> tuple[str, ...]:
    """The pip pins a framework estimator added, with the TODO the reference asks for."""
    if kind == "Estimator":
        return ()
    wanted = DEFAULT_VERSIONS.get(kind) if version is None else constant_str(version.node)
    pins = FRAMEWORKS.get((kind, wanted or ""))
    if pins is None:
        raise Refused(f"{kind}(framework_version={wanted!r}): the packages v1 pinned for it are not known here; "
                      "pick an environment by hand")
    add_todo(ctx, rewrite, ctx.statement_of(rewrite.node), CODE,
             f"v1 framework estimator pinned py3.6 + {', '.join(pins)}; upgrade or use a curated env")
    return tuple(py_str(p) for p in pins)


def _listed(argument: Argument | None) -> list[str]:
    if argument is None:
        return []
    node = argument.node
    if not isinstance(node, (ast.List, ast.Tuple)) or not all(constant_str(e) is not None for e in node.elts):
        raise Refused(f"{argument.name}= is not a literal list of package names", RefusalKind.DATA_FLOW)
    return [argument.ctx.locator.text(e) for e in node.elts]


def _conda_file(arguments: dict[str, Argument]) -> str:
    """v1 read conda_dependencies_file relative to source_directory."""
    source = arguments.get("source_directory")
    name = arguments["conda_dependencies_file"]
    folder = known_str(name.ctx, source.node) if source is not None else None
    file = known_str(name.ctx, name.node)
    if folder is None or file is None:
        raise Refused("conda_dependencies_file= or source_directory= is not a literal path", RefusalKind.DATA_FLOW)
    return py_str(posixpath.join(folder, file))


def _dropped(argument: Argument) -> list[str]:
    return []


SPEC = CallSpec(
    old="azureml.train.estimator.Estimator",
    signature=SIGNATURE,
    new=("azure.ai.ml", "command"),
    params={
        "source_directory": Keep("code"),
        "entry_script": Build(_command),
        "script_params": Build(_dropped),  # part of the command line
        "compute_target": Map("compute", _compute),
        "vm_size": Build(_dropped),  # instance_type= when there is no compute_target (see _finish)
        "node_count": Build(estimator_distribution.node_count),
        "process_count_per_node": Build(estimator_distribution.process_count_per_node),
        "use_docker": Build(_use_docker),
        **{p: Build(_dropped) for p in _ENVIRONMENT_PARTS},
        "custom_docker_base_image": Build(_dropped),
        "conda_dependencies_file_path": Build(_dropped),
        "environment_variables": Build(lambda argument: [f"environment_variables={_variables(argument)}"]),
        "shm_size": Keep(),
        "max_run_duration_seconds": Keep("timeout"),
        "vm_priority": Refuse("vm_priority= maps to a v2 queue setting by hand"),
        "distributed_backend": Build(estimator_distribution.distributed),
        "distributed_training": Build(estimator_distribution.distributed),
        "worker_count": Refuse("worker_count= needs a v2 TensorFlowDistribution"),
        "parameter_server_count": Refuse("parameter_server_count= needs a v2 TensorFlowDistribution"),
        "image_registry_details": Refuse("image_registry_details=: a private registry needs a v2 environment by hand"),
        "pip_requirements_file": Refuse("pip_requirements_file=: build the v2 environment from the file by hand"),
        "pip_requirements_file_path": Refuse("pip_requirements_file_path=: build the v2 environment from the file "
                                             "by hand"),
        "inputs": Build(_dropped),  # each listed dataset is an input the command exports (see _translate)
        "source_directory_data_store": Refuse("source_directory_data_store= has no v2 equivalent",
                                              RefusalKind.IMPOSSIBLE),
        "resume_from": Refuse("resume_from= has no v2 equivalent", RefusalKind.IMPOSSIBLE),
    },
    produces="job",
    finish=_finish,
)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``est = SKLearn(...)`` -> ``est = command(...)`` (its submit is AML001's)."""
    for site in ctx.model.calls:
        if not isinstance(site.callee, Ref) or site.callee.qualname not in ESTIMATORS:
            continue
        call = site.node
        rewrite = Rewrite(CODE, call, f"{site.callee.qualname.rsplit('.', 1)[1]}() -> command()")
        rewrite.binding = ctx.assigned_binding(call)
        if rewrite.binding is None:
            yield rewrite.refuse(ctx.unassigned_reason(rewrite.node, "estimator"), RefusalKind.DATA_FLOW)
            continue
        try:
            apply_call_spec(SPEC, call, rewrite, ctx, rewrite.binding)
        except Refused as reason:
            rewrite.refuse(str(reason), reason.kind)
        yield rewrite
