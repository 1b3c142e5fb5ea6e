"""The API a migration moves away from, as the engine sees it: data, passed in.

The engine resolves names against a :class:`Surface` and knows nothing else of
the library it describes; a project builds one from its tables and hands it to
:func:`~.analysis.analyse` and the fixer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Surface:
    # A file that never contains this text cannot use the API: one substring test.
    marker: str
    # True for a qualified name (module, class, function) of the old API.
    is_target: Callable[[str], bool]
    # Every importable spelling of a class -> its canonical qualified name.
    canonical: Callable[[str], str]
    # Canonical names of the classes whose instances the name model follows.
    classes: frozenset[str]
    # Qualified name of a function or class method -> the class of what it returns.
    call_returns: Mapping[str, str]
    # (class, method) -> the class of what it returns, following the hierarchy.
    method_return: Callable[[str, str], "str | None"]
    # (class, attribute) -> the class of what it holds, following the hierarchy;
    # (class, "attribute[]") -> the class of an item of a mapping attribute.
    attribute_type: Callable[[str, str], "str | None"]
    # True when an instance of the first class can stand where the second is wanted.
    is_subtype: Callable[[str, str], bool]
    # Module -> {name: canonical} that ``from module import *`` binds.
    star_exports: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Callables that name a script file: qualname -> (script parameter, its
    # position, folder parameter, its position); positions may be None.
    script_parameters: Mapping[str, tuple[str, "int | None", str, "int | None"]] = field(default_factory=dict)
    # Functions that join path parts and return the joined string.
    path_joins: frozenset[str] = frozenset({"os.path.join", "posixpath.join"})

    def is_target_module(self, module: str) -> bool:
        return module == self.marker or self.is_target(module)
