"""Report formats shared by ``azureml-v2 check --output-format`` and the flake8 formatters.

Both front ends turn their findings into :class:`Item` values and call
:func:`render`, so a CI system sees the same JSON, SARIF, annotations or JUnit
whichever tool produced them.  Columns: the text format prints flake8's
column (1-based, UTF-8 bytes) so it matches ``flake8`` line for line; the
machine-readable formats count characters (code points), and SARIF says so
(``columnKind``).

Any file name is reported, also one with control characters or bytes that are
not UTF-8 (a surrogate-escaped ``str`` on Linux), and no report can break the
terminal, the CI log or its own syntax: control characters are shown as
``\\t``, ``\\n``, ``\\x1b`` and undecodable bytes as ``\\xe9`` in every
line format and in JUnit (XML 1.0 cannot carry them at all); JSON and SARIF keep
control characters (JSON escapes them) and show undecodable bytes as ``\\xe9``,
and a SARIF artifact URI percent-encodes the file name's exact bytes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from urllib.parse import quote

from . import __version__
from .engine import Finding, Rule
from .fixability import Verdict

FORMATS = ("text", "json", "sarif", "github", "azure", "junit")
TOOL = "azureml-v2"
INFORMATION_URI = "https://pypi.org/project/flake8-azureml-v2/"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Item:
    """One finding, as any report shows it."""

    path: str
    line: int  # 1-based
    column: int  # 1-based, UTF-8 bytes (flake8's column)
    code: str
    message: str  # without the code
    end_line: int | None = None
    end_column: int | None = None  # 1-based, exclusive, code points
    char_column: int | None = None  # 1-based, code points
    cell: int | None = None  # notebook cell (1-based), when the finding is in one
    fix: Verdict | None = None  # what `fix` would do, when check was asked to find out

    @property
    def start_char_column(self) -> int:
        return self.char_column if self.char_column is not None else self.column


def item(path: str, finding: Finding, cell: int | None = None, fix: Verdict | None = None) -> Item:
    return Item(
        path=path, line=finding.line, column=finding.col + 1, code=finding.code, message=finding.message,
        end_line=finding.end_line, end_column=finding.char_end_col + 1, char_column=finding.char_col + 1, cell=cell,
        fix=fix,
    )


def fix_fields(verdict: Verdict | None) -> dict[str, object] | None:
    """A finding's fix applicability for JSON and SARIF: safe, unsafe or none, and for
    unsafe or none the reason kind and its detail."""
    if verdict is None:
        return None
    fields: dict[str, object] = {"applicability": verdict.applicability.value}
    if verdict.description:
        fields["message"] = verdict.description
    if verdict.kind is not None:
        fields["reason"] = verdict.reason_kind
        if verdict.reason:
            fields["detail"] = verdict.reason
    if verdict.todos:
        fields["todos"] = list(verdict.todos)
    return fields


def render(name: str, items: Sequence[Item]) -> str:
    """The whole report in format ``name``; '' when a line-based format has nothing to say."""
    if name not in _RENDERERS:
        raise ValueError(f"unknown output format {name!r}; choose from {', '.join(FORMATS)}")
    return _RENDERERS[name](items)


# --- escaping -------------------------------------------------------------------------------

# C0 and C1 controls, DEL, lone surrogates (undecodable bytes of a file name) and
# the two XML non-characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_char(char: str) -> str:
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # a byte that os.fsdecode could not decode
        return f"\\x{point - 0xDC00:02x}"
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{point:02x}" if point < 0x80 else f"\\u{point:04x}"  # a real C1 character


def visible(text: str, keep: str = "") -> str:
    """``text`` with every unprintable character escaped, except those in ``keep``."""
    return _UNPRINTABLE.sub(lambda m: m[0] if m[0] in keep else _escape_char(m[0]), text)


def _visible_item(entry: Item, keep: str = "") -> Item:
    path, message = visible(entry.path, keep), visible(entry.message, keep)
    if path == entry.path and message == entry.message:
        return entry
    return replace(entry, path=path, message=message)


# --- line formats -------------------------------------------------------------------------


def _lines(lines: Iterable[str]) -> str:
    text = "\n".join(lines)
    return text + "\n" if text else ""


def text_line(entry: Item) -> str:
    entry = _visible_item(entry)
    cell = f"cell {entry.cell}:" if entry.cell is not None else ""
    return f"{entry.path}:{cell}{entry.line}:{entry.column}: {entry.code} {entry.message}"


def _text(items: Sequence[Item]) -> str:
    return _lines(text_line(i) for i in items)


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_line(entry: Item) -> str:
    """A GitHub Actions workflow command: the finding shows as an annotation on the diff."""
    entry = _visible_item(entry, keep="\r\n")  # the command's own escaping takes those
    props = [("file", entry.path), ("line", str(entry.line)), ("col", str(entry.start_char_column))]
    if entry.end_line is not None:
        props.append(("endLine", str(entry.end_line)))
    props.append(("title", entry.code))
    joined = ",".join(f"{key}={_github_escape(value, True)}" for key, value in props)
    where = f"cell {entry.cell}: " if entry.cell is not None else ""
    return f"::warning {joined}::{_github_escape(where + entry.code + ' ' + entry.message)}"


def _github(items: Sequence[Item]) -> str:
    return _lines(github_line(i) for i in items)


def _azure_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(";", "%3B").replace("]", "%5D")
    return value


def azure_line(entry: Item) -> str:
    """An Azure Pipelines logging command: a warning on the build summary and the file."""
    entry = _visible_item(entry, keep="\r\n")
    props = (
        ("type", "warning"), ("sourcepath", entry.path), ("linenumber", str(entry.line)),
        ("columnnumber", str(entry.start_char_column)), ("code", entry.code),
    )
    joined = ";".join(f"{k}={_azure_escape(v, True)}" for k, v in props)
    where = f"cell {entry.cell}: " if entry.cell is not None else ""
    return f"##vso[task.logissue {joined}]{_azure_escape(where + entry.code + ' ' + entry.message)}"


def _azure(items: Sequence[Item]) -> str:
    return _lines(azure_line(i) for i in items)


# --- document formats ---------------------------------------------------------------------


def _rules() -> dict[str, Rule]:
    from .rules import all_rules

    return {rule.code: rule for rule in all_rules()}


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _json_escape(char: str) -> str:
    if _SURROGATE.match(char):  # not valid Unicode: the visible form, as a JSON string body
        return json.dumps(_escape_char(char))[1:-1]
    return f"\\u{ord(char):04x}"


def json_text(document: object, **options: object) -> str:
    """JSON that any parser reads and any terminal shows: no raw DEL, C1 or line separators,
    and undecodable bytes of a file name as ``\\xe9`` (these characters occur only inside
    strings, where an escape is valid)."""
    text = json.dumps(document, ensure_ascii=False, **options)  # type: ignore[arg-type]
    return _JSON_UNSAFE.sub(lambda m: _json_escape(m[0]), text)


def _json(items: Sequence[Item]) -> str:
    rules = _rules()
    rows = []
    for entry in items:
        rule = rules.get(entry.code)
        rows.append({
            "cell": entry.cell,
            "code": entry.code,
            "end_location": {"row": entry.end_line, "column": entry.end_column} if entry.end_line else None,
            "filename": entry.path,
            "fix": fix_fields(entry.fix),
            "location": {"row": entry.line, "column": entry.start_char_column},
            "message": entry.message,
            "url": rule.url if rule else None,
        })
    return json_text(rows, indent=2, sort_keys=True) + "\n"


def artifact_uri(path: str) -> dict[str, str]:
    """A SARIF artifactLocation: relative paths against the checkout root, others as file URIs.

    The URI percent-encodes the file name's bytes, so it names the file exactly whatever its name."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": PurePath(os.path.abspath(path)).as_uri()}
    posix = pure.as_posix()
    while posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(os.fsencode(posix)), "uriBaseId": "%SRCROOT%"}


def _sarif_rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.default_message},
        "fullDescription": {"text": rule.why},
        "helpUri": rule.url,
        "help": {
            "text": f"{rule.default_message}\n\nUse instead:\n{rule.use_instead}\n\nSee {rule.url}",
            "markdown": (f"{rule.default_message}\n\n**Use instead**\n\n```python\n{rule.use_instead.rstrip()}\n```"
                         f"\n\n[Migration guide]({rule.url})"),
        },
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["azureml-v1", rule.family.value], "fix-safety": rule.fix_safety.value},
    }


def sarif_document(items: Sequence[Item]) -> dict[str, object]:
    """SARIF 2.1.0 with every AML rule's metadata, as GitHub code scanning reads it."""
    known = _rules()
    descriptors = [_sarif_rule(rule) for rule in known.values()]
    index = {rule.code: n for n, rule in enumerate(known.values())}
    for code in sorted({i.code for i in items} - set(index)):  # other flake8 codes
        index[code] = len(descriptors)
        descriptors.append({"id": code, "defaultConfiguration": {"level": "warning"}})
    results = []
    for entry in items:
        region: dict[str, int] = {"startLine": entry.line, "startColumn": entry.start_char_column}
        if entry.end_line is not None and entry.end_column is not None:
            region.update(endLine=entry.end_line, endColumn=entry.end_column)
        result: dict[str, object] = {
            "ruleId": entry.code,
            "ruleIndex": index[entry.code],
            "level": "warning",
            "message": {"text": f"{entry.code} {entry.message}"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_uri(entry.path), "region": region}}],
        }
        properties: dict[str, object] = {}
        if entry.cell is not None:
            properties["cell"] = entry.cell
        fix = fix_fields(entry.fix)
        if fix is not None:
            properties["fix"] = fix
        if properties:
            result["properties"] = properties
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL, "version": __version__, "informationUri": INFORMATION_URI, "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": PurePath(os.getcwd()).as_uri() + "/"}},
            "results": results,
        }],
    }


def _sarif(items: Sequence[Item]) -> str:
    return json_text(sarif_document(items), indent=2) + "\n"


def _junit(items: Sequence[Item]) -> str:
    """JUnit XML: one test suite per file, one failing test case per finding.

    XML 1.0 has no way to write a control character (not even as a reference), so
    paths and messages are escaped before they reach the tree."""
    # loaded only for this format: every other check starts faster
    from xml.etree import ElementTree

    items = [_visible_item(entry) for entry in items]
    root = ElementTree.Element("testsuites", name=TOOL, tests=str(len(items)), failures=str(len(items)))
    by_path: dict[str, list[Item]] = {}
    for entry in items:
        by_path.setdefault(entry.path, []).append(entry)
    if not by_path:
        suite = ElementTree.SubElement(root, "testsuite", name=TOOL, tests="1", failures="0")
        ElementTree.SubElement(suite, "testcase", name="no findings", classname=TOOL)
    for path, entries in by_path.items():
        suite = ElementTree.SubElement(root, "testsuite", name=path, tests=str(len(entries)), failures=str(len(entries)))
        for entry in entries:
            where = f"cell {entry.cell}:" if entry.cell is not None else ""
            case = ElementTree.SubElement(suite, "testcase", name=f"{entry.code} {where}{entry.line}:{entry.start_char_column}",
                                          classname=path, file=path, line=str(entry.line))
            failure = ElementTree.SubElement(case, "failure", message=entry.message, type=entry.code)
            failure.text = text_line(entry)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def write_report(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file at ``path`` with ``text`` in UTF-8, atomically.

    The bytes are produced first, then written to a temporary file next to the
    target and renamed over it: a crash, a full disk or Ctrl-C leaves the old file
    (or none), never a 0-byte or half report.  An existing file keeps its mode, a
    new one gets the usual mode; a symlink is written through, as ``open(path, "w")``
    would."""
    data = text.encode("utf-8")
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        from .writing import replace_file

        replace_file(target, data)
        return
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)  # created as open() creates files: 0o666 less the umask
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


_RENDERERS = {
    "text": _text, "json": _json, "sarif": _sarif, "github": _github, "azure": _azure, "junit": _junit,
}
