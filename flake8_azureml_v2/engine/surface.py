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
    # Modules imported for what importing them does, not for a name they bind: module ->
    # why the import stays when nothing reads it (it and its submodules are never removed).
    import_side_effects: Mapping[str, str] = field(default_factory=dict)
    # Exceptions of other libraries that the old API lets through (its HTTP client's): a
    # handler for one catches the old code's failures, as a handler for its own would.
    foreign_exceptions: frozenset[str] = frozenset()

    def is_target_module(self, module: str) -> bool:
        return module == self.marker or self.is_target(module)

    def side_effect_of(self, dotted: str) -> str | None:
        """Why importing ``dotted`` (a module, not a name from one) matters, or None."""
        for module, why in self.import_side_effects.items():
            if dotted == module or dotted.startswith(module + ".") and dotted.rsplit(".", 1)[1].islower():
                return why
        return None

    def is_removable_import(self, dotted: str) -> bool:
        """An import of ``dotted`` may go once nothing reads what it binds."""
        return self.is_target(dotted) and self.side_effect_of(dotted) is None
