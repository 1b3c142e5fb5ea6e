"""AML038: ``dataset.to_pandas_dataframe()`` loads a v1 TabularDataset."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.context import Context
from ..engine.names import Instance
from ..v1api import is_subtype
from ._matchers import sg_method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit, RefusalKind
from ._shared import RUN

# The base class, on purpose: Dataset.get_by_name()/get_by_id() are typed as the
# base Dataset, and among v1 datasets only TabularDataset has to_pandas_dataframe,
# so the call itself proves the dataset is tabular.
DATASET = "azureml.core.Dataset"


def detect(ctx: Context) -> Iterator[Hit]:
    """``x.to_pandas_dataframe()`` where ``x`` is a v1 dataset, including
    ``run.input_datasets['name'].to_pandas_dataframe()`` and a name bound to such an item."""
    input_datasets = {
        id(read.node)
        for read in ctx.model.attribute_reads
        if read.node.attr == "input_datasets"
        and isinstance(read.receiver, Instance)
        and is_subtype(read.receiver.type, RUN)
    }
    for call in ctx.model.calls:
        if call.method != "to_pandas_dataframe":
            continue
        if isinstance(call.receiver, Instance):
            if is_subtype(call.receiver.type, DATASET):
                yield call.node
            continue
        func = call.node.func
        if isinstance(func, ast.Attribute) and _an_input_dataset(ctx, func.value, input_datasets):
            yield call.node


def _an_input_dataset(ctx: Context, node: ast.expr, input_datasets: set[int]) -> bool:
    """``run.input_datasets[n]``, or a name its one plain assignment binds to it."""
    if isinstance(node, ast.Name):
        binding = ctx.model.binding_of_use.get(id(node))
        if binding is None or binding.conditional or not isinstance(binding.node, ast.Assign):
            return False
        statement = binding.node
        if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
            return False
        node = statement.value
    return isinstance(node, ast.Subscript) and id(node.value) in input_datasets


RULE = Rule(
    code="AML038",
    name="tabular-to-pandas-dataframe",
    family=Family.IN_JOB,
    v1="TabularDataset.to_pandas_dataframe()",
    v2="pandas.read_csv(<input path>) or mltable.load(<input path>).to_pandas_dataframe()",
    article="migrate-to-v2-assets-data",
    fix_safety=FixSafety.MANUAL,
    manual_kind=RefusalKind.NOT_YET,  # the reference neither rules a rewrite out nor gives one this tool can check
    detect=detect,
    message=(
        "to_pandas_dataframe() on a v1 TabularDataset is Azure ML SDK v1; read the job input's "
        "path with pandas.read_csv(path) or mltable.load(path).to_pandas_dataframe()"
    ),
    why=(
        "In v2 a tabular dataset reaches the job as an input path: a uri_file or uri_folder "
        "read with pandas, or an mltable folder loaded with the mltable package. Which one "
        "fits depends on how the data is declared on the job, so this is manual. The rule "
        "also matches datasets typed only as the base Dataset (get_by_name), because only "
        "the tabular kind has this method."
    ),
    example=(
        "dataset = Dataset.get_by_name(ws, 'sales')\n"
        "frame = dataset.to_pandas_dataframe()"
    ),
    use_instead=(
        "# command: python prep.py --sales ${{inputs.sales}}\n"
        "frame = mltable.load(args.sales).to_pandas_dataframe()"
    ),
    sg_rule=sg_method_calls("to_pandas_dataframe"),
)
