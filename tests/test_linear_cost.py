"""The read → position map → write path grows linearly with the file: 8 times the input may
cost about 8 times the time, never 64.  Each measure is the best of three runs."""

from __future__ import annotations

import json
import time
from pathlib import Path
from collections.abc import Callable

from flake8_azureml_v2 import documents
from flake8_azureml_v2.engine import Settings, SourceText
from flake8_azureml_v2.positions import LineMap

SMALL, FACTOR = 400, 8
LIMIT = 24  # linear: ~8; quadratic: ~64


def _best(work: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _ratio(make: Callable[[int], Callable[[], object]]) -> float:
    small, large = make(SMALL), make(SMALL * FACTOR)
    return _best(large) / max(_best(small), 1e-6)


def _notebook(cells: int) -> bytes:
    sources = []
    for index in range(cells):
        kind = index % 4
        if kind == 0:
            sources.append(f"%%time\nx{index} = {index}\nprint(x{index})\n")
        elif kind == 1:
            sources.append(f"!echo {index}\ny{index} = azureml_thing({index})\n")
        elif kind == 2:
            sources.append(f"%%writefile script_{index}.py\nimport os\nprint(os.sep)\n")
        else:
            sources.append(f"%%bash\necho {index}\n")
    content = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
                         for s in sources], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    return (json.dumps(content, indent=1) + "\n").encode()


def test_notebook_document_read_map_and_write_are_linear_in_cells() -> None:
    def make(cells: int) -> Callable[[], object]:
        data = _notebook(cells)

        def work() -> object:
            document = documents.load(data, Path("nb.ipynb"))
            changes: dict[int, str] = {}
            for program in document.programs(Settings(project_index=False)):
                lines = program.text.count("\n") + 1
                for line in range(1, lines + 1):
                    program.place(line, 0)
                if isinstance(program, documents.CodeCells):
                    edited = program.text.replace("print(", "print (")
                    for line in range(1, lines + 1):
                        program.place(line, 0, edited)
                    changes.update(program.cells(edited))
            return document.render(changes)

        return work

    assert _ratio(make) < LIMIT


def test_line_map_is_linear_in_lines() -> None:
    def make(size: int) -> Callable[[], object]:
        old = "".join(f"value_{i} = compute({i})\n" + ("\n" if i % 7 == 0 else "") for i in range(size * 10))
        new = old.replace("compute(5", "other(5").replace("value_3", "renamed_3\nextra")

        def work() -> object:
            lines = LineMap(old, new)
            return [lines.back(n, 4) for n in range(1, len(lines.new) + 1)]

        return work

    assert _ratio(make) < LIMIT


def test_offsets_in_a_long_source_are_linear() -> None:
    def make(size: int) -> Callable[[], object]:
        text = "".join(f"line_{i} = {i}\n" for i in range(size * 10))

        def work() -> object:
            source = SourceText(text)
            return [source.offset(n, 2) for n in range(1, len(source.lines) + 1)]

        return work

    assert _ratio(make) < LIMIT
