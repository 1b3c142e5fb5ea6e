"""AML033: ``run.input_datasets[...]`` reads a v1 dataset handed to the run."""

from ..migrations import fixer
from ._matchers import attribute_reads
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML033",
    name="run-input-datasets",
    family=Family.IN_JOB,
    v1="run.input_datasets[...]",
    v2="os.environ['<name>'], which the job's command exports as ${{inputs.<name>}}",
    article="migrate-to-v2-assets-data",
    fix_safety=FixSafety.UNSAFE,
    detect=attribute_reads(RUN, "input_datasets"),
    message=(
        "run.input_datasets is Azure ML SDK v1; read the input's path from os.environ['<name>'] "
        "and export it in the job's command (export <name>=${{inputs.<name>}})"
    ),
    why=(
        "A v2 job does not hand dataset objects to the script. For a mounted or downloaded "
        "input v1 also set an environment variable named after it, which input_datasets read: "
        "os.environ['<name>'] reads the same path, and the migrated launcher exports it. A "
        "tabular input read directly becomes mltable.load(os.environ['<name>']) once its "
        "launcher in the same project is migrated; an input whose launcher is unknown stays."
    ),
    example=(
        "run = Run.get_context()\n"
        "frame = run.input_datasets['titanic'].to_pandas_dataframe()"
    ),
    use_instead=(
        "# command: export titanic=${{inputs.titanic}} && python train.py\n"
        "frame = mltable.load(os.environ['titanic']).to_pandas_dataframe()"
    ),
    fixer=fixer("injob.input_datasets"),
)
