"""AML060: ``ModuleStep`` runs a v1 published module."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML060",
    name="module-step",
    family=Family.ADVANCED,
    v1="ModuleStep()",
    v2="a registered component loaded with load_component / ml_client.components.get",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,  # a rewrite the reference gives (or does not rule out), not built yet
    detect=calls_to("azureml.pipeline.steps.ModuleStep"),
    why=(
        "v1 modules are replaced by v2 components. Load a component from YAML with "
        "load_component() or fetch a registered one with ml_client.components.get(), then "
        "call it inside the @dsl.pipeline function."
    ),
    example="step = ModuleStep(module=module, inputs_map={'data': ds}, outputs_map={'out': out})",
    use_instead=(
        "clean = ml_client.components.get(name='clean_data', version='1')\n"
        "# in the pipeline: cleaned = clean(data=raw)"
    ),
)
