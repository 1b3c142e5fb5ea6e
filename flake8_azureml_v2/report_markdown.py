"""The migration report as Markdown, for a pull request, an issue or a wiki page.

GitHub-flavoured: tables for the summary and the files, ``<details>`` blocks
for long lists of locations so the page stays short, and at most
:data:`LOCATIONS` locations per code in each group of manual work (the HTML and
JSON reports list them all).  Every name and reason has
already been made visible (:func:`~.formats.visible`); here ``|``, ``<``
and ``&`` are escaped so no file name can break a table or inject markup.
"""

from __future__ import annotations

CODE_FENCE = "```"
LOCATIONS = 20  # per code and kind: a Markdown report goes into pull requests and wikis, so it stays short


def text(value: object) -> str:
    """Free text in a paragraph or a table cell."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")
            .replace("\n", " "))


def code(value: object) -> str:
    """Inline code that survives backticks inside ``value``."""
    shown = str(value).replace("|", "\\|").replace("\n", " ")
    fence = "``" if "`" in shown else "`"
    return f"{fence} {shown} {fence}" if fence == "``" else f"`{shown}`"


def where(location: dict) -> str:
    cell = f"cell {location['cell']}:" if location.get("cell") is not None else ""
    return f"{location['path']}:{cell}{location['line']}:{location['column']}"


def render(report: dict) -> str:
    out: list[str] = []
    add = out.append
    summary = report["summary"]
    add("# Azure ML SDK v1 to v2 migration report")
    add("")
    add(f"{code('azureml-v2 report ' + ' '.join(report['paths']))}, azureml-v2 {report['tool']['version']}. "
        "Nothing was changed: the fixes below are what `azureml-v2 fix` would do.")
    add("")
    add("## Summary")
    add("")
    add("| | |")
    add("|---|---:|")
    for label, value in summary_rows(summary):
        add(f"| {label} | {value} |")
    add("")
    add(f"Files: {summary['files_clean']} clean, {summary['files_fully_fixable']} fully fixable, "
        f"{summary['files_partly_fixable']} partly fixable, {summary['files_manual_only']} manual only"
        + (f", {summary['files_not_checked']} not checked" if summary["files_not_checked"] else "") + ".")
    add("")
    if report["codes"]:
        add("### Findings by code")
        add("")
        add("| Code | v1 | v2 equivalent | Findings | Safe fix | Unsafe fix | Manual |")
        add("|---|---|---|---:|---:|---:|---:|")
        for row in report["codes"]:
            add(f"| [{row['code']}]({row.get('article', '')}) | {code(row.get('v1', ''))} | {text(row.get('v2', ''))} "
                f"| {row['findings']} | {row['safe']} | {row['unsafe']} | {row['manual']} |")
        add("")
    _example(report["example"], add)
    _manual(report, add)
    _files(report, add)
    return "\n".join(out) + "\n"


def summary_rows(summary: dict) -> list[tuple[str, str]]:
    """The summary table's rows, shared with the HTML rendering."""
    total = summary["findings"]
    return [
        ("Files scanned", str(summary["files_scanned"])),
        ("Files with v1 code", str(summary["files_with_v1"])),
        ("Findings", str(total)),
        ("Resolved by `azureml-v2 fix` (safe fixes)", str(summary["safe"])),
        ("Resolved only with `--unsafe-fixes`", str(summary["unsafe"])),
        ("Left for people", str(summary["manual"])),
        ("Migration-ready files (clean, or fully migrated by fix)",
         f"{summary['migration_ready_files']} of {summary['files_scanned']} ({summary['migration_ready_share']}%)"),
        ("Findings fix resolves", f"{summary['safe'] + summary['unsafe']} of {total} ({summary['fix_resolves_share']}%)"),
    ]


def _example(example: dict | None, add) -> None:
    if not example:
        return
    flag = " --unsafe-fixes" if example["applicability"] == "unsafe" else ""
    add(f"## Example: the most common fix ({example['code']})")
    add("")
    add(f"From {code(where(example))}: {text(example['description'])} (`azureml-v2 fix{flag}`).")
    add("")
    for title in ("before", "after"):
        add(f"**{title.capitalize()}**")
        add("")
        body = example[title].rstrip("\n")
        fence = CODE_FENCE + ("`" * max(0, _longest_backticks(body) - 2))
        add(f"{fence}python")
        add(body)
        add(fence)
        add("")


def _longest_backticks(body: str) -> int:
    longest = run = 0
    for char in body:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return longest


def _manual(report: dict, add) -> None:
    sections = report["manual"]
    defaults = report["defaults_to_check"]
    if not sections and not defaults:
        return
    add("## Manual work")
    add("")
    for section in sections:
        add(f"### {section['title']} ({section['count']})")
        add("")
        add(text(section["meaning"]))
        add("")
        for row in section["codes"]:
            add(f"#### {row['code']} {code(row.get('v1', ''))}: {row['count']}")
            add("")
            links = [f"v2: {text(row['v2'])}"] if row.get("v2") else []
            if row.get("article"):
                links.append(f"[Microsoft article]({row['article']})")
            if row.get("docs"):
                links.append(f"docs: {code(row['docs'])}")
            add(". ".join(links))
            add("")
            add(f"<details><summary>{row['count']} location{'s' if row['count'] != 1 else ''}</summary>")
            add("")
            for location in row["locations"][:LOCATIONS]:
                add(f"- {code(where(location))}: {text(location['reason'])}")
            hidden = len(row["locations"]) - LOCATIONS
            if hidden > 0:
                add(f"- and {hidden} more (the HTML and JSON reports list them all)")
            add("")
            add("</details>")
            add("")
    if defaults:
        add(f"### Documented defaults to check ({len(defaults)})")
        add("")
        add("fix writes these as `# TODO(azureml-v2)` comments or notes what it assumed; check each by hand.")
        add("")
        for item in defaults:
            add(f"- {code(where(item))} {item['code']} ({item['applicability']} fix: {text(item['fix'])}): "
                f"{text(item['check'])}")
        add("")


def _files(report: dict, add) -> None:
    listed = [row for row in report["files"] if row["status"] != "clean"]
    if listed:
        add("## Files")
        add("")
        add("| File | Status | Findings | Safe fix | Unsafe fix | Manual | Cells |")
        add("|---|---|---:|---:|---:|---:|---|")
        for row in listed:
            cells = ", ".join(map(str, row["cells"]))
            add(f"| {code(row['path'])} | {row['status']} | {row['findings']} | {row['safe']} | {row['unsafe']} "
                f"| {row['manual']} | {cells} |")
        add("")
        clean = len(report["files"]) - len(listed)
        if clean:
            add(f"{clean} clean file{'s are' if clean != 1 else ' is'} not listed.")
            add("")
    if report["errors"] or report["skipped"]:
        add("## Files that could not be checked")
        add("")
        for error in report["errors"]:
            add(f"- {code(error['path'])}: {text(error['error'])}")
        for cell in report["skipped"]:
            add(f"- {code(cell['path'] + ':' + cell['where'])}: {text(cell['reason'])}")
        add("")
