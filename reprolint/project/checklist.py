"""The ML Code Completeness Checklist (Papers with Code), scored from the README with evidence checked against
the repository: a command counts only when the script, module or file it names exists.

Read from the root README and the documents it links to inside the repository (GETTING_STARTED.md, docs/train.md),
where READMEs often send the reader for the commands.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple, Optional

from reprolint.discover import DOC
from reprolint.knowledge.checklist import BACKBONE_URL_TABLES, RESULT_HEADINGS, RESULT_IMAGE_WORDS
from reprolint.project import provided
from reprolint.project.commands import existing, launches
from reprolint.project.provided import Evidence
from reprolint.readers.readme import INLINE, commands, section_of


@dataclass
class Item:
    key: str
    title: str
    core: bool  # one of the checklist's five; the others are the extras a reproduction also needs
    evidence: list = field(default_factory=list)  # what the README and its documents show
    artefacts: list = field(default_factory=list)  # what the repository provides: manifests, scripts, weights
    prose: Optional[Evidence] = None  # a mention that promises the item without delivering it ("coming soon")
    partial: Optional[Evidence] = None  # half of the item: a results table with no command that reproduces it

    @property
    def ticked(self) -> bool:
        """The checklist's own question: does the repository provide the item?"""
        return bool(self.evidence or self.artefacts)

    @property
    def documented(self) -> bool:
        """The stricter question: does the README show it (the command, the link, the table with its command)?"""
        return bool(self.evidence)

    @property
    def proof(self) -> list:
        """Everything that ticks the item, the README's first."""
        return self.evidence + self.artefacts

    @property
    def gap(self) -> Optional[Evidence]:
        """What keeps an unticked item unticked, where a line shows it: the half that is there, or a promise."""
        return None if self.documented else self.partial or self.prose


class Command(NamedTuple):
    path: str  # the document
    line: int
    text: str
    tag: str  # the code block's info tag (`train`, `eval`, `setup` in the checklist's template)
    section: tuple  # the headings above it


class Run(NamedTuple):
    """What a command runs: a repository file (script or module), and the arguments that follow it."""

    command: Command
    target: str  # the path or module as written
    resolved: Optional[str]  # the repository file, or None when it does not exist
    arguments: list
    is_module: bool


@dataclass
class Checklist:
    items: list
    commands: list  # every Command of the documents
    runs: list  # every Run: a command that runs a Python or shell script of the repository
    missing: list  # (Command, path) pairs: a file a command names that does not exist

    @property
    def score(self) -> int:
        return sum(item.ticked for item in self.items if item.core)

    def item(self, key: str) -> Item:
        return next(i for i in self.items if i.key == key)


CORE = (("dependencies", "Dependencies"), ("training", "Training code"), ("evaluation", "Evaluation code"),
        ("pretrained", "Pre-trained models"), ("results", "Results table and the means to reproduce it"))
EXTRAS = (("paper", "Link to the paper"), ("license", "License"), ("citation", "Citation"),
          ("hardware", "Hardware and run time"), ("data", "Dataset instructions"))


def checklist(project) -> Optional[Checklist]:
    """The checklist of the repository's root README, computed once per run; None without one."""
    return project.shared("checklist", lambda: _build(project))


def _build(project) -> Optional[Checklist]:
    readme = project.readme
    if readme is None or not isinstance(readme.facts.data, dict):
        return None
    documents = [readme] + _linked_documents(project, readme)
    found = [Command(d.rel, line, text, tag, tuple(section_of(d.facts.data, line)))
             for d in documents for line, text, tag in commands(d.facts.data)]
    runs = [run for command in found if (run := _run_of(project, command))]
    items = {key: Item(key, title, True) for key, title in CORE}
    items.update({key: Item(key, title, False) for key, title in EXTRAS})
    missing = _dependencies(project, found, items["dependencies"])
    missing += [(run.command, run.target) for run in runs if run.resolved is None]
    missing += [(c, p) for c in found for p in _missing_files(project, c, runs)]
    missing = [(c, p) for c, p in missing if c.tag != INLINE]  # prose that mentions a command is not a recipe
    broken = {id(command) for command, _ in missing}
    for run in runs:
        if run.resolved and id(run.command) not in broken:
            for kind in purposes(run):
                items[kind].evidence.append(Evidence(run.command.path, run.command.line, run.command.text))
    _provided(project, documents, items)
    _pretrained(project, documents, items["pretrained"])
    _results(documents, runs, items["results"])
    _reproducible_results(items)
    _extras(project, documents, found, items)
    _prose_promises(documents, items)
    return Checklist(list(items.values()), found, runs, missing)


def _provided(project, documents: list, items: dict) -> None:
    items["dependencies"].artefacts = provided.dependencies(project, documents)
    items["training"].artefacts = provided.training(project)
    items["evaluation"].artefacts = provided.evaluation(project)
    items["pretrained"].artefacts = provided.committed_weights(project)


def _reproducible_results(items: dict) -> None:
    """A results table the README does not pair with a command still counts when the repository has the code
    that regenerates it (the checklist asks for a table and the means to reproduce it)."""
    results, code = items["results"], items["training"].artefacts + items["evaluation"].artefacts
    if not results.evidence and results.partial and code:
        kind = results.partial.text.split(" has no ")[0].replace("this ", "a ", 1)
        results.artefacts.append(Evidence(results.partial.path, results.partial.line,
                                          f"{kind}; {code[0].path} can regenerate it"))


def _linked_documents(project, readme) -> list:
    base = readme.directory
    linked = []
    for url, _, _ in readme.facts.data["links"]:
        if "://" in url or url.startswith(("#", "mailto:")):
            continue
        rel = posixpath.normpath(posixpath.join(base, url.split("#")[0]))
        file = project.files.get(rel)
        if file is not None and file.kind == DOC and isinstance(file.facts.data, dict) and file not in linked:
            linked.append(file)
    return linked


# ---------------------------------------------------------------- what a command runs

def _run_of(project, command: Command) -> Optional[Run]:
    launch = next(launches(project, command.text, posixpath.dirname(command.path)), None)
    return Run(command, *launch) if launch else None


_TRAIN = re.compile(r"train|finetun|fine[-_]tun|pretrain|pre[-_]train|\bfit\b|distill", re.I)
_EVAL = re.compile(r"eval|test|infer|predict|valid|\bval\b|benchmark|demo|sampl|generat|score|metric|reproduc", re.I)
_EVAL_FLAGS = re.compile(r"^--?(eval|evaluate|do[-_]eval|do[-_]predict|test|test[-_]only|inference|predict|"
                         r"validate)$", re.I)
_TRAIN_FLAGS = re.compile(r"^--?(train|do[-_]train)$", re.I)
_MODE_FLAGS = re.compile(r"^--?(mode|phase|task|stage|run[-_]mode)$", re.I)


def purposes(run: Run) -> set:
    """training and/or evaluation: the block's tag, else the script's name and flags (`--mode train`,
    `--do_eval`, a console script's subcommand), then the section's headings."""
    tag = run.command.tag
    if tag in ("train", "training"):
        return {"training"}
    if tag in ("eval", "evaluation", "test", "inference"):
        return {"evaluation"}
    found = set()
    words = [run.target.rsplit("/", 1)[-1]] + [a for a in run.arguments[:1] if not a.startswith("-")]
    for previous, argument in zip([""] + run.arguments, run.arguments):
        flag = argument.split("=", 1)[0]
        value = argument.split("=", 1)[1] if "=" in argument else argument if _MODE_FLAGS.match(previous) else ""
        if _EVAL_FLAGS.match(flag):
            found.add("evaluation")
        if _TRAIN_FLAGS.match(flag):
            found.add("training")
        if value and (_MODE_FLAGS.match(flag) or _MODE_FLAGS.match(previous)):
            words.append(value)
    evaluates_only = "evaluation" in found and "training" not in found  # `finetune.py --eval --resume w.pth`
    for word in words:
        if _EVAL.search(word):
            found.add("evaluation")
        if _TRAIN.search(word) and not evaluates_only:
            found.add("training")
    for heading in reversed(run.command.section):
        if found:
            break
        if _EVAL.search(heading):
            found.add("evaluation")
        elif _TRAIN.search(heading):
            found.add("training")
    return found


# ---------------------------------------------------------------- item 1: dependencies

_INSTALLS = [  # (pattern, the file it needs, or a callable naming it from the match)
    (re.compile(r"\bpip[\d.]*\s+install\s+(?:.*\s)?(?:-r|--requirement)\s+(\S+)"), None),
    (re.compile(r"\b(?:conda|mamba|micromamba)\s+env\s+(?:create|update)\b.*?(?:-f|--file)\s+(\S+)"), None),
    (re.compile(r"\b(?:conda|mamba|micromamba)\s+(?:create|install)\b.*?--file\s+(\S+)"), None),
    (re.compile(r"\b(?:conda|mamba|micromamba)\s+env\s+create\s*$"), "environment.yml"),
    (re.compile(r"\bpip[\d.]*\s+install\s+(?:-e\s+|--editable\s+)?[\"']?(\.{1,2}[\w/.-]*)(?:\[[\w,-]+\])?[\"']?"
                r"(?:\s|$)"), "setup"),
    (re.compile(r"\bpython[\d.]*\s+setup\.py\s+(?:install|develop)\b"), "setup.py"),
    (re.compile(r"\buv\s+sync\b|\bpoetry\s+install\b|\bpdm\s+install\b|\bhatch\s+env\b"), "pyproject.toml"),
    (re.compile(r"\bpipenv\s+(?:install|sync)\b"), "Pipfile"),
    (re.compile(r"\bdocker\s+build\b(?:.*?(?:-f|--file)\s+(\S+))?"), "Dockerfile"),
    (re.compile(r"\bdocker\s+(?:pull|run)\s+\S+"), ""),
    (re.compile(r"\bpip[\d.]*\s+install\s+(?!-)[\w\[\]=<>~!.,-]+"), "pinned"),  # named packages, if all pinned
]


def _dependencies(project, found: list, item: Item) -> list:
    """Install commands whose file exists are the evidence; those whose file is missing are returned."""
    missing = []
    for command in found:
        for pattern, needs in _INSTALLS:
            match = pattern.search(command.text)
            if not match:
                continue
            exists = _install_file_exists(project, command, match, needs)
            if exists is False:
                missing.append((command, match.group(1) if match.groups() and match.group(1) else needs))
            elif exists or needs == "":
                item.evidence.append(Evidence(command.path, command.line, command.text))
            break
    return missing


def _install_file_exists(project, command: Command, match: re.Match, needs) -> Optional[bool]:
    """True when the file an install command needs exists; None when it names no file (`pip install numpy`)."""
    named = match.group(1) if match.groups() and match.group(1) else None
    if needs == "setup":  # `pip install -e .`: from the document's folder, or the root
        for base in (posixpath.dirname(command.path), ""):
            folder = posixpath.normpath(posixpath.join(base, named or "."))
            prefix = "" if folder == "." else folder + "/"
            if any(prefix + f in project.files for f in ("setup.py", "pyproject.toml", "setup.cfg")):
                return True
        return False
    if needs == "pinned":  # `pip install torch==2.1.0 timm==0.9.2` specifies; `pip install timm` does not
        packages = [w for w in command.text.split()[command.text.split().index("install") + 1:]
                    if not w.startswith("-")]
        return bool(packages) and all("==" in p for p in packages) or None
    path = named or needs
    return None if not path else existing(project, posixpath.dirname(command.path), path) is not None


# ---------------------------------------------------------------- items 4 and 5: weights and results

_WEIGHT_FILE = re.compile(r"\.(pt|pth|ckpt|h5|hdf5|safetensors|npz|pkl|pth\.tar|bin|onnx|tflite|pb|params|msgpack)"
                          r"(\?.*)?$", re.I)
_WEIGHT_HOST = re.compile(r"github\.com/[^/]+/[^/]+/releases|huggingface\.co/(?!datasets/|spaces/|docs/|papers/|"
                          r"blog/|learn/|tasks/|pricing|join|login|settings/)"
                          r"[\w-]+/[\w.-]+|drive\.google\.com|zenodo\.org|dropbox\.com|figshare|1drv\.ms|"
                          r"onedrive|pan\.baidu\.com|dl\.fbaipublicfiles\.com|storage\.googleapis\.com|"
                          r"openaipublic|download\.pytorch\.org/models", re.I)
_BADGE = re.compile(r"/badges?/|shields\.io|\.(svg|png|jpe?g|gif)(\?.*)?$", re.I)
_WEIGHT_WORDS = re.compile(r"model|weight|checkpoint|ckpt|pre-?trained", re.I)
_URL_LOADS = ("torch.utils.model_zoo.load_url", "torch.hub.load_state_dict_from_url")
_DOWNLOAD_CALLS = ("torch.hub.load", "torch.hub.load_state_dict_from_url", "torch.hub.download_url_to_file",
                   "torch.utils.model_zoo.load_url", "huggingface_hub.hf_hub_download",
                   "huggingface_hub.snapshot_download", "gdown.download", "tensorflow.keras.utils.get_file",
                   "keras.utils.get_file", "timm.create_model", "open_clip.create_model_and_transforms",
                   "clip.load", "tensorflow_hub.load", "tensorflow_hub.KerasLayer")


def _pretrained(project, documents: list, item: Item) -> None:
    for document in documents:
        doc = document.facts.data
        for url, label, line in doc["links"]:
            if _BADGE.search(url):
                continue
            context = " ".join([label, *section_of(doc, line), _line_text(document, line)])
            if _WEIGHT_FILE.search(url.split("#")[0]) or (_WEIGHT_HOST.search(url) and _WEIGHT_WORDS.search(context)):
                item.evidence.append(Evidence(document.rel, line, url))
    if "hubconf.py" in project.files:
        item.artefacts.append(Evidence("hubconf.py", 1, "torch.hub entrypoints"))
        return
    for file in project.python_files:
        backbones = any(a.target.rsplit(".", 1)[-1] in BACKBONE_URL_TABLES for a in file.facts.python.assigns)
        for call in file.facts.python.calls:
            if call.name in _DOWNLOAD_CALLS or call.name.endswith(".from_pretrained") and "." in call.name:
                if call.name == "timm.create_model" and call.kwargs.get("pretrained") is not True:
                    continue
                if backbones and call.name in _URL_LOADS:
                    continue  # a copy of torchvision's ImageNet backbones, not the repository's own weights
                item.artefacts.append(Evidence(file.rel, call.line, f"{call.name}(...)"))
                return  # one call is evidence enough; the README's links are listed in full


_RESULT_IMAGE = re.compile(RESULT_IMAGE_WORDS, re.I)
_RESULT_HEADING = re.compile(RESULT_HEADINGS, re.I)
_BADGE_HOST = re.compile(r"/badges?/|shields\.io|badge\.|travis-ci|codecov|circleci|colab\.research", re.I)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*%?(?![\w.])")
_LEADERBOARD = re.compile(r"paperswithcode\.com/(sota|task)|leaderboard", re.I)


def _results(documents: list, runs: list, item: Item) -> None:
    """Reported results (a numeric table, a plot of results),
    each with the command of its section that reproduces it, else as the half of the item that is there."""
    for document in documents:
        doc = document.facts.data
        for line, kind in _reported_results(document):
            section = tuple(section_of(doc, line))
            command = _reproducing_command(document.rel, line, section, runs)
            if command is not None:
                item.evidence.append(Evidence(document.rel, line, f"{kind}, reproduced by `{command.text}` "
                                                                  f"({command.path}:{command.line})"))
            elif item.partial is None:
                item.partial = Evidence(document.rel, line, f"this {kind} has no training or evaluation command "
                                                            "in its section, or within 25 lines, that reproduces it")
        for url, label, line in doc["links"]:
            if _LEADERBOARD.search(url):
                item.evidence.append(Evidence(document.rel, line, url))


def _reported_results(document) -> Iterator[tuple]:
    """(line, kind) of each place a document reports results, in line order."""
    doc = document.facts.data
    found = [(line, "results table") for line, header, rows in doc["tables"]
             if any(_NUMBER.search(cell) and re.search(r"\d\.\d|%", cell) for row in rows for cell in row)]
    for src, alt, line in doc.get("images", []):
        if not _BADGE_HOST.search(src) and (_RESULT_IMAGE.search(f"{src} {alt}") or any(
                _RESULT_HEADING.search(h) for h in section_of(doc, line))):
            found.append((line, "results figure"))
    return iter(sorted(found))


def _reproducing_command(rel: str, line: int, section: tuple, runs: list) -> Optional[Command]:
    """The training or evaluation command that reproduces a table: one of its own section, else the nearest
    within 25 lines, evaluation before training."""
    candidates = [r for r in runs if r.resolved and r.command.path == rel and purposes(r) and
                  (r.command.section == section or abs(r.command.line - line) <= 25)]
    if not candidates:
        return None
    best = min(candidates, key=lambda r: (r.command.section != section, "evaluation" not in purposes(r),
                                          abs(r.command.line - line)))
    return best.command


# ---------------------------------------------------------------- the extras

_PAPER = re.compile(r"arxiv\.org/(abs|pdf)|doi\.org/|openreview\.net/|proceedings\.|papers\.nips\.cc|neurips\.cc/|"
                    r"aclanthology\.org|openaccess\.thecvf\.com|ieeexplore\.ieee\.org|dl\.acm\.org/doi|jmlr\.org/|"
                    r"ojs\.aaai\.org|ijcai\.org/proceedings|link\.springer\.com|biorxiv\.org|medrxiv\.org|"
                    r"nature\.com/articles|science\.org/doi|semanticscholar\.org/paper", re.I)
LICENSE_FILES = re.compile(r"^(licen[cs]e|copying)([.-][\w.-]*)?$", re.I)
_BIBTEX = re.compile(r"@\w+\s*\{\s*[\w:/.-]+\s*,")
_HARDWARE = re.compile(r"\b(GPUs?|TPUs?|V100|A100|H100|A6000|A40|L40S?|P100|T4|K80|RTX|GTX|Titan|TPU\s*v\d|"
                       r"MI\d{3}|Apple M\d|CPU cores?)\b", re.I)
_DURATION = re.compile(r"\b\d+(\.\d+)?\s*(hours?|hrs?|h|days?|d|minutes?|mins?|weeks?|GPU[- ]hours?)\b", re.I)
_DATA_HEADING = re.compile(r"\b(data|data\s*sets?|corpus|corpora)\b", re.I)
_DATASET = re.compile(r"\b(data\s*sets?|corpus|corpora)\b", re.I)
_DOWNLOAD = re.compile(r"\b(wget|curl|gdown|kaggle\s+(datasets|competitions)\s+download|huggingface-cli\s+download|"
                       r"load_dataset|azcopy|gsutil|aws\s+s3|rsync|download)\b", re.I)
_PROMISE = re.compile(r"coming soon|to be released|will be (released|available|uploaded|made available)|stay tuned|"
                      r"\bTBD\b|\bTODO\b|upcoming|under construction", re.I)
_ITEM_WORDS = {"training": re.compile(r"train", re.I), "evaluation": re.compile(r"eval|test|inference", re.I),
               "pretrained": re.compile(r"pre-?trained|weights|checkpoint|model", re.I),
               "results": re.compile(r"result", re.I), "dependencies": re.compile(r"install|requirement|depend", re.I)}


def _extras(project, documents: list, found: list, items: dict) -> None:
    for document in documents:
        doc = document.facts.data
        for url, _, line in doc["links"]:
            if _PAPER.search(url):
                items["paper"].evidence.append(Evidence(document.rel, line, url))
        for info, block in doc["blocks"]:
            text = "\n".join(code for _, code in block)
            if _BIBTEX.search(text):
                items["citation"].evidence.append(Evidence(document.rel, block[0][0], "a BibTeX entry"))
        lines = (document.facts.text or "").split("\n")
        for number, line in enumerate(lines, 1):
            if _HARDWARE.search(line) and _DURATION.search(" ".join(lines[max(0, number - 2):number + 1])):
                items["hardware"].evidence.append(Evidence(document.rel, number, line.strip()))
        _data(document, [c for c in found if c.path == document.rel], items["data"])
    for rel in sorted(project.all_paths):
        if "/" not in rel and LICENSE_FILES.match(rel):
            items["license"].evidence.append(Evidence(rel, 1, rel))
        if rel.lower() in ("citation.cff", "citation.bib"):
            items["citation"].evidence.append(Evidence(rel, 1, rel))


def _data(document, found: list, item: Item) -> None:
    """A link or a download command in a section about the data, or on a line that names a dataset."""
    doc = document.facts.data
    about_data = lambda line: any(_DATA_HEADING.search(h) for h in section_of(doc, line))  # noqa: E731
    for url, _, line in doc["links"]:
        if about_data(line) or _DATASET.search(_line_text(document, line)):
            item.evidence.append(Evidence(document.rel, line, url))
    for command in found:
        if _DOWNLOAD.search(command.text) and (about_data(command.line) or _DATASET.search(command.text)):
            item.evidence.append(Evidence(document.rel, command.line, command.text))


def _prose_promises(documents: list, items: dict) -> None:
    """For items not ticked: a line that promises them (`training code coming soon`)."""
    for document in documents:
        for number, line in _lines(document):
            if not _PROMISE.search(line):
                continue
            for key, words in _ITEM_WORDS.items():
                item = items[key]
                if not item.ticked and item.prose is None and words.search(line):
                    item.prose = Evidence(document.rel, number, line.strip())


def _lines(document) -> Iterator[tuple]:
    return enumerate((document.facts.text or "").split("\n"), 1)


def _line_text(document, line: int) -> str:
    lines = (document.facts.text or "").split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


# ---------------------------------------------------------------- README drift: files a command names

_FILE_ARGUMENT = re.compile(r"^[\w.][\w./-]*\.(py|sh|ya?ml|json|toml|cfg|ini)$")
_OUTPUT_OR_DATA_FLAG = re.compile(r"out|save|log|dump|result|ckpt|checkpoint|resume|weight|pretrain|model|data|"
                                  r"root|dir|path|cache|export|predict|submission", re.I)


def _missing_files(project, command: Command, runs: list) -> Iterator[str]:
    """Config files and scripts that a command running a repository script passes as arguments, and that the
    repository does not have (the script itself is checked by its Run)."""
    run = next((r for r in runs if r.command is command), None)
    if run is None:
        return
    folder = posixpath.dirname(command.path)
    for previous, word in zip([""] + run.arguments, run.arguments):
        flag, _, value = word.partition("=") if word.startswith("-") else (previous, "", word)
        if not _FILE_ARGUMENT.match(value or word):
            continue
        if flag.startswith("-") and _OUTPUT_OR_DATA_FLAG.search(flag):
            continue  # what a command writes, or data it is given: not the repository's files
        if existing(project, folder, value or word) is None:
            yield value or word
