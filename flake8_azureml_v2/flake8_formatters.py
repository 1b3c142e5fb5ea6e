"""flake8 ``--format`` plugins (``aml-json``, ``aml-sarif``, ``aml-github``, ``aml-azure``, ``aml-junit``).

They write what ``azureml-v2 check --output-format`` writes, for every code
flake8 reports (AML and the others).  Findings are buffered and the report is
written once in ``stop()``, so a JSON or XML document stays whole with ``-j``.
``--output-file`` is replaced atomically once the report is complete (flake8's
own formatters append to it, which would put two documents in one file).
"""

from __future__ import annotations

from flake8.formatting.base import BaseFormatter
from flake8.violation import Violation

from . import formats


def _item(error: Violation) -> formats.Item:
    char_column = error.column_number
    if error.physical_line is not None:
        prefix = error.physical_line.encode("utf-8", "surrogatepass")[: max(error.column_number - 1, 0)]
        char_column = len(prefix.decode("utf-8", errors="ignore")) + 1
    return formats.Item(
        path=error.filename, line=error.line_number, column=error.column_number,
        code=error.code, message=error.text, char_column=char_column,
    )


class _BufferedFormatter(BaseFormatter):
    output_format = "text"

    def after_init(self) -> None:
        self.items: list[formats.Item] = []

    def start(self) -> None:
        """Nothing is opened here: ``stop()`` writes the whole report at once."""

    def handle(self, error: Violation) -> None:
        self.format(error)  # no per-error output, no --show-source lines inside a document

    def format(self, error: Violation) -> str | None:
        self.items.append(_item(error))
        return None

    def show_statistics(self, statistics: object) -> None:
        """Statistics would corrupt a machine-readable report; they are left out."""

    def show_benchmarks(self, benchmarks: object) -> None:
        """Benchmarks would corrupt a machine-readable report; they are left out."""

    def stop(self) -> None:
        report = formats.render(self.output_format, self.items)
        if self.filename:
            formats.write_report(self.filename, report)
        if report and (not self.filename or self.options.tee):
            self._write(report.rstrip("\n"))
        super().stop()


class JsonFormatter(_BufferedFormatter):
    output_format = "json"


class SarifFormatter(_BufferedFormatter):
    output_format = "sarif"


class GithubFormatter(_BufferedFormatter):
    output_format = "github"


class AzureFormatter(_BufferedFormatter):
    output_format = "azure"


class JunitFormatter(_BufferedFormatter):
    output_format = "junit"
