"""What the repository itself provides for each item of the ML Code Completeness Checklist, whatever its README
shows: the checklist's labels judge the repository "based on the scripts and artefacts that have been provided
within it" (see reprolint/knowledge/checklist.py). The README's commands are judged apart, in checklist.py."""
from __future__ import annotations

import posixpath
import re
from typing import NamedTuple

from reprolint.knowledge.checklist import (
    CHECKPOINT_LOADS, CHECKPOINT_METHODS, DATA_FILE_NAMES, DATA_FOLDERS, DATASET_DOWNLOADS,
    DATASET_DOWNLOADS_WITH_FLAG, FILE_DOWNLOADS,
    EVALUATION_CALLS, EVALUATION_FLAGS, EVALUATION_METHODS, EVALUATION_NAMES, FITTING_CALLS, FITTING_LIBRARIES,
    FITTING_METHODS, NOT_DATA_EXTENSIONS, NOT_EVALUATION_NAMES, PROSE_PACKAGES, REQUIREMENT_HEADINGS,
    REQUIREMENT_WORDS, TRAINING_NAMES, WEIGHT_EXTENSIONS,
)
from reprolint.discover import README
from reprolint.facts.types import MAIN
from reprolint.project.files import is_test_file
from reprolint.project.runs import entrypoints_to_check, production_python, runs, shown, trains
from reprolint.readers.interface import interface_of
from reprolint.readers.readme import section_of


class Evidence(NamedTuple):
    path: str
    line: int
    text: str
    # How the analysis knows, for the code items: TRAINS (a backward pass, an optimizer step), FITS (a classical
    # estimator), NAMED (the file's name alone), FLAG (an option puts it in evaluation mode), RESTORES (it loads
    # trained weights), TESTS (a training script that tests what it trained); for a results table with no
    # command, what was reported ("results table", "results figure"); "" for the rest.
    kind: str = ""


TRAINS, FITS, NAMED, FLAG, RESTORES, TESTS = "trains", "fits", "named", "flag", "restores", "tests"


_PACKAGE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in PROSE_PACKAGES) + r")(?![\w-])", re.I)
_REQUIREMENT_HEADING = re.compile(REQUIREMENT_HEADINGS, re.I)
_REQUIREMENT_LINE = re.compile(REQUIREMENT_WORDS, re.I)
_INSTALL_COMMAND = re.compile(r"\b(pip[\d.]*|conda|mamba|apt(-get)?|brew|poetry|uv|pipenv)\s+(install|env\s+create|"
                              r"sync|add)\b|\bsetup\.py\s+(install|develop)\b", re.I)
_EVALUATION_FLAG = re.compile(EVALUATION_FLAGS, re.I)
_EVALUATION_NAME = re.compile(EVALUATION_NAMES, re.I)
_NOT_EVALUATION_NAME = re.compile(NOT_EVALUATION_NAMES, re.I)
_TRAINING_NAME = re.compile(TRAINING_NAMES, re.I)
_EVALUATION_CALL = re.compile(EVALUATION_CALLS)
_DATA_FOLDER = re.compile(DATA_FOLDERS, re.I)
_DATA_FILE = re.compile(DATA_FILE_NAMES, re.I)
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
    return project.shared("provided-training", lambda: _training(project))


def _training(project) -> list:
    found = [Evidence(entry.rel, entry.line, f"trains ({shown(_first_training(profile).name)})", TRAINS)
             for entry, profile in runs(project) if profile.trains]
    if not found:
        for file in project.python_files:
            call = production_python(file) and next((c for c in file.facts.python.calls if
                                                     trains(project, file.rel, c) or _fits(file, c)), None)
            if call:
                kind = TRAINS if trains(project, file.rel, call) else FITS  # a classical model, in seconds
                found.append(Evidence(file.rel, call.line, f"{kind} ({shown(call.name)})", kind))
    found += [Evidence(entry.rel, entry.line, "a training script", NAMED) for entry in entrypoints_to_check(project)
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
        if _TRAINING_NAME.search(stem) or prepares(stem):
            continue  # training scripts, plots and data preparation, whatever else their names say
        if _EVALUATION_NAME.search(stem):
            found.append(Evidence(entry.rel, entry.line, "an evaluation script" if entry.kind != "notebook"
                                  else "an evaluation notebook", NAMED))
        elif flag := _evaluation_flag(project, entry.rel):
            found.append(Evidence(entry.rel, entry.line, f"evaluates with {flag}", FLAG))
        elif not profile.trains and entry.kind != "console-script" and \
                (restore := _restores_weights(project, profile.files)):  # a package's command is a tool
            found.append(Evidence(entry.rel, entry.line, f"restores trained weights ({restore})", RESTORES))
    return found


def tested_after_training(project) -> list:
    """Training scripts that test what they trained once training is done (`test()` at the end of pygcn's
    train.py): their command is the README's evaluation command too. Not evaluation code of its own: the
    checklist's labels ask for a script that evaluates."""
    found = []
    for rel in dict.fromkeys(e.path for e in training(project)):
        file = project.files[rel]
        for call in file.facts.python.calls if file.facts.python else ():
            method = call.name.rsplit(".", 1)[-1]
            if call.scope in ("", MAIN, "main") and (_EVALUATION_CALL.match(call.name) or
                                                     "." in call.name and method in EVALUATION_METHODS):
                found.append(Evidence(rel, call.line, f"tests after training ({shown(call.name)})", TESTS))
                break
    return found


def _evaluation_flag(project, rel: str):
    interface = interface_of(project, rel)
    return next((o for o in sorted(interface.options) if _EVALUATION_FLAG.match(o)), None) if interface else None


def _restores_weights(project, files) -> str:
    for rel in sorted(files):
        for call in project.files[rel].facts.python.calls:
            if _restores(call):
                return shown(call.name)
    return ""


def _restores(call) -> bool:
    return call.name in CHECKPOINT_LOADS or call.name.rsplit(".", 1)[-1] in CHECKPOINT_METHODS


def committed_weights(project) -> list:
    """Weight files committed in the repository: a checkpoint extension, in a folder or under a name about models,
    or beside a script that loads weights and a README that speaks of them (a `.h5` or `.pt` file also stores
    data: an example's saved tensors, a lookup table)."""
    loading = {posixpath.dirname(rel) for rel in _loading_files(project)}
    told = {f.directory for f in project.files.values()
            if f.kind == README and _SPEAKS_OF_WEIGHTS.search(f.facts.text or "")}
    found = []
    for rel in sorted(project.all_paths):
        if is_test_file(rel) or not rel.lower().endswith(WEIGHT_EXTENSIONS):
            continue
        if _WEIGHT_PLACE.search(rel) or posixpath.dirname(rel) in loading & told:
            found.append(Evidence(rel, 1, "weights committed in the repository"))
    return found


def _loading_files(project) -> list:
    return [file.rel for file in project.python_files if any(_restores(c) for c in file.facts.python.calls)]


_SPEAKS_OF_WEIGHTS = re.compile(r"\b(weights|checkpoints?|pre-?trained|trained models?)\b", re.I)


def data(project) -> list:
    """Where the repository gets its data by itself: code that downloads a public dataset by name, or a dataset
    committed under a data folder."""
    found = []
    for file in project.python_files:
        call = production_python(file) and next((c for c in file.facts.python.calls if _downloads_data(c) or
                                                 about_data(file.rel) and c.name in FILE_DOWNLOADS), None)
        if call:
            found.append(Evidence(file.rel, call.line, f"downloads the data ({shown(call.name)})"))
            break
    committed = next((rel for rel in sorted(project.all_paths) if _DATA_FOLDER.search(posixpath.dirname(rel))
                      and not rel.lower().endswith(NOT_DATA_EXTENSIONS) and not is_test_file(rel)), None)
    if committed:
        found.append(Evidence(committed, 1, f"data committed in {posixpath.dirname(committed)}/"))
    return found


def about_data(rel: str) -> bool:
    """A module named for the data (datasets.py, data/download.py): the files it fetches are data."""
    return bool(_DATA_FILE.search(posixpath.basename(rel)))


def prepares(name: str) -> bool:
    """A script named for preparing data or building (`preprocess.sh`, `compile_ops.sh`), whatever else it says."""
    return bool(_NOT_EVALUATION_NAME.search(name))


def _downloads_data(call) -> bool:
    if call.name.startswith(DATASET_DOWNLOADS_WITH_FLAG):
        return call.kwargs.get("download") is True
    return call.name.startswith(DATASET_DOWNLOADS)
