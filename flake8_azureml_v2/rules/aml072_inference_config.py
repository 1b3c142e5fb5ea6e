"""AML072: ``InferenceConfig(...)`` describes v1 scoring code."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML072",
    name="inference-config",
    family=Family.DEPLOY,
    v1="InferenceConfig()",
    v2="CodeConfiguration(code=..., scoring_script=...) plus environment= on the deployment",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.model.InferenceConfig"),
    why=(
        "In v2 the scoring script and its folder form a CodeConfiguration, and the "
        "environment is set on the deployment itself rather than bundled with the script. "
        "The init()/run() contract of the scoring script stays the same."
    ),
    example="inference_config = InferenceConfig(entry_script='score.py', source_directory='./src', environment=env)",
    use_instead=(
        "code_config = CodeConfiguration(code='./src', scoring_script='score.py')\n"
        "# ManagedOnlineDeployment(..., code_configuration=code_config, environment=env)"
    ),
    fixer=fixer("deployment", "fix_inference_config"),
)
