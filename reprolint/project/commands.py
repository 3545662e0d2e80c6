"""Commands of the project model: what a shell command line runs, for README code blocks, shell scripts and the
entrypoints they make alike. A command runs a repository script (`python train.py`, `torchrun ... tools/train.py`,
`bash run.sh`), a repository module (`python -m pkg.train`) or a console script the manifests declare."""
from __future__ import annotations

import posixpath
import re
from typing import Iterator, NamedTuple, Optional

from reprolint.readers.readme import program_and_arguments, simple_commands

_LAUNCHERS = {"torchrun", "deepspeed", "horovodrun", "mpirun", "srun", "accelerate", "python", "python3", "bash",
              "sh", "zsh", "source", "nohup", "time", "exec", "sbatch", "CUDA_VISIBLE_DEVICES"}
_PYTHON = re.compile(r"^python[\d.]*$")
# Modules that launch another script or tool: the script comes later on the line.
_LAUNCHER_MODULES = ("torch.distributed", "accelerate")
_TOOL_MODULES = ("pip", "venv", "pytest")
_PLACEHOLDER = re.compile(r"^(my|your)[_-]\w*|^(script|file|program)\.(py|sh)$", re.I)  # the reader's own


class Launch(NamedTuple):
    """What one command line runs: a repository file (script or module) and the arguments that follow it."""

    target: str  # the path or module as written
    resolved: Optional[str]  # the repository file, or None when it does not exist
    arguments: list
    is_module: bool


def launches(project, text: str, folder: str) -> Iterator[Launch]:
    """What each simple command of a line runs, from a folder (the document's or script's, changed by `cd`)."""
    for words in simple_commands(text):
        if words[0] == "cd" and len(words) > 1:
            folder = folder_after(words, folder)
            continue
        launch = _launch(project, program_and_arguments(words), folder)
        if launch is not None:
            yield launch


def scripts_run_by(project, rel: str) -> list:
    """The repository files a shell script runs, line by line (`python petridish_main.py` in test.sh)."""
    file = project.files.get(rel)
    found, variables = [], {}
    for line in (file.facts.text or "").splitlines() if file is not None else ():
        assignment = _ASSIGNMENT.match(line)
        if assignment:  # `export CONFIG_DIR=.`: a literal the lines after it use as $CONFIG_DIR
            variables[assignment.group(1)] = assignment.group(2)
            continue
        line = _VARIABLE.sub(lambda m: variables.get(m.group(1) or m.group(2), m.group(0)), line)
        found += [launch.resolved for launch in launches(project, line, file.directory) if launch.resolved]
    return found


_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_]\w*)=([\w./-]+)\s*$")
_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


def folder_after(words: list, folder: str) -> str:
    """The folder a simple command leaves the shell in: another one for `cd X`, else the same."""
    if words[0] == "cd" and len(words) > 1:
        return posixpath.normpath(posixpath.join(folder, words[1]))
    return folder


_FETCHERS = {"wget", "curl", "gdown", "aria2c", "axel"}
_OUTPUT_OPTIONS = {"-O", "-o", "--output", "--output-document"}
_CLONE_VALUE_OPTIONS = {"-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference", "-j", "--jobs"}


def fetched(text: str) -> set:
    """Names of the files and folders a line's commands download or clone: a URL's last part, the `-O` file,
    the folder `git clone` makes."""
    names = set()
    for words in simple_commands(text):
        words = program_and_arguments(words)
        if words and words[0] in _FETCHERS:
            for previous, word in zip([""] + words, words):
                if previous in _OUTPUT_OPTIONS:
                    names.add(posixpath.basename(word))
                elif "://" in word:
                    names.add(posixpath.basename(word.split("?")[0].rstrip("/")))
        elif words[:2] == ["git", "clone"]:
            places = [w for previous, w in zip(words[1:], words[2:])
                      if not w.startswith("-") and previous not in _CLONE_VALUE_OPTIONS]
            if places:
                names.add(places[1] if len(places) > 1 else
                          posixpath.basename(places[0].rstrip("/")).removesuffix(".git"))
    return names - {""}


def _launch(project, words: list, folder: str) -> Optional[Launch]:
    if not words:
        return None
    head = words[0]
    if head in project.console_scripts:  # `litgpt finetune ...`: the package's own command
        module = project.console_scripts[head].split(":")[0]
        return Launch(head, project.resolve_module("", module), words[1:], True)
    launcher = bool(_PYTHON.match(head)) or head in _LAUNCHERS
    if not (launcher or head.startswith("./") or head.endswith((".py", ".sh"))):
        return None
    rest = words[1:] if launcher else words
    j = 0
    while j < len(rest):
        word = rest[j]
        if word == "-m" and j + 1 < len(rest):
            module = rest[j + 1]
            if module.startswith(_LAUNCHER_MODULES) or module in _TOOL_MODULES:
                j += 2
                continue
            resolved = project.resolve_module(posixpath.join(folder, "x.py") if folder else "x.py", module)
            if resolved is None and not project.is_local_module("", module.split(".")[0]):
                return None  # a third-party module (`python -m spacy download`)
            return Launch(module, resolved, rest[j + 2:], True)
        if word.endswith((".py", ".sh")) and not word.startswith("-"):
            return Launch(word, existing(project, folder, word), rest[j + 1:], False)
        j += 1
    return None


def existing(project, folder: str, path: str) -> Optional[str]:
    """The repository file a relative path names, from the root or a folder (the document's, or a `cd`'s)."""
    if path.startswith(("/", "~", "$")) or "<" in path or "{" in path or "path/to" in path or \
            _PLACEHOLDER.match(posixpath.basename(path)):
        return path  # absolute or a placeholder (`my_script.py`): not the repository's to check
    for candidate in (posixpath.join(folder, path), path):
        rel = posixpath.normpath(candidate.removeprefix("./"))
        if rel.startswith("../"):
            return path  # outside the analyzed tree: neither looked at nor reported
        if rel in project.files or rel in project.all_paths or (project.root / rel).is_file():
            return rel  # on disk: a file the analysis excludes (or .gitignore hides) still exists
    return None
