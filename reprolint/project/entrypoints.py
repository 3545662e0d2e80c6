"""Entrypoints of the project model: main guards, console scripts, notebooks, scripts that README or shell
commands run, and flat scripts that run at import."""
from __future__ import annotations

import configparser
import posixpath
import re
from functools import cached_property
from typing import Iterator, NamedTuple, Optional

from reprolint.discover import NOTEBOOK, PYTHON, README, SCRIPT
from reprolint.project.commands import launches
from reprolint.project.files import SourceFile


def _continued(text: str) -> list:
    """The lines of a text, each with the lines a trailing backslash continues it with."""
    lines, pending = [], ""
    for line in text.splitlines():
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    return lines + ([pending] if pending else [])


class Entrypoint(NamedTuple):
    rel: str
    # "script" (a main guard), "console-script", "notebook", "command" (run by a README or shell script),
    # "top-level" (a flat script that runs at import: not in a package, imported by no repository file)
    kind: str
    line: int
    function: Optional[str]  # the function a console script calls; None runs the module's top level


_CONSOLE_SCRIPT = re.compile(r"^\s*([\w.-]+)\s*=\s*([\w.]+)\s*:\s*([\w.]+)")

# Modules that tools import by name (torch.hub, Sphinx, nox, invoke, fabric, doit): not scripts someone runs.
_LOADED_BY_TOOLS = {"hubconf.py", "conf.py", "noxfile.py", "tasks.py", "fabfile.py", "dodo.py", "__main__.py"}

_LAUNCHER = re.compile(r"\b(python[\d.]*|torchrun|accelerate\s+launch|deepspeed|srun|mpirun|horovodrun)\b")




class Entrypoints:
    """Where a run of the repository starts."""

    @cached_property
    def entrypoints(self) -> list[Entrypoint]:
        found = [Entrypoint(f.rel, "script", f.facts.python.main_guard, None)
                 for f in self.python_files if f.facts.python.main_guard and f.kind == PYTHON]
        found += [Entrypoint(f.rel, "notebook", 1, None) for f in self.python_files if f.kind == NOTEBOOK]
        scripts = {e.rel for e in found}
        found += [Entrypoint(rel, "command", 1, None) for rel in sorted(self.commanded_scripts - scripts)]
        scripts |= {e.rel for e in found}
        found += [Entrypoint(f.rel, "top-level", 1, None) for f in self._top_level_scripts() if f.rel not in scripts]
        for target in self.console_scripts.values():
            module, _, function = target.partition(":")
            rel = self.resolve_module("", module)
            if rel and rel in self.files:
                line = (self.files[rel].facts.python.functions.get(function, (1,))[0]
                        if self.files[rel].facts.python else 1)
                found.append(Entrypoint(rel, "console-script", line, function))
        return sorted(set(found))

    def _top_level_scripts(self) -> list[SourceFile]:
        """Flat research scripts without a main guard (`python bagging_random_forest.py`): a Python file outside
        any package, that no repository file imports, and that calls something at module level."""
        imported = self.imported_files
        return [f for f in self.python_files
                if f.kind == PYTHON and f.name not in _LOADED_BY_TOOLS and f.rel not in imported and
                posixpath.join(f.directory, "__init__.py") not in self.files and
                any(c.scope == "" for c in f.facts.python.calls)]

    @cached_property
    def commanded_scripts(self) -> frozenset:
        """Python files a README or shell script runs (`python train.py`, `torchrun ... tools/train.py`,
        `python -m pkg.train`): entrypoints even without a main guard."""
        return frozenset(self.command_arguments)

    @cached_property
    def command_arguments(self) -> dict:
        """Python file -> the arguments of each README or shell-script command that runs it (a command continued
        over lines with a trailing backslash is one command)."""
        found: dict = {}
        for file in self.files.values():
            if file.kind not in (README, SCRIPT) or not file.facts.text:
                continue
            folder = "" if file.kind == README else file.directory
            for line in _continued(file.facts.text):
                if not _LAUNCHER.search(line):
                    continue  # most lines: no command (a cheap test before the shell-like split)
                for launch in launches(self, line, folder):
                    # `python ${repo}/bin/train.py`: a script under a variable root is the repository's one of
                    # that name
                    rel = launch.resolved if launch.resolved in self.files else \
                        None if launch.is_module else self.relocated(launch.target)
                    if rel in self.files and self.files[rel].facts.python:
                        found.setdefault(rel, []).append(launch.arguments)
        return found

    def relocated(self, path: str) -> Optional[str]:
        """The one repository file with a path's name, when the path itself does not exist: a script the README
        runs from the wrong folder (`python train.py` for `src/train.py`) is still the script it means."""
        matches = self.paths_by_name.get(posixpath.basename(path), ())
        return matches[0] if len(matches) == 1 else None

    @cached_property
    def paths_by_name(self) -> dict:
        """File name -> the repository paths that have it."""
        names: dict = {}
        for rel in sorted(self.all_paths):
            names.setdefault(posixpath.basename(rel), []).append(rel)
        return names

    @cached_property
    def imported_files(self) -> frozenset:
        """The repository's files that another of its files imports."""
        return frozenset().union(*self.import_graph.values()) if self.import_graph else frozenset()

    @cached_property
    def distribution_names(self) -> frozenset:
        """The names the manifests give the repository's own distribution (normalised): what `pip install NAME`
        installs from PyPI, and what a requirements file may list to install the repository itself."""
        from reprolint.knowledge.distributions import normalise

        names = set()
        for file in self.manifests:
            data = file.facts.data if isinstance(file.facts.data, dict) else {}
            if file.name == "pyproject.toml":
                names |= {(data.get("project") or {}).get("name"),
                          ((data.get("tool") or {}).get("poetry") or {}).get("name")}
            elif file.name == "setup.cfg" and file.facts.text:
                parser = configparser.ConfigParser(interpolation=None)
                try:
                    parser.read_string(file.facts.text)
                    names.add(parser.get("metadata", "name", fallback=None))
                except configparser.Error:
                    continue
            elif file.name == "setup.py" and file.facts.python:
                names |= {c.kwargs.get("name") for c in file.facts.python.calls if c.name.endswith("setup")}
        return frozenset(normalise(n) for n in names if isinstance(n, str) and n)

    @cached_property
    def console_scripts(self) -> dict[str, str]:
        """Command name -> `module:function`, for each console script the manifests declare."""
        return dict(self._console_scripts())

    def _console_scripts(self) -> Iterator[tuple[str, str]]:
        """(name, `module:function`) of each console script declared in pyproject.toml, setup.cfg or setup.py."""
        for file in self.manifests:
            if file.name == "pyproject.toml" and isinstance(file.facts.data, dict):
                data = file.facts.data
                tables = [data.get("project", {}).get("scripts", {}),
                          data.get("tool", {}).get("poetry", {}).get("scripts", {})]
                for table in tables:
                    if isinstance(table, dict):
                        yield from ((k, v) for k, v in table.items() if isinstance(v, str))
            elif file.name == "setup.cfg" and file.facts.text:
                parser = configparser.ConfigParser(interpolation=None)
                try:
                    parser.read_string(file.facts.text)
                    lines = parser.get("options.entry_points", "console_scripts", fallback="").splitlines()
                except configparser.Error:
                    continue
                yield from self._entry_point_specs(lines)
            elif file.name == "setup.py" and file.facts.python:
                for call in file.facts.python.calls:
                    points = call.kwargs.get("entry_points") if call.name.endswith("setup") else None
                    if isinstance(points, dict):
                        scripts = points.get("console_scripts", [])
                        yield from self._entry_point_specs(scripts if isinstance(scripts, list) else [scripts])

    @staticmethod
    def _entry_point_specs(lines: list) -> Iterator[tuple[str, str]]:
        for line in lines:
            match = _CONSOLE_SCRIPT.match(str(line))
            if match:
                yield match.group(1), f"{match.group(2)}:{match.group(3)}"
