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

# The standard library changes with the version: whichever Python runs reprolint, a module is judged against the
# versions the analyzed project targets.
REMOVED = {  # module -> the first version without it (PEP 594, PEP 632)
    **dict.fromkeys(["distutils", "imp", "asynchat", "asyncore", "smtpd"], (3, 12)),
    **dict.fromkeys(["aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis",
                     "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib",
                     "lib2to3"], (3, 13)),
}
ADDED = {"tomllib": (3, 11), "zoneinfo": (3, 9), "graphlib": (3, 9), "_typeshed": (3, 0), "__future__": (2, 1)}


def is_stdlib(top_level: str, target: tuple = ()) -> bool:
    """Whether a module is in the standard library of `target`, the lowest Python the project supports (the
    version where an added module is missing, and past which a removed one is certainly gone); with no target,
    of some version."""
    if top_level in REMOVED:
        return not target or target < REMOVED[top_level]
    if top_level in ADDED:
        return not target or target >= ADDED[top_level]
    return top_level in _NAMES
