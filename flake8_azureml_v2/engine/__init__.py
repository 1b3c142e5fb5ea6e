"""The detection engine: parsing, name resolution, findings and (later) edits.

It knows nothing of flake8, the command line, notebooks or output formats;
those are thin adapters around :func:`analyse`.
"""

from .analysis import Analysis, analyse
from .findings import Finding
from .rule import FixSafety, Rule
from .settings import Settings
from .source import SourceError, SourceText, decode, parse

__all__ = [
    "Analysis", "Finding", "FixSafety", "Rule", "Settings", "SourceError",
    "SourceText", "analyse", "decode", "parse",
]
