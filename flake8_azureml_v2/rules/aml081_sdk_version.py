"""AML081: ``azureml.core.VERSION``, the v1 SDK's version string."""

from ..migrations import fixer
from ._matchers import references
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML081",
    name="sdk-version",
    family=Family.CATCH_ALL,
    v1="azureml.core.VERSION",
    v2='importlib.metadata.version("azure-ai-ml")',
    article="how-to-migrate-from-v1",
    fix_safety=FixSafety.UNSAFE,
    detect=references("azureml.core.VERSION"),
    why=(
        "Programs print or check the SDK version they run with. After the migration that SDK is "
        "azure-ai-ml, whose version the standard library reads from the installed package; the "
        "azureml-core version no longer says anything about the code. The fix writes the v2 "
        "version and a TODO, because the value printed changes, and only in a program that already "
        "imports azure-ai-ml: one that otherwise stays v1 would need the v2 SDK just for the print."
    ),
    example='print("SDK version:", azureml.core.VERSION)',
    use_instead='print("SDK version:", importlib.metadata.version("azure-ai-ml"))',
    fixer=fixer("sdk_version"),
)
