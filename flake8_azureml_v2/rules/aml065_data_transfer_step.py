"""AML065: ``DataTransferStep`` runs a copy between storage locations in a v1 pipeline."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML065",
    name="data-transfer-step",
    family=Family.ADVANCED,
    v1="DataTransferStep()",
    v2="no v2 equivalent; copy data with a command or data import",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.MANUAL,
    detect=calls_to("azureml.pipeline.steps.DataTransferStep"),
    why=(
        "Azure ML v2 pipelines have no data-transfer step. Copy the data inside a command "
        "component that reads an Input and writes an Output, or bring external data in with a "
        "data import."
    ),
    example=(
        "copy = DataTransferStep(name='copy', source_data_reference=src_ref,\n"
        "                        destination_data_reference=dst_ref, compute_target=adf)"
    ),
    use_instead=(
        "copy = command(command='cp -r ${{inputs.src}}/. ${{outputs.dst}}',\n"
        "               inputs={'src': Input(type='uri_folder')},\n"
        "               outputs={'dst': Output(type='uri_folder')}, environment=env)"
    ),
    message="DataTransferStep() is Azure ML SDK v1 and has no v2 equivalent; copy the data with a command component or a data import",
)
