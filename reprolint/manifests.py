"""Every dependency manifest of a repository read into one model: what is declared, where (file and line),
from which package indexes, for which Python, and what the lock files pin.

Read with real parsers (pip-requirements-parser, tomllib, PyYAML, configparser, libcst for setup.py), from the
facts the engine already extracted; nothing is installed or run.
"""
from __future__ import annotations

import configparser
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Optional

from reprolint.discover import NOTEBOOK, README, SCRIPT
from reprolint.distributions import CONDA_TO_PIP, normalise

PIP, CONDA, POETRY = "pip", "conda", "poetry"  # the dialect a specifier is written in
COMMAND = "command"  # the group of packages that an install command installs, outside any manifest


class Dependency(NamedTuple):
    name: str  # normalised distribution name (PEP 503)
    specifier: str  # "" when unpinned; in the dialect of `dialect`
    rel: str  # the manifest that declares it
    line: int
    dialect: str = PIP
    group: str = ""  # "" for the main dependencies, else the extra, group or requirements file's purpose
    url: str = ""  # a direct reference (`name @ https://...whl`, a VCS URL)


class Index(NamedTuple):
    """A place packages are installed from, besides PyPI."""

    url: str  # for conda channels, the channel name
    rel: str
    line: int
    how: str  # index-url | extra-index-url | find-links | uv-index | poetry-source | pdm-source | pipfile-source |
    #           conda-channel | instruction (a README, script or Dockerfile command that installs from it)
    name: str = ""  # the index's name, for uv, Poetry and PDM sources that dependencies refer to


class PythonVersion(NamedTuple):
    spec: str
    rel: str
    line: int


class Problem(NamedTuple):
    """A manifest that pip or setup would fail on: a line that does not parse, a missing or cyclic include."""

    rel: str
    line: int
    message: str


@dataclass
class Manifests:
    dependencies: list = field(default_factory=list)
    indexes: list = field(default_factory=list)
    python_versions: list = field(default_factory=list)
    locks: dict = field(default_factory=dict)  # lock file -> {normalised name: version}
    problems: list = field(default_factory=list)
    # routed dependencies: normalised name -> the index names uv, Poetry or PDM send it to
    sources: dict = field(default_factory=dict)
    publishes_package: bool = False  # a [project] table with a build backend: a library, judged by ranges

    def declared(self, *names: str) -> list:
        wanted = {normalise(n) for n in names}
        return [d for d in self.dependencies if d.name in wanted]


_PYTORCH_INDEX = re.compile(r"https?://download\.pytorch\.org/whl[\w/.+-]*")
_REQUIREMENTS_NAME = re.compile(r"(^|/)[^/]*(requirements|constraints)[^/]*\.(txt|in)$|^requirements/[^/]+\.(txt|in)$")
_GROUP_OF_FILE = re.compile(r"requirements[-_.]?([\w-]*)\.(?:txt|in)$")


def read_manifests(project) -> Manifests:
    found = Manifests()
    requirements = _RequirementsReader(project.root, project.files, found)
    for file in sorted(project.manifests, key=lambda f: f.rel):
        name = file.name.lower()
        data = file.facts.data
        if _REQUIREMENTS_NAME.search(file.rel.lower()):
            requirements.read(file.rel)
        elif name == "pyproject.toml" and isinstance(data, dict):
            _read_pyproject(file, data, found)
        elif name == "setup.py" and isinstance(data, dict):
            _read_setup_py(file, data, found, requirements)
        elif name == "setup.cfg" and file.facts.text:
            _read_setup_cfg(file, found)
        elif name == "pipfile" and isinstance(data, dict):
            _read_pipfile(file, data, found)
        elif name in ("uv.lock", "poetry.lock", "pdm.lock", "pipfile.lock", "conda-lock.yml", "conda-lock.yaml"):
            if isinstance(data, dict):
                found.locks[file.rel] = data
        elif name.endswith((".yml", ".yaml")) and isinstance(data, dict):
            _read_conda(file, data, found, requirements)
        elif name in (".python-version", "runtime.txt") and file.facts.text and file.facts.text.strip():
            found.python_versions.append(PythonVersion(file.facts.text.strip().splitlines()[0], file.rel, 1))
        elif name.startswith("dockerfile") and file.facts.text:
            _read_dockerfile(file, found)
    _read_instructions(project, found)
    return found


# ---------------------------------------------------------------- requirements files

class _RequirementsReader:
    """requirements*.txt and *.in, with `-r`/`-c` includes followed once each and cycles reported."""

    def __init__(self, root: Path, files: dict, found: Manifests):
        self.root = root
        self.files = files
        self.found = found
        self.done: set = set()

    def read(self, rel: str, chain: tuple = ()) -> None:
        if rel in chain:
            return
        if rel in self.done:
            return
        self.done.add(rel)
        from pip_requirements_parser import RequirementsFile

        # from_file, not from_string: 32.0.1's from_string raises NameError. include_nested=False: includes are
        # followed here, relative to the including file, with their own file and line.
        try:
            parsed = RequirementsFile.from_file(str(self.root / rel), include_nested=False)
        except Exception as exc:  # the parser's own failures, or an unreadable file
            self.found.problems.append(Problem(rel, 1, f"cannot be read as a requirements file: {exc}"))
            return
        group = _requirements_group(rel)
        for requirement in parsed.requirements:
            self._requirement(requirement, rel, group)
        for invalid in parsed.invalid_lines:
            reason = str(invalid.error_message).splitlines()[0]
            self.found.problems.append(Problem(rel, invalid.line_number or 1, f"pip cannot parse this line: {reason}"))
        for option in parsed.options:
            self._option(option.options, rel, option.line_number or 1, chain + (rel,))

    def _requirement(self, requirement, rel: str, group: str) -> None:
        if not requirement.name:  # `-e .` or a local path: the project itself, not a dependency
            return
        url = requirement.link.url if requirement.link is not None else ""
        self.found.dependencies.append(Dependency(normalise(requirement.name), str(requirement.specifier or ""),
                                                  rel, requirement.line_number or 1, PIP, group, url))

    def _option(self, options: dict, rel: str, line: int, chain: tuple) -> None:
        for key, how in (("index_url", "index-url"), ("extra_index_urls", "extra-index-url"),
                         ("find_links", "find-links")):
            values = options.get(key) or []
            for url in [values] if isinstance(values, str) else values:
                self.found.indexes.append(Index(url, rel, line, how))
        for key in ("requirements", "constraints"):
            for target in options.get(key) or []:
                self.include(rel, target, line, chain)

    def include(self, rel: str, target: str, line: int, chain: tuple) -> None:
        if "://" in target:
            return  # a remote file: nothing to check offline
        included = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target.removeprefix("file:")))
        if included in chain:
            cycle = " -> ".join(chain[chain.index(included):] + (included,))
            self.found.problems.append(Problem(rel, line, f"requirements include cycle: {cycle}"))
        elif included.startswith("../") or not (self.root / included).is_file():
            self.found.problems.append(Problem(rel, line, f"includes {target}, which does not exist in the "
                                                          f"repository"))
        else:
            self.read(included, chain)


def _requirements_group(rel: str) -> str:
    """`requirements-dev.txt` -> dev, `requirements/docs.txt` -> docs, `requirements.txt` -> ''."""
    name = rel.rsplit("/", 1)[-1].lower()
    match = _GROUP_OF_FILE.search(name)
    if match:
        return match.group(1).strip("-_")
    if "/requirements/" in "/" + rel.lower():
        return name.rsplit(".", 1)[0] if name.rsplit(".", 1)[0] not in ("base", "main", "runtime") else ""
    return ""


# ---------------------------------------------------------------- pyproject.toml, setup.py, setup.cfg, Pipfile

def _pep508(spec: str, rel: str, line: int, group: str = "") -> Optional[Dependency]:
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Pep508

    try:
        parsed = Pep508(spec)
    except InvalidRequirement:
        return None
    return Dependency(normalise(parsed.name), str(parsed.specifier), rel, line, PIP, group, parsed.url or "")


def _read_pyproject(file, data: dict, found: Manifests) -> None:
    text = file.facts.text or ""
    project = _table(data, "project")
    tool = _table(data, "tool")
    groups = [("", project.get("dependencies"))] + list(_table(project, "optional-dependencies").items()) + \
        list(_table(data, "dependency-groups").items()) + list(_table(_table(tool, "pdm"), "dev-dependencies").items())
    uv = _table(tool, "uv")
    groups.append(("dev", uv.get("dev-dependencies")))
    for group, specs in groups:
        for spec in specs if isinstance(specs, list) else []:
            if isinstance(spec, str) and (dependency := _pep508(spec, file.rel, _line_of_item(text, spec), group)):
                found.dependencies.append(dependency)
    if isinstance(project.get("requires-python"), str):
        found.python_versions.append(PythonVersion(project["requires-python"], file.rel,
                                                   _line_of_key(text, "requires-python")))
    build_backend = _table(data, "build-system").get("build-backend")
    found.publishes_package = found.publishes_package or bool(project.get("name") and build_backend)
    _read_poetry(file, _table(tool, "poetry"), found)
    for index in uv.get("index", []) if isinstance(uv.get("index"), list) else []:
        if isinstance(index, dict) and isinstance(index.get("url"), str):
            found.indexes.append(Index(index["url"], file.rel, _line_of_item(text, index["url"]), "uv-index",
                                       str(index.get("name", ""))))
    for how, sources in (("pdm-source", _table(tool, "pdm").get("source")),):
        for source in sources if isinstance(sources, list) else []:
            if isinstance(source, dict) and isinstance(source.get("url"), str):
                found.indexes.append(Index(source["url"], file.rel, _line_of_item(text, source["url"]), how,
                                           str(source.get("name", ""))))
    for name, source in _table(uv, "sources").items():
        entries = source if isinstance(source, list) else [source]
        found.sources.setdefault(normalise(name), set()).update(
            str(e["index"]) for e in entries if isinstance(e, dict) and "index" in e)


def _read_poetry(file, poetry: dict, found: Manifests) -> None:
    text = file.facts.text or ""
    tables = [("", _table(poetry, "dependencies")), ("dev", _table(poetry, "dev-dependencies"))]
    tables += [(name, _table(group, "dependencies")) for name, group in _table(poetry, "group").items()
               if isinstance(group, dict)]
    for group, table in tables:
        for name, value in table.items():
            spec = value if isinstance(value, str) else value.get("version", "") if isinstance(value, dict) else ""
            line = _line_of_key(text, name)
            if name.lower() == "python":
                found.python_versions.append(PythonVersion(str(spec), file.rel, line))
                continue
            url = value.get("url") or value.get("git") or value.get("path") or "" if isinstance(value, dict) else ""
            found.dependencies.append(Dependency(normalise(name), "" if spec == "*" else str(spec), file.rel, line,
                                                 POETRY, group, str(url)))
            if isinstance(value, dict) and value.get("source"):
                found.sources.setdefault(normalise(name), set()).add(str(value["source"]))
    for source in poetry.get("source", []) if isinstance(poetry.get("source"), list) else []:
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            found.indexes.append(Index(source["url"], file.rel, _line_of_item(text, source["url"]),
                                       "poetry-source", str(source.get("name", ""))))


def _read_setup_py(file, data: dict, found: Manifests, requirements: _RequirementsReader) -> None:
    for keyword, group in (("install_requires", ""), ("tests_require", "test")):
        for spec, line in data.get(keyword) or []:
            if (dependency := _pep508(spec, file.rel, line, group)) is not None:
                found.dependencies.append(dependency)
    extras = data.get("extras_require") or {}
    for group, specs in extras.items() if isinstance(extras, dict) else []:
        for spec, line in specs or []:
            if (dependency := _pep508(spec, file.rel, line, group)) is not None:
                found.dependencies.append(dependency)
    if data.get("python_requires"):
        found.python_versions.append(PythonVersion(data["python_requires"][0], file.rel, data["python_requires"][1]))
    for path, line in data.get("requirement_files") or []:
        requirements.include(file.rel, path, line, ())


def _read_setup_cfg(file, found: Manifests) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(file.facts.text)
    except configparser.Error as exc:
        found.problems.append(Problem(file.rel, getattr(exc, "lineno", 1) or 1, f"setup.cfg does not parse: "
                                                                                f"{exc.message.splitlines()[0]}"))
        return
    text = file.facts.text
    sections = [("", parser.get("options", "install_requires", fallback=""))]
    if parser.has_section("options.extras_require"):
        sections += list(parser.items("options.extras_require"))
    for group, block in sections:
        for spec in _spec_lines(block):
            if (dependency := _pep508(spec, file.rel, _line_of_item(text, spec), group)) is not None:
                found.dependencies.append(dependency)
    python = parser.get("options", "python_requires", fallback="").strip()
    if python:
        found.python_versions.append(PythonVersion(python, file.rel, _line_of_key(text, "python_requires")))


def _read_pipfile(file, data: dict, found: Manifests) -> None:
    text = file.facts.text or ""
    for section, group in (("packages", ""), ("dev-packages", "dev")):
        for name, value in _table(data, section).items():
            spec = value if isinstance(value, str) else value.get("version", "") if isinstance(value, dict) else ""
            found.dependencies.append(Dependency(normalise(name), "" if spec == "*" else str(spec), file.rel,
                                                 _line_of_key(text, name), PIP, group))
            if isinstance(value, dict) and value.get("index"):
                found.sources.setdefault(normalise(name), set()).add(str(value["index"]))
    for source in data.get("source", []) if isinstance(data.get("source"), list) else []:
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            found.indexes.append(Index(source["url"], file.rel, _line_of_item(text, source["url"]), "pipfile-source",
                                       str(source.get("name", ""))))
    python = _table(data, "requires").get("python_version") or _table(data, "requires").get("python_full_version")
    if python:
        found.python_versions.append(PythonVersion(str(python), file.rel, _line_of_key(text, "python_version")))


# ---------------------------------------------------------------- conda, Dockerfiles, install instructions

_CONDA_SPEC = re.compile(r"^\s*(?:([\w.-]+)::)?([A-Za-z0-9_.-]+)\s*(.*)$")


def _read_conda(file, data: dict, found: Manifests, requirements: _RequirementsReader) -> None:
    if "dependencies" not in data:
        return  # a YAML config that happens to be named like an environment file
    text = file.facts.text or ""
    for channel in data.get("channels") or []:
        if isinstance(channel, str):
            found.indexes.append(Index(channel, file.rel, _line_of_item(text, channel), "conda-channel"))
    for entry in data.get("dependencies") or []:
        if isinstance(entry, str):
            match = _CONDA_SPEC.match(entry)
            if not match:
                continue
            channel, name, spec = match.group(1), match.group(2), match.group(3).strip()
            line = _line_of_item(text, entry)
            if name.lower() == "python":
                if spec:
                    found.python_versions.append(PythonVersion(spec, file.rel, line))
            elif name.lower() != "pip":
                found.dependencies.append(Dependency(CONDA_TO_PIP.get(normalise(name), normalise(name)), spec,
                                                     file.rel, line, CONDA))
                if channel:
                    found.indexes.append(Index(channel, file.rel, line, "conda-channel"))
        elif isinstance(entry, dict) and isinstance(entry.get("pip"), list):
            _read_conda_pip(file, entry["pip"], text, found, requirements)


def _read_conda_pip(file, specs: list, text: str, found: Manifests, requirements: _RequirementsReader) -> None:
    """The `pip:` subsection: PEP 508 lines, and the pip options conda passes through (`-r`, index URLs)."""
    for spec in specs:
        if not isinstance(spec, str):
            continue
        line = _line_of_item(text, spec)
        option, _, value = spec.strip().partition(" ")
        if option in ("-r", "--requirement"):
            requirements.include(file.rel, value.strip(), line, ())
        elif option in ("--index-url", "-i", "--extra-index-url", "-f", "--find-links"):
            how = {"-i": "index-url", "-f": "find-links"}.get(option, option.lstrip("-"))
            found.indexes.append(Index(value.strip(), file.rel, line, how))
        elif (dependency := _pep508(spec, file.rel, line) or _direct_reference(spec, file.rel, line)) is not None:
            found.dependencies.append(dependency)


_EGG = re.compile(r"#egg=([\w.-]+)")


def _direct_reference(spec: str, rel: str, line: int) -> Optional[Dependency]:
    """`-e git+https://github.com/openai/CLIP.git@main#egg=clip`: named by its egg, else by its repository."""
    url = spec.strip().removeprefix("-e").strip()
    if "://" not in url:
        return None  # `-e .` and local paths: the project itself
    egg = _EGG.search(url)
    name = egg.group(1) if egg else url.split("#")[0].split("@")[0].rstrip("/").rsplit("/", 1)[-1]
    return Dependency(normalise(name.removesuffix(".git")), "", rel, line, PIP, "", url)


_DOCKER_PYTHON = re.compile(r"^\s*FROM\s+(?:\S+/)?python:(\d+(?:\.\d+)*)", re.I | re.M)


def _read_dockerfile(file, found: Manifests) -> None:
    match = _DOCKER_PYTHON.search(file.facts.text)
    if match:
        found.python_versions.append(PythonVersion(match.group(1), file.rel,
                                                   file.facts.text.count("\n", 0, match.start()) + 1))


def command_lines(project) -> Iterator[tuple[str, int, str]]:
    """(file, line, text) of the lines that may hold shell commands: READMEs, shell scripts and Makefiles,
    Dockerfiles, and the `!` and `%pip` lines of notebooks."""
    for file in project.files.values():
        if file.kind == NOTEBOOK and isinstance(file.facts.data, dict):
            for line, text in file.facts.data.get("shell", []):
                yield file.rel, line, text
        elif (file.kind in (README, SCRIPT) or file.name.lower().startswith("dockerfile")) and file.facts.text:
            for number, text in enumerate(file.facts.text.splitlines(), 1):
                yield file.rel, number, text


_PIP_INSTALL = re.compile(r"(?:^|[\s;&|(!%`])(?:python[\d.]*\s+-m\s+)?pip3?\s+install\s+(.+)")
_PIP_VALUE_OPTIONS = {"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f",
                      "--find-links", "-e", "--editable", "-t", "--target", "--prefix", "--root", "--src",
                      "--python-version", "--platform", "--implementation", "--abi", "--progress-bar", "--trusted-host"}
_INDEX_OPTIONS = {"-i": "index-url", "--index-url": "index-url", "--extra-index-url": "extra-index-url",
                  "-f": "find-links", "--find-links": "find-links"}


def _read_instructions(project, found: Manifests) -> None:
    """Install commands in READMEs, shell scripts, Dockerfiles and notebooks: the packages they install (group
    "command": instructions, not a manifest) and the PyTorch wheel index they name."""
    for rel, number, text in command_lines(project):
        match = _PIP_INSTALL.search(text)
        if match:
            found.dependencies += _pip_install_arguments(match.group(1), rel, number, found)
        elif "download.pytorch.org" in text:  # an index named outside a pip command (an ENV, a config line)
            found.indexes += [Index(url, rel, number, "instruction") for url in _PYTORCH_INDEX.findall(text)]


def _pip_install_arguments(arguments: str, rel: str, line: int, found: Manifests) -> list:
    import shlex

    try:
        words = shlex.split(re.split(r"&&|\|\||;|\|", arguments)[0].replace("\\", " "), comments=True)
    except ValueError:
        return []
    packages, pending = [], None
    for word in words:
        if pending is not None:
            if pending in _INDEX_OPTIONS:
                found.indexes.append(Index(word, rel, line, "instruction"))
            elif pending in ("-e", "--editable") and (dependency := _direct_reference(word, rel, line)):
                packages.append(dependency._replace(group=COMMAND))
            pending = None
        elif word in _PIP_VALUE_OPTIONS:
            pending = word
        elif word.startswith("-") or word.startswith((".", "/", "~")) or word.endswith((".txt", ".in")):
            continue  # flags, local paths, and requirements files (read as manifests)
        elif (dependency := _pep508(word, rel, line, COMMAND) or _direct_reference(word, rel, line)) is not None:
            packages.append(dependency._replace(group=COMMAND))
    return packages


# ---------------------------------------------------------------- helpers

def _table(data: Any, key: str) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _spec_lines(block: str) -> Iterable[str]:
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def _line_of_item(text: str, item: str) -> int:
    """The line of a list item: quoted, or as a YAML `- item`, else the first line that contains it."""
    for needle in (f'"{item}"', f"'{item}'"):
        index = text.find(needle)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().lstrip("-").strip().split(" #", 1)[0].strip().strip("'\"")
        if stripped == item:
            return number
    index = text.find(item)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _line_of_key(text: str, key: str) -> int:
    match = re.search(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", text, re.M | re.I)
    return text.count("\n", 0, match.start()) + 1 if match else 1
