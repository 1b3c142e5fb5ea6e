"""Results worked out from a file's content, kept for the rest of the run.

The fixer asks project-wide questions (who launches this script, who reads these metrics)
for every file it fixes, and each question reads the same other files again.  What is
worked out from one content is kept under a digest of it, so a file changed during the run
is simply a new key, and the cache never holds the (possibly large) content itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ByContent(Generic[T]):
    """At most ``kept`` results, the least recently used dropped first."""

    def __init__(self, kept: int) -> None:
        self._kept = kept
        self._found: dict[bytes, T] = {}

    def get(self, content: str | bytes, make: Callable[[], T]) -> T:
        """The result for ``content``, made by ``make`` the first time (a result that raises is not kept)."""
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        key = hashlib.blake2b(data, digest_size=16).digest()
        found = self._found.pop(key) if key in self._found else make()
        self._found[key] = found  # (the most recently used last)
        if len(self._found) > self._kept:
            del self._found[next(iter(self._found))]
        return found
