"""The ``azureml-v2`` command line: ``check``, ``fix``, ``report``, ``rule``, ``rules``, ``ruff-config``.

Exit codes follow ruff: 0 nothing found, 1 findings, 2 a usage error, a
configuration error, a file that could not be checked, or an internal error.

A reader that closes standard output early (``azureml-v2 check . | head -1``)
ends the output quietly, as in ruff: no traceback, no "Exception ignored"
message, and exit code 0, whatever the findings.  ``fix`` still finishes
rewriting files (every file is replaced whole, and the run should not stop
half-way through a tree because a pager was closed); ``check``, ``fix --diff``,
``fix --check`` and ``fix -`` stop there, as their only product is the output
(:mod:`.stdout_guard`).  A file name that is not UTF-8 is printed with its odd
bytes as ``\\xe9``.  The examples and exit codes of each ``--help`` are in
:mod:`.cli_help`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import __version__, check_command, config, docs, formats, ruff_config, terminal
from .cli_help import CHECK_EPILOG, FIX_EPILOG, MAIN_EPILOG, REPORT_EPILOG, RUFF_EPILOG
from .baseline import BaselineError
from .engine import Settings
from .rules import all_rules, rule_by_code
from .runner import FileResult, Fixing, Target, collect, fix_all, fixing_order
from .selection import Selection
from .stdout_guard import StdoutGuard

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# concise and full are for people (ruff's formats, with [*] fix markers); the rest are flake8's and CI's.
CHECK_FORMATS = ("concise", "full", *formats.FORMATS)
ASSESSED_FORMATS = ("concise", "full", "json", "sarif")  # they say what fix would do to each finding


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="azureml-v2",
        description="Find Azure ML SDK v1 code and migrate it to SDK v2.",
        epilog=MAIN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="report v1 constructs (the same findings as flake8 --select AML)",
                                epilog=CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders; - reads stdin")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--output-format", choices=CHECK_FORMATS, default=None,
                       help="how to print findings: concise on a terminal, else text (flake8's format)")
    check.add_argument("--statistics", action="store_true",
                       help="print the number of findings per code, [*] marking codes fix resolves safely")
    check.add_argument("--output-file", type=Path, default=None, metavar="FILE", help="write the report to FILE")
    check.add_argument("--baseline", type=Path, default=None, metavar="FILE",
                       help="report only findings that are not in this baseline file")
    check.add_argument("--write-baseline", type=Path, default=None, metavar="FILE",
                       help="record the current findings in FILE and exit 0")
    check.add_argument("--add-noqa", action="store_true", help="append '# noqa: CODE' to every finding's line")
    _shared_options(check)

    fix = commands.add_parser("fix", help="rewrite v1 code to v2 (safe fixes unless --unsafe-fixes)",
                              epilog=FIX_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    fix.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders; - reads stdin, writes stdout")
    fix.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    fix.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything would change")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that may change runtime behaviour")
    fix.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings are left")
    fix.add_argument("--exit-non-zero-on-fix", action="store_true", help="exit 1 when a file was changed")
    fix.add_argument("--show-fixes", action="store_true", help="end with a summary of what was fixed, per file and code")
    _shared_options(fix)

    report = commands.add_parser("report", help="write a migration report: how much v1, what fix would do, what is left",
                                 epilog=REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders")
    report.add_argument("--format", choices=("markdown", "html", "json"), default="markdown", dest="report_format",
                        help="markdown (default; for a pull request or wiki), html (one self-contained file) or json")
    report.add_argument("--output", type=Path, default=None, metavar="FILE", help="write the report to FILE")
    _shared_options(report)

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("code", metavar="CODE")

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "markdown"), default="text")

    ruff = commands.add_parser("ruff-config", help="print a ruff banned-api block that flags v1 imports (TID251)",
                               epilog=RUFF_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ruff.add_argument("--ruff-toml", action="store_true", help="table names for ruff.toml instead of pyproject.toml")
    ruff.add_argument("--write", nargs="?", const=Path("pyproject.toml"), type=Path, default=None, metavar="FILE",
                      help="merge the block into FILE (default pyproject.toml; ruff.toml names are recognised), "
                           "keeping its formatting; running it again changes nothing")
    return parser


def _shared_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--select", type=_codes, default=None, metavar="CODES", help="comma-separated codes or prefixes")
    command.add_argument("--ignore", type=_codes, default=None, metavar="CODES", help="comma-separated codes or prefixes")
    command.add_argument("--exclude", type=_codes, default=None, metavar="PATTERNS", help="gitignore-style patterns to skip")
    command.add_argument("--force-exclude", action="store_true",
                         help="apply exclude patterns to files named on the command line too (for pre-commit)")
    command.add_argument("--training-scripts", type=_codes, default=None, metavar="PATTERNS",
                         help="gitignore-style patterns naming training scripts (AML010)")
    command.add_argument("--stdin-filename", default=None, metavar="PATH", help="the path of the file read from stdin")
    command.add_argument("--config", type=Path, default=None, metavar="PYPROJECT", help="read [tool.azureml-v2] from this file")
    command.add_argument("--no-project-index", action="store_true",
                         help="do not read the project's other files (script= references, imports, launchers): "
                              "fix then cannot see what they use of the files it changes")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    keep_going = args.command == "fix" and not (args.diff or args.check or "-" in args.paths)
    guard = StdoutGuard.install(keep_going)
    try:
        code = _run(parser, args)
        sys.stdout.flush()  # a reader that left shows here, while the exit code can still say so
    except BrokenPipeError:
        guard.discard()
        return EXIT_CLEAN
    finally:
        sys.stdout = guard.stream
    return EXIT_CLEAN if guard.broken else code


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "fix":
            return _fix(args)
        if args.command == "report":
            return _report(args)
        if args.command == "rule":
            return _rule(args.code)
        if args.command == "rules":
            rules = all_rules()
            sys.stdout.write(docs.markdown_table(rules) if args.format == "markdown" else docs.listing(rules))
            return EXIT_CLEAN
        if args.command == "ruff-config":
            return _ruff_config(args)
        parser.print_help()
        return EXIT_ERROR
    except (config.ConfigError, BaselineError, ruff_config.RuffConfigError) as exc:
        print(f"azureml-v2: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _ruff_config(args: argparse.Namespace) -> int:
    if args.write is None:
        sys.stdout.write(ruff_config.banned_api(pyproject=not args.ruff_toml))
        return EXIT_CLEAN
    changed = ruff_config.write(args.write, True if args.ruff_toml else None)
    shown = formats.visible(str(args.write))
    print(f"Merged the banned-api block into {shown}." if changed else f"{shown} already has the banned-api block.",
          file=sys.stderr)
    return EXIT_CLEAN


def _rule(code: str) -> int:
    rule = rule_by_code(code)
    if rule is None:
        print(f"azureml-v2: error: unknown rule {code!r}; `azureml-v2 rules` lists them", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(docs.render(rule))
    return EXIT_CLEAN


def _setup(args: argparse.Namespace) -> tuple[Settings, Selection, list[Target], list[FileResult]]:
    """What check and fix share: configuration, selection and the files to visit."""
    project = config.load(args.config)
    overrides: dict[str, object] = {}
    if args.training_scripts is not None:
        overrides.update(training_scripts=tuple(args.training_scripts), base=Path.cwd())
    if args.no_project_index:
        overrides["project_index"] = False
    if args.exclude is not None:
        overrides["exclude"] = tuple(args.exclude)
    settings = project.settings(**overrides)
    selection = Selection.build(
        args.select if args.select is not None else project.select,
        args.ignore if args.ignore is not None else project.ignore,
    )
    _validate_codes(selection)
    exclude = tuple(args.exclude) if args.exclude is not None else project.exclude
    targets, missing = collect(args.paths, exclude, args.stdin_filename, args.force_exclude, project.folder)
    return settings, selection, targets, missing


def _fix(args: argparse.Namespace) -> int:
    if args.diff and args.check:
        raise config.ConfigError("--diff and --check cannot be combined")
    settings, selection, targets, missing = _setup(args)
    from . import fix_command  # the fixer loads only when fixing

    options = fix_command.Options(args.diff, args.check, args.unsafe_fixes, args.exit_zero, args.exit_non_zero_on_fix,
                                  args.show_fixes, terminal.Style.for_stream(sys.stdout))
    totals = fix_command.Totals(errors=len(missing))
    for result in missing:
        _report_error(result)
    targets, late = fixing_order(targets)
    progress = terminal.Progress(len(targets), sys.stderr)
    with progress, progress.around_output():
        results = fix_all(targets, settings, selection, Fixing(options.unsafe), options.diff, late=late,
                          writes=not (options.diff or options.check))
        for target in targets:
            fix_command.fix_one(target, settings, selection, options, totals, _next(results))
            progress.advance()
    stream = sys.stderr if (options.diff or any(t.path is None for t in targets)) else sys.stdout
    if options.show_fixes:
        stream.write(fix_command.show_fixes(totals, options))
    print(fix_command.summary(totals, options), file=stream)
    return fix_command.exit_code(totals, options)


def _next(results: Iterator[FileResult]) -> FileResult | None:
    """The next file fixed in memory; None (fix it here) if the workers failed."""
    try:
        return next(results)
    except StopIteration:
        return None
    except Exception:  # noqa: BLE001 - a worker that died: the file is fixed in this process instead
        return None


def _check(args: argparse.Namespace) -> int:
    if args.add_noqa and (args.baseline or args.write_baseline):
        raise config.ConfigError("--add-noqa cannot be combined with --baseline or --write-baseline")
    settings, selection, targets, missing = _setup(args)
    output_format = args.output_format
    if output_format is None:
        output_format = "concise" if args.output_file is None and terminal.is_terminal(sys.stdout) else "text"
    rewrites = args.add_noqa or args.write_baseline is not None
    style = terminal.Style.for_stream(sys.stdout) if args.output_file is None else terminal.Style(False)
    options = check_command.Options(output_format, args.output_file, args.baseline, args.write_baseline,
                                    args.add_noqa, args.exit_zero, args.statistics,
                                    assess=not rewrites and (args.statistics or output_format in ASSESSED_FORMATS),
                                    style=style)
    return check_command.run(targets, missing, settings, selection, options)


def _report(args: argparse.Namespace) -> int:
    if "-" in args.paths:
        raise config.ConfigError("report reads files, not standard input")
    settings, selection, targets, missing = _setup(args)
    from . import report_command

    return report_command.run(args.paths, targets, missing, settings, selection, args.report_format, args.output)


def _report_error(result: FileResult) -> None:
    where, why = formats.visible(result.target.display), formats.visible(result.error or "")
    print(f"{where}: error: {why}", file=sys.stderr)


def _validate_codes(selection: Selection) -> None:
    for code in (*selection.select, *selection.ignore):
        if not code.startswith("AML") and not "AML".startswith(code):
            raise config.ConfigError(f"{code!r} is not an AML code or prefix")
