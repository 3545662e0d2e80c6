"""The vocabulary of per-file facts: plain data, cached by content hash."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

MAIN = "<main>"  # the scope of the body of `if __name__ == "__main__":`
STRUCTURED_DATA_LIMIT = 1024 * 1024  # bigger JSON/YAML files are data sets, not configs
# Lock files, by name, and the format each is written in.
LOCK_FILES = {"uv.lock": "toml", "poetry.lock": "toml", "pdm.lock": "toml", "pipfile.lock": "json",
              "conda-lock.yml": "yml", "conda-lock.yaml": "yml"}


class Ref(NamedTuple):
    """An argument or value that is not a literal: a name, an attribute, a call, or another expression."""

    kind: str  # "name" | "attr" | "call" | "expr"
    text: str  # qualified name for name/attr/call, the node type for expr


class Import(NamedTuple):
    module: str  # absolute dotted module, or with leading dots for a relative import
    name: Optional[str]  # the imported member for `from module import name`
    alias: str  # the name bound in this file
    line: int
    guarded: bool  # inside a `try:` body or under a `sys.version_info` test: needed on some installs only
    type_only: bool = False  # under `if TYPE_CHECKING:`: never executed


class Call(NamedTuple):
    name: str  # qualified when its root is an imported name; `?` stands for a base that is not a name
    line: int
    col: int
    scope: str  # "" module level, MAIN, or the qualified name of the enclosing function
    args: tuple  # literal values, or Ref for what is not literal
    kwargs: dict  # keyword -> literal or Ref; `**x` appears under "**"


class Assign(NamedTuple):
    target: str  # qualified: a name, `a.b.c`, or `os.environ[KEY]`
    value: Any  # literal or Ref
    line: int
    col: int
    scope: str


def member_of(module: str, name: str) -> str:
    """The dotted name of a module's member: `pkg.mod` + `f` is `pkg.mod.f`; `..` + `f` is `..f`."""
    return (module if module.endswith(".") else module + ".") + name


class ParseError(NamedTuple):
    line: int
    col: int
    message: str


class Loop(NamedTuple):
    """`for epoch in range(200):` with literal bounds: a loop whose length may be a hyperparameter."""

    target: str
    bound: Any  # the range's stop: an int literal, or a Ref
    line: int
    col: int
    scope: str


@dataclass
class PyFacts:
    imports: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    assigns: list = field(default_factory=list)
    functions: dict = field(default_factory=dict)  # qualified name -> (line, parameter names)
    main_guard: Optional[int] = None
    loops: list = field(default_factory=list)  # Loop, for `for x in range(...)` statements
    bases: dict = field(default_factory=dict)  # class qualname -> the dotted names of its bases, resolved


class FileSkipped(Exception):
    """A file left out on purpose; its message, the reason, becomes a note of the run."""


@dataclass
class FileFacts:
    errors: list = field(default_factory=list)  # ParseError; several for a notebook with several broken cells
    suppressions: dict = field(default_factory=dict)  # line -> codes suppressed there ("ALL" for every code)
    file_ignores: tuple = ()
    python: Optional[PyFacts] = None
    data: Any = None  # parsed TOML / YAML / JSON for manifests and configs
    cells: Optional[list] = None  # notebooks: combined source line - 1 -> (cell number, line in cell)
    text: Optional[str] = None  # READMEs and manifests keep their text for the rules that read it
    # [line, col, value, option] of each path of the author's machine: in code (option: the flag whose default it
    # is, or ""), and in configs and shell scripts (option: the config key or "")
    machine_paths: list = field(default_factory=list)
