"""Modules imported on first use, to keep what every worker loads small.

The PDF engine (WeasyPrint, pyHanko), matplotlib and their fonts are ~100 MB of a worker's
memory, and most requests (lists, case pages, the API) never touch them. A module that needs
one names it through `lazy` and keeps its types for mypy:

    if TYPE_CHECKING:
        from sutiao.documents import render
    else:
        render = lazy("sutiao.documents.render")

The first attribute read imports the real module (once; Python caches it in sys.modules)."""

from __future__ import annotations

import importlib
import types
from typing import Any


class _Lazy(types.ModuleType):
    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attribute)


def lazy(name: str) -> types.ModuleType:
    return _Lazy(name)
