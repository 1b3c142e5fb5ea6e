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


# What each call of a v1 service class names as its v2 form (audit x: a look-up was told to
# build a deployment, a deploy to look an endpoint up): a member, or "" for the constructor.
SERVICE_LOOKUP = "ml_client.online_endpoints.get(name) (or .list() for all endpoints)"
_SERVICE_CREATE = ("ManagedOnlineEndpoint + ManagedOnlineDeployment through "
                   "ml_client.online_endpoints/online_deployments.begin_create_or_update")


def service_v2_forms(deploy_configuration: str | None = None) -> dict[str, str]:
    """The v2 form per member of a v1 service class, with its ``deploy_configuration()``'s if it has one."""
    forms = {"": SERVICE_LOOKUP, "list": "ml_client.online_endpoints.list()", "deploy": _SERVICE_CREATE,
             "deploy_from_model": _SERVICE_CREATE,
             "deploy_from_image": _SERVICE_CREATE + " (a v1 image has no v2 counterpart: deploy the model)"}
    if deploy_configuration is not None:
        forms["deploy_configuration"] = deploy_configuration
    return forms
