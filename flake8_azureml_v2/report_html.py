"""The migration report as one self-contained HTML file.

Everything is inside the file: the styles are inline, there are no fonts,
images or scripts from anywhere else, so it opens offline, in a mail or as a
CI artifact.  The layout never needs sideways scrolling (long names and code
wrap) and prints well: the print styles open every collapsed list (a one-line
script does, as browsers print closed ``<details>`` closed), drop the colours
that waste ink and keep table rows whole.  All text is HTML-escaped.
"""

from __future__ import annotations

import re
from html import escape

from .report_markdown import summary_rows, where

STYLE = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --safe: #1a7f37; --unsafe: #9a6700; --manual: #cf222e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  max-width: 72rem; margin: 0 auto; padding: 1.5rem; overflow-wrap: anywhere; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .25rem; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
p.lead, p.meaning { color: var(--muted); margin: .25rem 0 .75rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: var(--soft); padding: 0 .25em; border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem;
  white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; table-layout: auto; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.n, th.n { text-align: right; white-space: nowrap; }
td code, td.v2 { overflow-wrap: break-word; }  /* long names break at <wbr> (after . _ / ,), not inside a word */
td.code, td.status { white-space: nowrap; }
table.summary { width: auto; min-width: 60%; }
table.codes td.v1 { min-width: 12rem; }
table.codes td.v2 { min-width: 14rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
.card b { display: block; font-size: 1.6rem; line-height: 1.2; }
.card span { color: var(--muted); font-size: .9rem; }
.safe b { color: var(--safe); } .unsafe b { color: var(--unsafe); } .manual b { color: var(--manual); }
.bar { display: flex; height: .8rem; border-radius: 4px; overflow: hidden; background: var(--soft); margin: .5rem 0; }
.bar i { display: block; } .bar .s { background: var(--safe); } .bar .u { background: var(--unsafe); }
.bar .m { background: var(--manual); }
.status { white-space: nowrap; font-weight: 600; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: .75rem; }
details { margin: .25rem 0 .75rem; } summary { cursor: pointer; color: var(--muted); }
ul.locations { margin: .25rem 0; padding-left: 1.25rem; font-size: .92rem; }
ul.locations li { margin: .1rem 0; }
@media screen and (max-width: 48rem) {  /* phones; paper keeps the tables */
  body { padding: .75rem; }
  table.stack thead { display: none; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: auto; min-width: 0; }
  table.stack tr { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; padding: .25rem .5rem; }
  table.stack td { border: 0; padding: .1rem 0; text-align: left; white-space: normal; }
  table.stack td.n, table.stack td.cells { display: inline-block; margin-right: 1rem; }
  table.stack td.n::before, table.stack td.cells::before, table.stack td.status::before {
    content: attr(data-label) ": "; color: var(--muted); }
  table.stack td.cells:empty { display: none; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .card, pre, tr { break-inside: avoid; }  /* a long table may span pages, its rows may not */
  h2, h3, h4 { break-after: avoid; }
  summary { display: none; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; color: var(--muted);
    overflow-wrap: anywhere; }
  td.code a::after { content: none; }  /* the table must fit the page; manual work prints each article */
}
"""

# Browsers print a closed <details> closed; open them all first.
PRINT_SCRIPT = "addEventListener('beforeprint',()=>document.querySelectorAll('details').forEach(d=>d.open=true));"


def e(value: object) -> str:
    return escape(str(value), quote=True)


def render(report: dict) -> str:
    summary = report["summary"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Azure ML SDK v1 to v2 migration report</title>",
        f"<style>{STYLE}</style><script>{PRINT_SCRIPT}</script></head><body>",
        "<h1>Azure ML SDK v1 to v2 migration report</h1>",
        f'<p class="lead"><code>azureml-v2 report {e(" ".join(report["paths"]))}</code>, azureml-v2 '
        f"{e(report['tool']['version'])}. Nothing was changed: the fixes below are what "
        "<code>azureml-v2 fix</code> would do.</p>",
        "<h2>Summary</h2>",
        _cards(summary),
        _bar(summary),
        '<table class="summary">',
        *(f'<tr><th>{_inline_code(label)}</th><td class="n">{e(value)}</td></tr>' for label, value in summary_rows(summary)),
        "</table>",
        f"<p>Files: {summary['files_clean']} clean, {summary['files_fully_fixable']} fully fixable, "
        f"{summary['files_partly_fixable']} partly fixable, {summary['files_manual_only']} manual only"
        + (f", {summary['files_not_checked']} not checked" if summary["files_not_checked"] else "") + ".</p>",
        _codes(report["codes"]),
        _example(report["example"]),
        _manual(report),
        _files(report),
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _inline_code(label: str) -> str:
    """Backticks in a label become <code> (the labels are shared with the Markdown)."""
    pieces = e(label).split("`")
    return "".join(f"<code>{piece}</code>" if n % 2 else piece for n, piece in enumerate(pieces))


def _cards(summary: dict) -> str:
    cards = [
        ("", summary["files_scanned"], "files scanned"),
        ("", summary["files_with_v1"], "files with v1 code"),
        ("", summary["findings"], "findings"),
        ("safe", summary["safe"], "fixed by azureml-v2 fix"),
        ("unsafe", summary["unsafe"], "more with --unsafe-fixes"),
        ("manual", summary["manual"], "left for people"),
        ("", f"{summary['migration_ready_share']}%", "of files migration-ready"),
    ]
    body = "".join(f'<div class="card {kind}"><b>{e(value)}</b><span>{e(label)}</span></div>'
                   for kind, value, label in cards)
    return f'<div class="cards">{body}</div>'


def _bar(summary: dict) -> str:
    total = summary["findings"] or 1
    spans = "".join(f'<i class="{cls}" style="width:{100 * summary[key] / total:.2f}%" title="{e(title)}"></i>'
                    for cls, key, title in (("s", "safe", "safe fixes"), ("u", "unsafe", "unsafe fixes"),
                                            ("m", "manual", "manual")))
    return f'<div class="bar" role="img" aria-label="share of findings by fix">{spans}</div>'


def _table(cls: str, headers: list[tuple[str, str]], rows: list[list[str]]) -> str:
    """A table whose cells carry their header (``data-label``), so narrow screens can stack them."""
    head = "".join(f'<th class="{kind}">{e(title)}</th>' for title, kind in headers)
    body = "".join("<tr>" + "".join(f'<td class="{kind}" data-label="{e(title)}">{cell}</td>'
                                    for (title, kind), cell in zip(headers, row)) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


COUNTS = [("Findings", "n"), ("Safe fix", "n"), ("Unsafe fix", "n"), ("Manual", "n")]


def _breakable(text: str) -> str:
    """Escaped ``text`` with a line-break opportunity after each ``_``, ``/``, ``,`` and each
    ``.`` before a name (not inside ``...``), so that a long dotted name or path wraps
    between its parts in a narrow column."""
    return re.sub(r"(\.(?=\w)|[_/,])", r"\1<wbr>", e(text))


def _codes(codes: list[dict]) -> str:
    if not codes:
        return ""
    rows = [[f'<a href="{e(row.get("article", ""))}">{e(row["code"])}</a>',
             f'<code>{_breakable(row.get("v1", ""))}</code>',
             _breakable(row.get("v2", "")), str(row["findings"]), str(row["safe"]), str(row["unsafe"]), str(row["manual"])]
            for row in codes]
    return "<h3>Findings by code</h3>" + _table(
        "codes stack", [("Code", "code"), ("v1", "v1"), ("v2 equivalent", "v2"), *COUNTS], rows)


def _example(example: dict | None) -> str:
    if not example:
        return ""
    flag = " --unsafe-fixes" if example["applicability"] == "unsafe" else ""
    return (f"<h2>Example: the most common fix ({e(example['code'])})</h2>"
            f"<p>From <code>{e(where(example))}</code>: {e(example['description'])} "
            f"(<code>azureml-v2 fix{flag}</code>).</p>"
            f'<div class="pair"><div><h4>Before</h4><pre>{e(example["before"])}</pre></div>'
            f'<div><h4>After</h4><pre>{e(example["after"])}</pre></div></div>')


def _manual(report: dict) -> str:
    sections, defaults = report["manual"], report["defaults_to_check"]
    if not sections and not defaults:
        return ""
    out = ["<h2>Manual work</h2>"]
    for section in sections:
        out.append(f"<h3>{e(section['title'])} ({section['count']})</h3>")
        out.append(f'<p class="meaning">{e(section["meaning"])}</p>')
        for row in section["codes"]:
            out.append(f"<h4>{e(row['code'])} <code>{e(row.get('v1', ''))}</code>: {row['count']}</h4>")
            links = [f"v2: {e(row['v2'])}"] if row.get("v2") else []
            if row.get("article"):
                links.append(f'<a href="{e(row["article"])}">Microsoft article</a>')
            if row.get("docs"):
                links.append(f"docs: <code>{e(row['docs'])}</code>")
            out.append(f"<p>{'. '.join(links)}</p>")
            items = "".join(f"<li><code>{e(where(loc))}</code>: {e(loc['reason'])}</li>" for loc in row["locations"])
            count = row["count"]
            out.append(f"<details><summary>{count} location{'s' if count != 1 else ''}</summary>"
                       f'<ul class="locations">{items}</ul></details>')
    if defaults:
        out.append(f"<h3>Documented defaults to check ({len(defaults)})</h3>")
        out.append('<p class="meaning">fix writes these as <code># TODO(azureml-v2)</code> comments or notes what '
                   "it assumed; check each by hand.</p>")
        items = "".join(f"<li><code>{e(where(d))}</code> {e(d['code'])} ({e(d['applicability'])} fix: {e(d['fix'])}): "
                        f"{e(d['check'])}</li>" for d in defaults)
        out.append(f'<ul class="locations">{items}</ul>')
    return "\n".join(out)


def _files(report: dict) -> str:
    listed = [row for row in report["files"] if row["status"] != "clean"]
    out = []
    if listed:
        rows = [[f'<code>{_breakable(row["path"])}</code>', e(row["status"]), str(row["findings"]), str(row["safe"]),
                 str(row["unsafe"]), str(row["manual"]), e(", ".join(map(str, row["cells"])))] for row in listed]
        out.append("<h2>Files</h2>" + _table("files stack", [("File", "path"), ("Status", "status"), *COUNTS,
                                                              ("Cells", "cells")], rows))
        clean = len(report["files"]) - len(listed)
        if clean:
            out.append(f"<p>{clean} clean file{'s are' if clean != 1 else ' is'} not listed.</p>")
    if report["errors"] or report["skipped"]:
        items = "".join(f"<li><code>{e(err['path'])}</code>: {e(err['error'])}</li>" for err in report["errors"])
        items += "".join(f"<li><code>{e(cell['path'])}:{e(cell['where'])}</code>: {e(cell['reason'])}</li>"
                         for cell in report["skipped"])
        out.append(f"<h2>Files that could not be checked</h2><ul>{items}</ul>")
    return "\n".join(out)
