"""Names several rules share."""

EXPERIMENT = "azureml.core.Experiment"
RUN = "azureml.core.Run"
WORKSPACE = "azureml.core.Workspace"

# What ``Experiment.submit`` accepts: seeing one of these as the argument is
# enough to know that ``x.submit(...)`` is a v1 submission.
SUBMITTABLE = frozenset({
    "azureml.core.ScriptRunConfig",
    "azureml.pipeline.core.Pipeline",
    "azureml.pipeline.core.PublishedPipeline",
    "azureml.train.estimator.Estimator",
    "azureml.train.dnn.PyTorch",
    "azureml.train.dnn.TensorFlow",
    "azureml.train.dnn.Chainer",
    "azureml.train.sklearn.SKLearn",
    "azureml.train.hyperdrive.HyperDriveConfig",
    "azureml.train.automl.AutoMLConfig",
    "azureml.train.automl.AutoMLImageConfig",
})
