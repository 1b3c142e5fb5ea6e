"""Every Azure ML translation: what each v1 construct becomes in SDK v2 and MLflow.

The engine plans, applies and verifies rewrites; the modules here build them.
Rules name their fixer lazily (:func:`fixer`), so checking never imports this
package's translations.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

_NAMED: set[str] = set()  # the modules the rules' fixers name


def fixer(module: str, function: str = "fix") -> Callable[..., Iterator[Any]]:
    """A rule's fixer that imports ``migrations.<module>`` on its first call."""
    loaded: list[Callable[..., Iterator[Any]]] = []
    _NAMED.add(module)

    def run(ctx: Any) -> Iterator[Any]:
        if not loaded:
            loaded.append(getattr(importlib.import_module(f"{__name__}.{module}"), function))
        return loaded[0](ctx)

    run.__qualname__ = f"fixer({module}.{function})"
    return run


def preload() -> None:
    """Import the fixer and every translation the rules name now: a process about to fork
    workers that fix saves each of them importing it all again."""
    importlib.import_module("..engine.fixing.driver", __name__)
    for module in sorted(_NAMED):
        importlib.import_module(f"{__name__}.{module}")
