"""AML037: ``Model.get_model_path(...)`` locates a registered v1 model."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML037",
    name="model-get-model-path",
    family=Family.IN_JOB,
    v1="Model.get_model_path()",
    v2=('os.environ["AZUREML_MODEL_DIR"] in a deployment\'s scoring script; in a job, an input '
        'Input(type="custom_model" or "mlflow_model", path="azureml:<name>:<version>")'),
    article="migrate-to-v2-assets-model",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.Model.get_model_path"),
    message=(
        "Model.get_model_path() is Azure ML SDK v1; in a scoring script read os.environ['AZUREML_MODEL_DIR'], "
        'in a job pass the model folder as an input (Input(type="custom_model" or "mlflow_model"))'
    ),
    why=(
        "In a v2 deployment the model folder is os.environ['AZUREML_MODEL_DIR'] (one model per "
        "deployment); v1 returned the single entry inside it, and the fix writes that rule out. "
        "A v2 job does not look models up from inside the script: declare the registered model "
        "as an input of the job, bind it to a command-line argument, and load it from that folder."
    ),
    example="model_dir = Model.get_model_path('churn', version=3)",
    use_instead=(
        "# job: inputs={'model': Input(type='custom_model', path='azureml:churn:3')},\n"
        "#      command='python score.py --model ${{inputs.model}}'\n"
        "model_dir = args.model"
    ),
    fixer=fixer("models", "fix_model_path"),
)
