"""What the engine knows about the Azure ML SDK v1 surface, kept as data.

Every v1 class has one *canonical* qualified name (its package re-export) and
the list of module paths it can be imported from (mapping.md section 2).  The
tables below say what calls return and what attributes hold, so that simple
bindings such as ``run = exp.submit(cfg)`` can be followed.
"""

from __future__ import annotations

from functools import lru_cache

from .engine.surface import Surface

# Packages that live under the ``azureml`` namespace but belong to the v2 era.
# Importing them is not v1 code.
V2_ERA_PACKAGES: tuple[str, ...] = (
    "azureml.rag",
    "azureml.featurestore",
    "azureml.fsspec",
    "azureml.metrics",
    "azureml.mlflow",
    "azureml.ai.monitoring",
    "azureml.evaluate",
    "azureml.acft",
    # The inference server's request/response helpers, used by v2 online-endpoint
    # scoring scripts (the rest of azureml.contrib is v1).
    "azureml.contrib.services",
    # AutoML's model runtime, which also loads and scores models trained by v2 AutoML
    # jobs; the v1 orchestration API is azureml.train.automl, which stays v1.
    "azureml.automl.core",
    "azureml.automl.runtime",
    "azureml.automl.dnn",
)

# canonical name -> every module it is importable from (public first).
_CLASS_PATHS: dict[str, tuple[str, ...]] = {
    "azureml.core.ScriptRunConfig": (
        "azureml.core", "azureml.core.script_run_config",
        "azureml.data.dataset_profile_run_config", "azureml.pipeline.steps.command_step",
        "azureml.train.automl.model_proxy", "azureml.train.hyperdrive.runconfig",
    ),
    "azureml.core.Experiment": (
        "azureml.core", "azureml.core.experiment", "azureml.core.model",
        "azureml.pipeline.core.run", "azureml.pipeline.core.schedule",
        "azureml.train.automl.automlconfig", "azureml.train.hyperdrive.run",
    ),
    "azureml.core.Workspace": ("azureml.core", "azureml.core.workspace"),
    "azureml.core.Environment": (
        "azureml.core", "azureml.core.environment", "azureml.core.model",
        "azureml.core.runconfig",
    ),
    "azureml.core.Dataset": ("azureml.core", "azureml.core.dataset"),
    "azureml.core.Run": ("azureml.core", "azureml.core.run"),
    "azureml.core.ScriptRun": ("azureml.core", "azureml.core.script_run"),
    "azureml.core.Model": ("azureml.core", "azureml.core.model"),
    "azureml.core.Datastore": ("azureml.core", "azureml.core.datastore"),
    "azureml.core.ComputeTarget": (
        "azureml.core", "azureml.core.compute", "azureml.core.compute.compute",
        "azureml.core.compute_target",
    ),
    "azureml.core.compute.AmlCompute": ("azureml.core.compute", "azureml.core.compute.amlcompute"),
    "azureml.core.compute.ComputeInstance": (
        "azureml.core.compute", "azureml.core.compute.computeinstance",
    ),
    "azureml.exceptions.ComputeTargetException": (
        "azureml.exceptions", "azureml.core.compute_target",
        "azureml.core.compute.amlcompute", "azureml.core.compute.computeinstance",
    ),
    "azureml.core.RunConfiguration": ("azureml.core", "azureml.core.runconfig"),
    "azureml.core.runconfig.DockerConfiguration": ("azureml.core.runconfig",),
    "azureml.core.runconfig.MpiConfiguration": ("azureml.core.runconfig", "azureml.core"),
    "azureml.core.runconfig.PyTorchConfiguration": ("azureml.core.runconfig", "azureml.core"),
    "azureml.core.runconfig.TensorflowConfiguration": ("azureml.core.runconfig", "azureml.core"),
    "azureml.core.conda_dependencies.CondaDependencies": (
        "azureml.core.conda_dependencies", "azureml.core.environment", "azureml.core.runconfig",
    ),
    "azureml.data.OutputFileDatasetConfig": (
        "azureml.data", "azureml.data.output_dataset_config",
        "azureml.pipeline.core.pipeline_output_dataset",
    ),
    "azureml.data.FileDataset": ("azureml.data", "azureml.data.file_dataset"),
    "azureml.data.TabularDataset": ("azureml.data", "azureml.data.tabular_dataset"),
    "azureml.data.dataset_consumption_config.DatasetConsumptionConfig": (
        "azureml.data.dataset_consumption_config",
    ),
    "azureml.pipeline.steps.PythonScriptStep": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.python_script_step",
    ),
    "azureml.pipeline.core.Pipeline": ("azureml.pipeline.core", "azureml.pipeline.core.pipeline"),
    "azureml.pipeline.core.PipelineData": ("azureml.pipeline.core", "azureml.pipeline.core.builder"),
    "azureml.pipeline.core.StepSequence": ("azureml.pipeline.core", "azureml.pipeline.core.builder"),
    "azureml.pipeline.core.PipelineParameter": ("azureml.pipeline.core", "azureml.pipeline.core.graph"),
    "azureml.pipeline.core.PublishedPipeline": ("azureml.pipeline.core", "azureml.pipeline.core.graph"),
    "azureml.pipeline.core.PipelineRun": ("azureml.pipeline.core", "azureml.pipeline.core.run"),
    "azureml.pipeline.core.PipelineEndpoint": (
        "azureml.pipeline.core", "azureml.pipeline.core.pipeline_endpoint",
    ),
    "azureml.pipeline.steps.ParallelRunStep": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.parallel_run_step",
    ),
    "azureml.pipeline.steps.ParallelRunConfig": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.parallel_run_config",
    ),
    "azureml.pipeline.steps.HyperDriveStep": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.hyper_drive_step",
    ),
    "azureml.pipeline.steps.AutoMLStep": ("azureml.pipeline.steps", "azureml.pipeline.steps.automl_step"),
    "azureml.pipeline.steps.CommandStep": ("azureml.pipeline.steps", "azureml.pipeline.steps.command_step"),
    "azureml.pipeline.steps.EstimatorStep": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.estimator_step",
    ),
    "azureml.pipeline.steps.MpiStep": ("azureml.pipeline.steps", "azureml.pipeline.steps.mpi_step"),
    "azureml.pipeline.steps.DatabricksStep": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.databricks_step",
    ),
    "azureml.pipeline.steps.AdlaStep": ("azureml.pipeline.steps", "azureml.pipeline.steps.adla_step"),
    "azureml.pipeline.steps.AzureBatchStep": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.azurebatch_step",
    ),
    "azureml.pipeline.steps.DataTransferStep": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.data_transfer_step",
    ),
    "azureml.pipeline.steps.KustoStep": ("azureml.pipeline.steps", "azureml.pipeline.steps.kusto_step"),
    "azureml.pipeline.steps.SynapseSparkStep": (
        "azureml.pipeline.steps", "azureml.pipeline.steps.synapse_spark_step",
    ),
    "azureml.pipeline.steps.RScriptStep": ("azureml.pipeline.steps", "azureml.pipeline.steps.r_script_step"),
    "azureml.pipeline.steps.ModuleStep": ("azureml.pipeline.steps", "azureml.pipeline.steps.module_step"),
    "azureml.train.hyperdrive.HyperDriveConfig": (
        "azureml.train.hyperdrive", "azureml.train.hyperdrive.runconfig", "azureml.train.hyperdrive.run",
    ),
    "azureml.train.automl.AutoMLConfig": (
        "azureml.train.automl", "azureml.train.automl.automlconfig",
        "azureml.pipeline.steps.automl_step",
    ),
    "azureml.train.automl.AutoMLImageConfig": ("azureml.train.automl", "azureml.train.automl.automlimageconfig"),
    "azureml.train.estimator.Estimator": ("azureml.train.estimator",),
    "azureml.train.dnn.PyTorch": ("azureml.train.dnn",),
    "azureml.train.dnn.TensorFlow": ("azureml.train.dnn",),
    "azureml.train.dnn.Chainer": ("azureml.train.dnn",),
    "azureml.train.sklearn.SKLearn": ("azureml.train.sklearn",),
    "azureml.core.model.InferenceConfig": ("azureml.core.model", "azureml.core.webservice.local"),
    "azureml.core.Webservice": (
        "azureml.core", "azureml.core.webservice", "azureml.core.webservice.webservice",
    ),
    "azureml.core.webservice.AciWebservice": ("azureml.core.webservice", "azureml.core.webservice.aci"),
    "azureml.core.webservice.AksWebservice": ("azureml.core.webservice", "azureml.core.webservice.aks"),
    "azureml.core.webservice.LocalWebservice": (
        "azureml.core.webservice", "azureml.core.webservice.local",
    ),
    "azureml.widgets.RunDetails": ("azureml.widgets",),
    "azureml.pipeline.core.Schedule": ("azureml.pipeline.core", "azureml.pipeline.core.schedule"),
    "azureml.pipeline.core.ScheduleRecurrence": ("azureml.pipeline.core", "azureml.pipeline.core.schedule"),
    "azureml.pipeline.core.TimeZone": ("azureml.pipeline.core", "azureml.pipeline.core.schedule"),
    "azureml.train.hyperdrive.HyperDriveRun": ("azureml.train.hyperdrive", "azureml.train.hyperdrive.run"),
    "azureml.train.automl.run.AutoMLRun": ("azureml.train.automl.run",),
}

# Subclass -> base: an instance of the key may be used wherever the value is.
SUPERTYPES: dict[str, str] = {
    "azureml.core.ScriptRun": "azureml.core.Run",
    "azureml.pipeline.core.PipelineRun": "azureml.core.Run",
    "azureml.data.FileDataset": "azureml.core.Dataset",
    "azureml.data.TabularDataset": "azureml.core.Dataset",
    "azureml.core.compute.AmlCompute": "azureml.core.ComputeTarget",
    "azureml.core.compute.ComputeInstance": "azureml.core.ComputeTarget",
    "azureml.core.webservice.AciWebservice": "azureml.core.Webservice",
    "azureml.core.webservice.AksWebservice": "azureml.core.Webservice",
    "azureml.core.webservice.LocalWebservice": "azureml.core.Webservice",
    "azureml.train.hyperdrive.HyperDriveRun": "azureml.core.Run",
    "azureml.train.automl.run.AutoMLRun": "azureml.core.Run",
}

# Calls to these (static or class methods, module functions) return an instance.
CALL_RETURNS: dict[str, str] = {
    "azureml.core.Workspace.from_config": "azureml.core.Workspace",
    "azureml.core.Workspace.get": "azureml.core.Workspace",
    "azureml.core.Workspace.create": "azureml.core.Workspace",
    "azureml.core.Run.get_context": "azureml.core.Run",
    "azureml.core.Environment.from_conda_specification": "azureml.core.Environment",
    "azureml.core.Environment.from_pip_requirements": "azureml.core.Environment",
    "azureml.core.Environment.from_docker_image": "azureml.core.Environment",
    "azureml.core.Environment.from_dockerfile": "azureml.core.Environment",
    "azureml.core.Environment.from_existing_conda_environment": "azureml.core.Environment",
    "azureml.core.Environment.get": "azureml.core.Environment",
    "azureml.core.Dataset.File.from_files": "azureml.data.FileDataset",
    "azureml.core.Dataset.Tabular.from_delimited_files": "azureml.data.TabularDataset",
    "azureml.core.Dataset.Tabular.from_parquet_files": "azureml.data.TabularDataset",
    "azureml.core.Dataset.Tabular.from_json_lines_files": "azureml.data.TabularDataset",
    "azureml.core.Dataset.Tabular.from_sql_query": "azureml.data.TabularDataset",
    "azureml.core.Dataset.Tabular.register_pandas_dataframe": "azureml.data.TabularDataset",
    "azureml.core.Dataset.get_by_name": "azureml.core.Dataset",
    "azureml.core.Dataset.get_by_id": "azureml.core.Dataset",
    "azureml.core.Datastore.get": "azureml.core.Datastore",
    "azureml.core.Datastore.get_default": "azureml.core.Datastore",
    "azureml.core.ComputeTarget.create": "azureml.core.ComputeTarget",
    "azureml.core.compute.AmlCompute.create": "azureml.core.compute.AmlCompute",
    "azureml.core.compute.ComputeInstance.create": "azureml.core.compute.ComputeInstance",
    "azureml.core.Model.register": "azureml.core.Model",
    "azureml.core.conda_dependencies.CondaDependencies.create": "azureml.core.conda_dependencies.CondaDependencies",
    "azureml.core.Model.deploy": "azureml.core.Webservice",
    "azureml.core.Webservice.deploy_from_model": "azureml.core.Webservice",
    "azureml.core.Webservice.deploy_from_image": "azureml.core.Webservice",
    "azureml.pipeline.core.PublishedPipeline.get": "azureml.pipeline.core.PublishedPipeline",
    "azureml.pipeline.core.PipelineEndpoint.publish": "azureml.pipeline.core.PipelineEndpoint",
    "azureml.pipeline.core.PipelineEndpoint.get": "azureml.pipeline.core.PipelineEndpoint",
    "azureml.pipeline.core.Schedule.create": "azureml.pipeline.core.Schedule",
    "azureml.pipeline.core.Schedule.create_for_pipeline_endpoint": "azureml.pipeline.core.Schedule",
    "azureml.pipeline.core.Schedule.get": "azureml.pipeline.core.Schedule",
}

# (instance type, method) -> type of the instance the call returns.
METHOD_RETURNS: dict[tuple[str, str], str] = {
    ("azureml.core.Experiment", "submit"): "azureml.core.Run",
    ("azureml.core.Experiment", "start_logging"): "azureml.core.Run",
    ("azureml.pipeline.core.Pipeline", "submit"): "azureml.pipeline.core.PipelineRun",
    ("azureml.pipeline.core.Pipeline", "publish"): "azureml.pipeline.core.PublishedPipeline",
    ("azureml.pipeline.core.PublishedPipeline", "submit"): "azureml.pipeline.core.PipelineRun",
    ("azureml.pipeline.core.PipelineRun", "publish_pipeline"): "azureml.pipeline.core.PublishedPipeline",
    ("azureml.pipeline.core.PipelineEndpoint", "submit"): "azureml.pipeline.core.PipelineRun",
    ("azureml.core.Model", "deploy"): "azureml.core.Webservice",
    ("azureml.core.Workspace", "get_default_datastore"): "azureml.core.Datastore",
    ("azureml.core.Run", "child_run"): "azureml.core.Run",
    ("azureml.core.Run", "register_model"): "azureml.core.Model",
    ("azureml.core.Dataset", "as_named_input"):
        "azureml.data.dataset_consumption_config.DatasetConsumptionConfig",
    ("azureml.core.Dataset", "register"): "azureml.core.Dataset",
    ("azureml.core.Dataset", "as_mount"): "azureml.data.dataset_consumption_config.DatasetConsumptionConfig",
    ("azureml.core.Dataset", "as_download"): "azureml.data.dataset_consumption_config.DatasetConsumptionConfig",
    ("azureml.data.dataset_consumption_config.DatasetConsumptionConfig", "as_mount"):
        "azureml.data.dataset_consumption_config.DatasetConsumptionConfig",
    ("azureml.data.dataset_consumption_config.DatasetConsumptionConfig", "as_download"):
        "azureml.data.dataset_consumption_config.DatasetConsumptionConfig",
    ("azureml.data.OutputFileDatasetConfig", "as_input"):
        "azureml.data.dataset_consumption_config.DatasetConsumptionConfig",
    ("azureml.data.OutputFileDatasetConfig", "as_mount"): "azureml.data.OutputFileDatasetConfig",
    ("azureml.data.OutputFileDatasetConfig", "as_upload"): "azureml.data.OutputFileDatasetConfig",
    ("azureml.data.OutputFileDatasetConfig", "register_on_complete"): "azureml.data.OutputFileDatasetConfig",
    ("azureml.pipeline.core.PipelineData", "as_dataset"): "azureml.pipeline.core.PipelineData",
    ("azureml.pipeline.core.PipelineData", "parse_parquet_files"): "azureml.pipeline.core.PipelineData",
    ("azureml.pipeline.core.PipelineData", "parse_delimited_files"): "azureml.pipeline.core.PipelineData",
    ("azureml.data.OutputFileDatasetConfig", "read_delimited_files"): "azureml.data.OutputFileDatasetConfig",
    ("azureml.data.OutputFileDatasetConfig", "read_parquet_files"): "azureml.data.OutputFileDatasetConfig",
    ("azureml.pipeline.core.PipelineData", "as_input"):
        "azureml.data.dataset_consumption_config.DatasetConsumptionConfig",
    ("azureml.core.Environment", "register"): "azureml.core.Environment",
}

# (instance type, attribute) -> type of what the attribute holds.
ATTRIBUTE_TYPES: dict[tuple[str, str], str] = {
    ("azureml.core.Run", "experiment"): "azureml.core.Experiment",
    ("azureml.core.Run", "parent"): "azureml.core.Run",
    ("azureml.core.Experiment", "workspace"): "azureml.core.Workspace",
    ("azureml.core.ScriptRunConfig", "run_config"): "azureml.core.RunConfiguration",
    # ws.compute_targets[name] and friends: an item of the workspace's dictionaries
    ("azureml.core.Workspace", "compute_targets[]"): "azureml.core.ComputeTarget",
    ("azureml.core.Workspace", "environments[]"): "azureml.core.Environment",
    ("azureml.core.Workspace", "models[]"): "azureml.core.Model",
    ("azureml.core.Workspace", "experiments[]"): "azureml.core.Experiment",
}


def _build_canonical() -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, modules in _CLASS_PATHS.items():
        short = canonical.rsplit(".", 1)[1]
        table[canonical] = canonical
        for module in modules:
            table[f"{module}.{short}"] = canonical
    return table


# Every importable spelling of a v1 class -> its canonical name.
CANONICAL: dict[str, str] = _build_canonical()
# Classes v1 also hands out under another name: ``Dataset.Tabular`` is the TabularDatasetFactory
# class (checked against azureml-core 1.61: ``Dataset.Tabular is TabularDatasetFactory``).
CANONICAL.update({
    "azureml.data.dataset_factory.TabularDatasetFactory": "azureml.core.Dataset.Tabular",
    "azureml.data.dataset_factory.FileDatasetFactory": "azureml.core.Dataset.File",
})

# Module -> the classes a ``from module import *`` brings in.
STAR_EXPORTS: dict[str, dict[str, str]] = {}
for _spelling, _canonical in CANONICAL.items():
    _module, _short = _spelling.rsplit(".", 1)
    STAR_EXPORTS.setdefault(_module, {})[_short] = _canonical
# ... and the rest of a module's ``__all__`` where fixes read those names: HyperDrive's sampling
# classes, parameter expressions and policies (azureml-train-core 1.61.0's __init__), which a
# notebook often takes with ``from azureml.train.hyperdrive import *`` (audit p M4).
for _short in ("BanditPolicy", "BayesianParameterSampling", "EarlyTerminationPolicy", "GridParameterSampling",
               "HyperDriveConfig", "HyperDriveRun", "HyperDriveRunConfig", "HyperParameterSampling",
               "MedianStoppingPolicy", "NoTerminationPolicy", "PrimaryMetricGoal", "RandomParameterSampling",
               "TruncationSelectionPolicy", "choice", "lognormal", "loguniform", "normal", "randint",
               "qlognormal", "qloguniform", "qnormal", "quniform", "uniform"):
    STAR_EXPORTS.setdefault("azureml.train.hyperdrive", {}).setdefault(_short, f"azureml.train.hyperdrive.{_short}")

CLASSES: frozenset[str] = frozenset(_CLASS_PATHS)


def canonical(qualname: str) -> str:
    """Return the canonical spelling of a v1 class, or the name unchanged."""
    return CANONICAL.get(qualname, qualname)


# v1 orchestration modules that live inside a v2-era package: AutoMLConfig's
# forecasting settings (v2 has ForecastingSettings instead).
V1_INSIDE_V2_ERA: tuple[str, ...] = ("azureml.automl.core.forecasting_parameters",)


@lru_cache(maxsize=8192)  # asked for the same few names at every import and call of every file
def is_v1(qualname: str) -> bool:
    """True for names under ``azureml.`` that are not a v2-era package."""
    if not qualname.startswith("azureml."):
        return False
    if any(qualname == m or qualname.startswith(m + ".") for m in V1_INSIDE_V2_ERA):
        return True
    return not any(
        qualname == pkg or qualname.startswith(pkg + ".") for pkg in V2_ERA_PACKAGES
    )


def is_subtype(actual: str, expected: str) -> bool:
    """True when an instance of ``actual`` can stand where ``expected`` is wanted."""
    seen = actual
    while True:
        if seen == expected:
            return True
        parent = SUPERTYPES.get(seen)
        if parent is None:
            return False
        seen = parent


def method_return(instance_type: str, method: str) -> str | None:
    """What ``instance.method(...)`` returns, following the class hierarchy."""
    seen: str | None = instance_type
    while seen is not None:
        found = METHOD_RETURNS.get((seen, method))
        if found is not None:
            return found
        seen = SUPERTYPES.get(seen)
    return None


def attribute_type(instance_type: str, attribute: str) -> str | None:
    """What ``instance.attribute`` holds, following the class hierarchy."""
    seen: str | None = instance_type
    while seen is not None:
        found = ATTRIBUTE_TYPES.get((seen, attribute))
        if found is not None:
            return found
        seen = SUPERTYPES.get(seen)
    return None


# Classes that name a script to run inside a job: (script parameter, its
# position or None when keyword-only in practice, source-directory parameter,
# its position).  Used to find training scripts across a project.
SCRIPT_PARAMETERS: dict[str, tuple[str, int | None, str, int | None]] = {
    "azureml.core.ScriptRunConfig": ("script", 1, "source_directory", 0),
    "azureml.pipeline.steps.PythonScriptStep": ("script_name", 0, "source_directory", 9),
    "azureml.train.estimator.Estimator": ("entry_script", None, "source_directory", 0),
    "azureml.train.dnn.PyTorch": ("entry_script", None, "source_directory", 0),
    "azureml.train.dnn.TensorFlow": ("entry_script", None, "source_directory", 0),
    "azureml.train.dnn.Chainer": ("entry_script", None, "source_directory", 0),
    "azureml.train.sklearn.SKLearn": ("entry_script", None, "source_directory", 0),
    "azureml.pipeline.steps.ParallelRunConfig": ("entry_script", None, "source_directory", None),
    # a script a Databricks cluster runs for a v1 pipeline step (its notebooks live in Databricks)
    "azureml.pipeline.steps.DatabricksStep": ("python_script_name", None, "source_directory", None),
    "azureml.core.model.InferenceConfig": ("entry_script", 0, "source_directory", None),
    # an image built to run anywhere (an IoT Edge module, a container of one's own): no deployment
    # of Azure ML runs the script, so nothing sets AZUREML_MODEL_DIR for it
    "azureml.core.image.ContainerImage.image_configuration": ("execution_script", 0, "source_directory", None),
}


# Packages whose import does something besides binding a name.  Importing azureml.automl
# (which azureml.train.automl imports) puts its vendored packages on sys.path, and pickled
# AutoML models of that era name them, so ``import azureml.train.automl  # Required for
# AutoML models`` in a scoring script is what lets joblib.load read the model.  Importing
# azureml.contrib.dataset replaces TabularDataset methods (to_pandas_dataframe, download, mount,
# to_torchvision) with versions that read a data-labeling project's labeled dataset.
_AUTOML_PATH = "it puts the vendored AutoML packages on sys.path, which unpickling a v1 AutoML model needs"
IMPORT_SIDE_EFFECTS = {
    "azureml.train.automl": _AUTOML_PATH,
    "azureml.automl": _AUTOML_PATH,
    "azureml.contrib.dataset": "it patches TabularDataset (to_pandas_dataframe, download, mount, to_torchvision) "
                               "so that a labeled dataset reads as one",
}

# v1's REST clients are msrest's: a missing datastore, model or workspace raised msrest's
# HttpOperationError (or msrestazure's CloudError, for the ARM calls), which v1 let through.
# azure-ai-ml raises azure.core's errors instead, and no msrest class is among their bases.
FOREIGN_EXCEPTIONS = frozenset({
    "msrest.exceptions.HttpOperationError",
    "msrest.exceptions.ClientException",
    "msrestazure.azure_exceptions.CloudError",
})


def _surface() -> Surface:
    return Surface(
        marker="azureml",
        is_target=is_v1,
        canonical=canonical,
        classes=CLASSES,
        call_returns=CALL_RETURNS,
        method_return=method_return,
        attribute_type=attribute_type,
        is_subtype=is_subtype,
        star_exports=STAR_EXPORTS,
        script_parameters=SCRIPT_PARAMETERS,
        import_side_effects=IMPORT_SIDE_EFFECTS,
        foreign_exceptions=FOREIGN_EXCEPTIONS,
    )


# The v1 surface as the engine's name model reads it.
SURFACE = _surface()
