"""The standard library's top-level module names, so that `import os` is never taken for a dependency."""
from __future__ import annotations

import sys

if sys.version_info >= (3, 10):
    _NAMES = frozenset(sys.stdlib_module_names)
else:  # pragma: no cover - Python 3.9 has no list of its own: read the installed standard library
    import pkgutil
    import sysconfig

    _NAMES = frozenset(sys.builtin_module_names) | frozenset(
        m.name for m in pkgutil.iter_modules([sysconfig.get_paths()["stdlib"]]))

# Modules a Python installation ships outside the list, or that old code still imports.
_EXTRA = frozenset({"__future__", "_typeshed", "distutils", "imp", "asynchat", "asyncore"})


def is_stdlib(top_level: str) -> bool:
    return top_level in _NAMES or top_level in _EXTRA
