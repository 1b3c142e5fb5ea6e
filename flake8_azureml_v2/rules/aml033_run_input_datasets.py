"""AML033: ``run.input_datasets[...]`` reads a v1 dataset handed to the run."""

from ._matchers import attribute_reads
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML033",
    name="run-input-datasets",
    family=Family.IN_JOB,
    v1="run.input_datasets[...]",
    v2="an argparse argument bound to the job's ${{inputs.<name>}}",
    article="migrate-to-v2-assets-data",
    fix_safety=FixSafety.MANUAL,
    detect=attribute_reads(RUN, "input_datasets"),
    message=(
        "run.input_datasets is Azure ML SDK v1; declare the data as a job input and read its "
        "path from an argparse argument bound to ${{inputs.<name>}}"
    ),
    why=(
        "A v2 job does not hand dataset objects to the script. Declare an Input on the job, "
        "put --<name> ${{inputs.<name>}} in its command, and read the mounted or downloaded "
        "path with argparse. The job definition and the script change together, and a "
        "tabular dataset also needs a new way to load it, so this is a manual step."
    ),
    example=(
        "run = Run.get_context()\n"
        "frame = run.input_datasets['titanic'].to_pandas_dataframe()"
    ),
    use_instead=(
        "parser.add_argument('--titanic')  # command: --titanic ${{inputs.titanic}}\n"
        "frame = pd.read_csv(parser.parse_args().titanic)"
    ),
)
