"""What the repository itself provides for each item of the ML Code Completeness Checklist, whatever its README
shows: the checklist's labels judge the repository "based on the scripts and artefacts that have been provided
within it" (see reprolint/knowledge/checklist.py). The README's commands are judged apart, in checklist.py."""
from __future__ import annotations

import posixpath
import re
from typing import NamedTuple

from reprolint.knowledge.checklist import (
    CHECKPOINT_LOADS, CHECKPOINT_METHODS, EVALUATION_FLAGS, EVALUATION_NAMES, FITTING_CALLS, FITTING_LIBRARIES,
    FITTING_METHODS, NOT_EVALUATION_NAMES, PROSE_PACKAGES, REQUIREMENT_HEADINGS, REQUIREMENT_WORDS, TRAINING_NAMES, WEIGHT_EXTENSIONS,
)
from reprolint.project.files import is_test_file
from reprolint.project.runs import entrypoints_to_check, production_python, runs, shown, trains
from reprolint.readers.interface import interface_of
from reprolint.readers.readme import section_of


class Evidence(NamedTuple):
    path: str
    line: int
    text: str


_PACKAGE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in PROSE_PACKAGES) + r")(?![\w-])", re.I)
_REQUIREMENT_HEADING = re.compile(REQUIREMENT_HEADINGS, re.I)
_REQUIREMENT_LINE = re.compile(REQUIREMENT_WORDS, re.I)
_INSTALL_COMMAND = re.compile(r"\b(pip[\d.]*|conda|mamba|apt(-get)?|brew|poetry|uv|pipenv)\s+(install|env\s+create|"
                              r"sync|add)\b|\bsetup\.py\s+(install|develop)\b", re.I)
_EVALUATION_FLAG = re.compile(EVALUATION_FLAGS, re.I)
_EVALUATION_NAME = re.compile(EVALUATION_NAMES, re.I)
_NOT_EVALUATION_NAME = re.compile(NOT_EVALUATION_NAMES, re.I)
_TRAINING_NAME = re.compile(TRAINING_NAMES, re.I)
_WEIGHT_PLACE = re.compile(r"model|checkpoint|ckpt|weight|pretrain|snapshot|saved", re.I)


def dependencies(project, documents: list) -> list:
    """Manifests that declare packages or set up an environment, and README lines that install or list them."""
    found = []
    for file in sorted(project.manifests, key=lambda f: (f.rel.count("/"), f.rel)):
        declared = next((d for d in project.dependencies.dependencies if d.rel == file.rel), None)
        found.append(Evidence(file.rel, declared.line if declared else 1,
                              f"declares {declared.name}" if declared else "a manifest"))
    for document in documents:
        doc = document.facts.data
        for number, line in enumerate((document.facts.text or "").split("\n"), 1):
            if _INSTALL_COMMAND.search(line) or _PACKAGE.search(line) and (
                    _REQUIREMENT_LINE.search(line) or any(_REQUIREMENT_HEADING.search(h)
                                                          for h in section_of(doc, number))):
                found.append(Evidence(document.rel, number, line.strip()))
    return found


def _stem(rel: str) -> str:
    return posixpath.splitext(posixpath.basename(rel))[0]


def training(project) -> list:
    """Entrypoints whose run trains, else any code that trains or fits a model (a trainer class a notebook
    would call, a scikit-learn estimator), and scripts or notebooks named for training."""
    found = [Evidence(entry.rel, entry.line, f"trains ({shown(_first_training(profile).name)})")
             for entry, profile in runs(project) if profile.trains]
    if not found:
        for file in project.python_files:
            call = production_python(file) and next((c for c in file.facts.python.calls if
                                                     trains(project, file.rel, c) or _fits(file, c)), None)
            if call:
                found.append(Evidence(file.rel, call.line, f"trains ({shown(call.name)})"))
    found += [Evidence(entry.rel, entry.line, "a training script") for entry in entrypoints_to_check(project)
              if _TRAINING_NAME.search(_stem(entry.rel)) and entry.rel not in {e.path for e in found}]
    return found


def _first_training(profile):
    return (profile.first_train or profile.first_tf_train)[1]


def _fits(file, call) -> bool:
    """A model fitted outside the deep-learning frameworks: an estimator's `.fit` in a file that imports a
    fitting library (the estimator is a local variable whose type the facts do not know), or a fitting call."""
    if call.name.startswith(FITTING_CALLS):
        return True
    return call.name.rsplit(".", 1)[-1] in FITTING_METHODS and "." in call.name and any(
        i.module.split(".")[0] in FITTING_LIBRARIES for i in file.facts.python.imports)


def evaluation(project) -> list:
    """Scripts and notebooks that evaluate or run the experiments: named so, put in evaluation mode by an option,
    or restoring trained weights without training."""
    found = []
    for entry, profile in runs(project):
        stem = _stem(entry.rel)
        if _TRAINING_NAME.search(stem) or _NOT_EVALUATION_NAME.search(stem):
            continue  # training scripts, plots and data preparation, whatever else their names say
        if _EVALUATION_NAME.search(stem):
            found.append(Evidence(entry.rel, entry.line, "an evaluation script" if entry.kind != "notebook"
                                  else "an evaluation notebook"))
        elif flag := _evaluation_flag(project, entry.rel):
            found.append(Evidence(entry.rel, entry.line, f"evaluates with {flag}"))
        elif not profile.trains and (restore := _restores_weights(project, profile.files)):
            found.append(Evidence(entry.rel, entry.line, f"restores trained weights ({restore})"))
    return found


def _evaluation_flag(project, rel: str):
    interface = interface_of(project, rel)
    return next((o for o in sorted(interface.options) if _EVALUATION_FLAG.match(o)), None) if interface else None


def _restores_weights(project, files) -> str:
    for rel in sorted(files):
        for call in project.files[rel].facts.python.calls:
            if call.name in CHECKPOINT_LOADS or call.name.rsplit(".", 1)[-1] in CHECKPOINT_METHODS:
                return shown(call.name)
    return ""


def committed_weights(project) -> list:
    """Weight files committed in the repository: a checkpoint extension, in a folder or under a name about models
    (a `.pt` file also stores tensors of data)."""
    found = []
    for rel in sorted(project.all_paths):
        if is_test_file(rel) or not rel.lower().endswith(WEIGHT_EXTENSIONS):
            continue
        if _WEIGHT_PLACE.search(rel):
            found.append(Evidence(rel, 1, "weights committed in the repository"))
    return found

