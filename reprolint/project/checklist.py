"""The ML Code Completeness Checklist (Papers with Code), scored from the README with evidence checked against
the repository: a command counts only when the script, module or file it names exists.

Read from the root README and the documents it links to inside the repository (GETTING_STARTED.md, docs/train.md),
where READMEs often send the reader for the commands.
"""
from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple, Optional

from reprolint.discover import DOC, README
from reprolint.knowledge.checklist import (
    ACCELERATOR_MODELS, BACKBONE_URL_TABLES, COUNTED_HARDWARE, DEFUNCT_HOSTS, LICENSE_NAMES, RESULT_HEADINGS,
    RESULT_IMAGE_WORDS,
)
from reprolint.knowledge.distributions import normalise
from reprolint.project import provided
from reprolint.project.commands import existing, fetched, folder_after, launches, scripts_run_by
from reprolint.project.files import is_test_file
from reprolint.project.provided import Evidence
from reprolint.project.runs import runs as runs_of
from reprolint.readers.readme import INLINE, commands, section_of, simple_commands


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
    script: Optional[str]  # the file it runs: the resolved one, else the one file of that name elsewhere
    purposes: frozenset  # "training", "evaluation": what the command says, and what the analysis knows


@dataclass
class Checklist:
    items: list
    commands: list  # every Command of the documents
    runs: list  # every Run: a command that runs a Python or shell script of the repository
    missing: list  # (Command, path) pairs: a file a command names that does not exist
    defunct: list = field(default_factory=list)  # Evidence of each line that links a host that no longer serves
    packaged: bool = False  # the repository installs as a distribution of its own (a library, a tool, a model)

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
    items = {key: Item(key, title, True) for key, title in CORE}
    items.update({key: Item(key, title, False) for key, title in EXTRAS})
    _provided(project, documents, items)
    analysed = _analysed_purposes(project, items)
    runs = [run for command in found if (run := _run_of(project, command, analysed))]
    missing = _dependencies(project, found, items["dependencies"])
    _named_manifests(project, documents, items["dependencies"])
    missing += [(run.command, run.target) for run in runs if run.resolved is None]
    missing += [(c, p) for c in found for p in _missing_files(project, c, runs)]
    missing = [(c, p) for c, p in missing if c.tag != INLINE  # prose that mentions a command is not a recipe
               and not _made_before(project, found, c, p)]
    broken = {id(command) for command, path in missing if not project.relocated(path)}
    for run in runs:
        if run.script and id(run.command) not in broken:
            for kind in run.purposes:
                items[kind].evidence.append(Evidence(run.command.path, run.command.line, run.command.text))
    _notebook_instructions(documents, analysed, items)
    _install_wrappers(project, runs, items["dependencies"])
    _pretrained(project, documents, found, items["pretrained"])
    _results(documents, runs, items["results"])
    _reproducible_results(items)
    _extras(project, documents, found, items)
    _prose_promises(documents, items)
    defunct: dict = {}  # one per line: a badge and its link are one mention
    for document in documents:
        for url, _, line in document.facts.data["links"]:
            if _DEFUNCT.search(url):
                defunct.setdefault((document.rel, line), Evidence(document.rel, line, url))
    return Checklist(list(items.values()), found, runs, missing, list(defunct.values()),
                     bool(project.distribution_names))


def _provided(project, documents: list, items: dict) -> None:
    items["dependencies"].artefacts = provided.dependencies(project, documents)
    items["training"].artefacts = provided.training(project)
    items["evaluation"].artefacts = provided.evaluation(project)
    items["pretrained"].artefacts = provided.committed_weights(project)
    items["data"].artefacts = provided.data(project)


def _reproducible_results(items: dict) -> None:
    """A results table the README does not pair with a command still counts when the repository has the code
    that regenerates it (the checklist asks for a table and the means to reproduce it)."""
    results, code = items["results"], items["training"].artefacts + items["evaluation"].artefacts
    if not results.evidence and results.partial and code:
        results.artefacts.append(Evidence(results.partial.path, results.partial.line,
                                          f"a {results.partial.kind}; {code[0].path} can regenerate it"))


def _linked_documents(project, readme) -> list:
    """The documents the README links inside the repository (a folder's link stands for its README), the READMEs
    beside the entrypoints when the README says the scripts come with their own, and, when the README is an
    index, the READMEs of the top-level folders."""
    base = readme.directory
    targets = []
    for url, _, _ in readme.facts.data["links"]:
        if "://" not in url and not url.startswith(("#", "mailto:")):
            rel = posixpath.normpath(posixpath.join(base, url.split("#")[0].split("?")[0]))
            targets += [rel] + [posixpath.join(rel, name) for name in _FOLDER_READMES]
    if _points_to_readmes(readme):  # "each experiment's script comes with a short README"
        folders = {parent for e in project.entrypoints for parent in _parents(e.rel)}  # and the folders above
        targets += sorted(f.rel for f in project.files.values() if f.kind == README and f.directory in folders)
    if _is_index(readme):
        targets += sorted(f.rel for f in project.files.values() if f.kind == README and f.rel.count("/") == 1)
    linked = []
    for rel in targets:
        file = project.files.get(rel)
        if file is not None and file.kind in (DOC, README) and isinstance(file.facts.data, dict) and \
                file not in linked and file is not readme:
            linked.append(file)
    return linked


def _points_to_readmes(readme) -> bool:
    """Whether the README's prose sends the reader to other READMEs without linking them."""
    return bool(_OTHER_READMES.search(readme.facts.text or ""))


_OTHER_READMES = re.compile(r"\b(a|its|their|each|every|own|short|separate|respective|corresponding|folder'?s?|"
                            r"directory'?s?|sub-?folders?'?|sub-?directory'?s?)\s+(\w+\s+)?READMEs?\b", re.I)


def _is_index(readme) -> bool:
    """A root README that only names what the repository holds (google/automl's three lines), with no command of
    its own: its sub-projects' READMEs are the documentation."""
    lines = [line for line in (readme.facts.text or "").split("\n") if line.strip()]
    return len(lines) <= _INDEX_LINES and not commands(readme.facts.data)


_INDEX_LINES = 12  # a title, a sentence and a list of the sub-projects
_FOLDER_READMES = ("README.md", "README.rst", "README.markdown", "README.txt", "README")


# ---------------------------------------------------------------- what a command runs

def _run_of(project, command: Command, analysed: dict) -> Optional[Run]:
    launch = next(launches(project, command.text, posixpath.dirname(command.path)), None)
    if launch is None:
        return None
    script = launch.resolved or (None if launch.is_module else project.relocated(launch.target))
    if "<" in launch.target and not launch.is_module:  # `python <script_name>.py`: the scripts of its folder
        folder = posixpath.join(posixpath.dirname(command.path), posixpath.dirname(launch.target.split("<")[0]))
        under = sorted(rel for rel in analysed if posixpath.normpath(folder) in (".", *_parents(rel)))
        script = under[0] if under else None
        analysed = {script: set().union(*(analysed[rel] for rel in under))} if under else analysed
    known = analysed.get(script)
    wrapper = script and script.endswith(".sh") and not provided.prepares(posixpath.basename(script))
    if known is None and wrapper:  # a wrapper (not one that prepares data or builds): what the scripts it runs do
        known = set().union(*(analysed.get(inner, set()) for inner in scripts_run_by(project, script))) or None
    stated = stated_purposes(command, launch.target, launch.arguments, known)
    return Run(command, *launch, script=script, purposes=frozenset(stated))


def _notebook_instructions(documents: list, analysed: dict, items: dict) -> None:
    """"Just run the `.ipynb` files": a line that tells the reader to run the notebooks shows what the notebooks
    of its folder do."""
    for document in documents:
        notebooks = [rel for rel in analysed if rel.endswith(".ipynb") and
                     (document.directory in ("", *_parents(rel)))]
        for number, line in _lines(document) if notebooks else ():
            if _RUN_NOTEBOOKS.search(line):
                for kind in set().union(*(analysed[rel] for rel in notebooks)):
                    items[kind].evidence.append(Evidence(document.rel, number, line.strip()))
                break


_RUN_NOTEBOOKS = re.compile(r"\b(run|execute|open)\b[^.]*?(\.ipynb|\bnotebooks?\b)", re.I)


def _parents(rel: str) -> list:
    parts = rel.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _made_before(project, found: list, command: Command, path: str) -> bool:
    """Whether the document, up to this command, downloads or clones the file or the folder it is run from
    (`wget .../Miniconda3.sh` then `bash Miniconda3.sh`; `git clone .../apex && cd apex && python setup.py`),
    tells the reader to create it ("Create a config file called voc_config.yaml"), or says in the command's
    section that its script is gone on purpose."""
    names = set()
    for other in found:
        if other.path == command.path and other.line <= command.line:
            names |= fetched(other.text)
    folders = {words[1].strip("./").split("/")[0] for words in simple_commands(command.text)
               if words[0] == "cd" and len(words) > 1}
    name = posixpath.basename(path)
    if name in names or folders & names:
        return True
    document = project.files[command.path]
    lines = (document.facts.text or "").split("\n")[:command.line]
    section_start = max([at for _, _, at in document.facts.data["headings"] if at <= command.line], default=1)
    if any(_RETIRED.search(line) for line in lines[section_start - 1:]):
        return True  # "this script was removed in 2f1c; kept for historical reference": gone on purpose
    return any(name in line and _CREATE.search(line) for line in lines)


_CREATE = re.compile(r"\b(create|write|make|touch|add|save)\b", re.I)
_RETIRED = re.compile(r"\b(has been|was|were|been) (removed|deleted|deprecated|retired)\b|\bno longer (exists?|"
                      r"available|supported|maintained)\b|\bfor (historical|archival) (reference|purposes)\b|"
                      r"\b(deprecated|obsolete|legacy) (script|command|code)\b", re.I)


def _analysed_purposes(project, items: dict) -> dict:
    """Script -> {"training", "evaluation"}: what the analysis found each entrypoint does, for the commands that
    run it. Left out: an option that puts a script in evaluation mode (only a command passing it evaluates),
    restoring weights (inference does that too), and the tests a training script runs when the repository has
    an evaluation script of its own (the README should show that one)."""
    found: dict = {}
    trainers = {evidence.path for evidence in items["training"].artefacts}
    for rel in trainers:
        found.setdefault(rel, set()).add("training")
    for entry, profile in runs_of(project):  # a script whose run reaches the code that fits (pipeline.py)
        if trainers & set(profile.files):
            found.setdefault(entry.rel, set()).add("training")
    dedicated = [e for e in items["evaluation"].artefacts if e.kind != provided.FLAG]
    evaluations = [e for e in dedicated if e.kind == provided.NAMED]
    for evidence in evaluations or ([] if dedicated else provided.tested_after_training(project)):
        found.setdefault(evidence.path, set()).add("evaluation")
    return found


# At the start of a word or after a separator: `latest` is not a test, `constrain` does not train.
_TRAIN = re.compile(r"(?<![a-z])(train|finetun|fine[-_]tun|pretrain|pre[-_]train|fit\b|distill)", re.I)
_EVAL = re.compile(r"(?<![a-z])(eval|test|infer|predict|valid|val\b|benchmark|demo|sampl|generat|score|metric|"
                   r"reproduc)", re.I)
_EVAL_FLAGS = re.compile(r"^--?(eval|evaluate|do[-_]eval|do[-_]predict|test|test[-_]only|inference|predict|"
                         r"validate)$", re.I)
_TRAIN_FLAGS = re.compile(r"^--?(train|do[-_]train)$", re.I)
_MODE_FLAGS = re.compile(r"^--?(mode|phase|task|stage|run[-_]mode)$", re.I)


def stated_purposes(command: Command, target: str, arguments: list, analysed: Optional[set] = None) -> set:
    """training and/or evaluation: the block's tag, else the command's flags, mode values (`--mode train`) and
    subcommand (`litgpt finetune`), else what the analysis found the script does, else the script's name and the
    section's headings."""
    tag = command.tag
    if tag in ("train", "training"):
        return {"training"}
    if tag in ("eval", "evaluation", "test", "inference"):
        return {"evaluation"}
    found = set()
    words = [a for a in arguments[:1] if not a.startswith("-")]
    for previous, argument in zip([""] + arguments, arguments):
        flag = argument.split("=", 1)[0]
        value = argument.split("=", 1)[1] if "=" in argument else argument if _MODE_FLAGS.match(previous) else ""
        if _EVAL_FLAGS.match(flag):
            found.add("evaluation")
        if _TRAIN_FLAGS.match(flag):
            found.add("training")
        if value and (_MODE_FLAGS.match(flag) or _MODE_FLAGS.match(previous)):
            words.append(value)
    evaluates_only = "evaluation" in found and "training" not in found  # `finetune.py --eval --resume w.pth`
    _named(words, found, evaluates_only)
    if found or analysed:
        return found or set(analysed)  # the analysis knows better than a name (`generative.py` trains)
    name = target.rsplit("/", 1)[-1]
    if not provided.prepares(name) or _TRAIN.search(name):  # `generate_data.py` prepares data
        _named([name], found, evaluates_only)
    for heading in reversed(command.section):  # the nearest heading that says: "Train and evaluate" says both
        if found:
            break
        if _EVAL.search(heading):
            found.add("evaluation")
        if _TRAIN.search(heading):
            found.add("training")
    return found


def _named(words: list, found: set, evaluates_only: bool) -> None:
    for word in words:
        if _EVAL.search(word):
            found.add("evaluation")
        if _TRAIN.search(word) and not evaluates_only:
            found.add("training")


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
    (re.compile(r"\bpip[\d.]*\s+install\s+(?:.*\s)?[\"']?git\+\S+"), ""),  # the repository, from its manifest
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


def _install_wrappers(project, runs: list, item: Item) -> None:
    """`bash config.sh`, where config.sh installs the dependencies: the README's install command, one step away."""
    for run in runs:
        file = project.files.get(run.script or "")
        if run.script and run.script.endswith(".sh") and file is not None and any(
                pattern.search(line) for line in (file.facts.text or "").splitlines() for pattern, _ in _INSTALLS):
            item.evidence.append(Evidence(run.command.path, run.command.line, f"{run.command.text} (installs)"))


def _named_manifests(project, documents: list, item: Item) -> None:
    """A document that links or names a manifest of the repository (`see [requirements.txt](requirements.txt)`)
    tells the reader what to install, command or not."""
    manifests = {f.rel for f in project.manifests}
    for document in documents:
        doc = document.facts.data
        named = [(url, line) for url, _, line in doc["links"]] + [(code, line) for code, line in doc["inline"]]
        for name, line in named:
            rel = existing(project, document.directory, name.split("#")[0].strip()) if "://" not in name else None
            if rel in manifests:
                item.evidence.append(Evidence(document.rel, line, f"names {rel}"))


def _install_file_exists(project, command: Command, match: re.Match, needs) -> Optional[bool]:
    """True when the file an install command needs exists; None when it names no file (`pip install numpy`)."""
    named = match.group(1) if match.groups() and match.group(1) else None
    folder = posixpath.dirname(command.path)
    for words in simple_commands(command.text[:match.start()]):  # `cd kernels && python setup.py install`
        folder = folder_after(words, folder)
    if needs == "setup":  # `pip install -e .`: from the document's (or `cd`'s) folder, or the root
        for base in (folder, ""):
            folder = posixpath.normpath(posixpath.join(base, named or "."))
            prefix = "" if folder == "." else folder + "/"
            if any(prefix + f in project.files for f in ("setup.py", "pyproject.toml", "setup.cfg")):
                return True
        return False
    if needs == "pinned":  # `pip install torch==2.1.0 timm==0.9.2` specifies; `pip install timm` does not
        packages = [w for w in command.text.split()[command.text.split().index("install") + 1:]
                    if not w.startswith("-")]
        own = project.distribution_names  # `pip install openai-whisper`: the repository's own package
        return bool(packages) and all("==" in p or normalise(p) in own for p in packages) or None
    path = named or needs
    return None if not path else existing(project, folder, path) is not None


# ---------------------------------------------------------------- items 4 and 5: weights and results

_WEIGHT_FILE = re.compile(r"\.(pt|pth|ckpt|h5|hdf5|safetensors|npz|pkl|pth\.tar|bin|onnx|tflite|pb|params|msgpack)"
                          r"(\?.*)?$", re.I)
_WEIGHT_HOST = re.compile(r"github\.com/[^/]+/[^/]+/releases|huggingface\.co/(?!datasets|spaces|docs|papers|"
                          r"blog|learn|tasks|pricing|join|login|settings|models\b)"
                          r"[\w-]+(/[\w.-]+)?(/|$)|drive\.google\.com|zenodo\.org|dropbox\.com|figshare|1drv\.ms|"
                          r"onedrive|pan\.baidu\.com|dl\.fbaipublicfiles\.com|storage\.googleapis\.com|"
                          r"openaipublic|download\.pytorch\.org/models", re.I)
_BADGE = re.compile(r"/badges?/|shields\.io|\.(svg|png|jpe?g|gif)(\?.*)?$", re.I)
_WEIGHT_WORDS = re.compile(r"model|weight|checkpoint|ckpt|pre-?trained|trained (agents?|networks?|polic(y|ies))",
                           re.I)
_URL_LOADS = ("torch.utils.model_zoo.load_url", "torch.hub.load_state_dict_from_url")
_DOWNLOAD_CALLS = ("torch.hub.load", "torch.hub.load_state_dict_from_url", "torch.hub.download_url_to_file",
                   "torch.utils.model_zoo.load_url", "huggingface_hub.hf_hub_download",
                   "huggingface_hub.snapshot_download", "gdown.download", "tensorflow.keras.utils.get_file",
                   "keras.utils.get_file", "timm.create_model", "open_clip.create_model_and_transforms",
                   "clip.load", "tensorflow_hub.load", "tensorflow_hub.KerasLayer")


def _pretrained(project, documents: list, found: list, item: Item) -> None:
    for command in found:  # `--network=https://.../metfaces.pkl`: a command that uses released weights
        for url in re.findall(r"https?://\S+", command.text):
            if _WEIGHT_FILE.search(url.split("#")[0].rstrip("'\"")):
                item.evidence.append(Evidence(command.path, command.line, url))
    for document in documents:
        doc = document.facts.data
        for url, label, line in doc["links"]:
            if _BADGE.search(url):
                continue
            if _WEIGHT_FILE.search(url.split("#")[0]) or (_WEIGHT_HOST.search(url) and (
                    _WEIGHT_WORDS.search(" ".join([label, *section_of(doc, line)]))
                    or _line_says(document, line, _WEIGHT_WORDS))):
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
    for file in project.python_files:
        for assign in file.facts.python.assigns:
            if assign.target.rsplit(".", 1)[-1] in BACKBONE_URL_TABLES or is_test_file(file.rel) or \
                    provided.about_data(file.rel):
                continue  # torchvision's backbones, tests, and the URLs of a dataset module (`mnist.npz`)
            url = next((u for u in _strings(assign.value) if "://" in u and _WEIGHT_FILE.search(u)), None)
            if url:  # a table of the weights' URLs that the code downloads (`_MODELS = {"base": "https://..pt"}`)
                item.artefacts.append(Evidence(file.rel, assign.line, url))
                return


def _strings(value) -> Iterator[str]:
    """The strings of a literal, nested in dicts, lists and tuples."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for part in value.values():
            yield from _strings(part)
    elif isinstance(value, (list, tuple)):
        for part in value:
            yield from _strings(part)


_RESULT_IMAGE = re.compile(RESULT_IMAGE_WORDS, re.I)
_RESULT_HEADING = re.compile(RESULT_HEADINGS, re.I)
_BADGE_HOST = re.compile(r"/badges?/|shields\.io|badge\.|travis-ci|codecov|circleci|colab\.research", re.I)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*%?(?![\w.])")
_LEADERBOARD = re.compile(r"leaderboard", re.I)
_DEFUNCT = re.compile(DEFUNCT_HOSTS, re.I)


def _results(documents: list, runs: list, item: Item) -> None:
    """Reported results (a numeric table, a plot of results),
    each with the command of its section that reproduces it, else as the half of the item that is there."""
    for document in documents:
        doc = document.facts.data
        for line, kind in _reported_results(document):
            section = tuple(section_of(doc, line))
            command = _reproducing_command(document.rel, line, section, runs, documents[0].rel)
            if command is not None:
                item.evidence.append(Evidence(document.rel, line, f"{kind}, reproduced by `{command.text}` "
                                                                  f"({command.path}:{command.line})"))
            elif item.partial is None:
                item.partial = Evidence(document.rel, line, f"this {kind} has no training or evaluation command in "
                                                            "its document, or the documents the README links, that "
                                                            "reproduces it", kind)
        for url, label, line in doc["links"]:
            if _LEADERBOARD.search(url) and not _DEFUNCT.search(url):
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


def _reproducing_command(rel: str, line: int, section: tuple, runs: list, root: str) -> Optional[Command]:
    """The training or evaluation command that reproduces a table: one of its own section, else the nearest in
    its document, else, for the README's own tables, one of the documents it links (GETTING_STARTED.md), evaluation
    first."""
    candidates = [r for r in runs if r.resolved and r.purposes and (r.command.path == rel or rel == root)]
    if not candidates:
        return None
    best = min(candidates, key=lambda r: (r.command.path != rel, r.command.section != section,
                                          "evaluation" not in r.purposes, abs(r.command.line - line)))
    return best.command


# ---------------------------------------------------------------- the extras

_PAPER = re.compile(r"arxiv\.org/(abs|pdf)|doi\.org/|openreview\.net/|proceedings\.|papers\.nips\.cc|neurips\.cc/|"
                    r"aclanthology\.org|openaccess\.thecvf\.com|ieeexplore\.ieee\.org|dl\.acm\.org/doi|jmlr\.org/|"
                    r"ojs\.aaai\.org|ijcai\.org/proceedings|link\.springer\.com|biorxiv\.org|medrxiv\.org|"
                    r"nature\.com/articles|science\.org/doi|semanticscholar\.org/paper", re.I)
LICENSE_FILES = re.compile(r"^(licen[cs]e|copying)([.-][\w.-]*)?$", re.I)
_BIBTEX = re.compile(r"@\w+\s*\{\s*[\w:/.-]+\s*,")
_HARDWARE = re.compile(r"\b(GPUs?|TPUs?|CPU cores?)\b", re.I)
_ACCELERATOR = re.compile(rf"\b({ACCELERATOR_MODELS})s?\b")  # case matters: `v139` is a volume, not a V100
_COUNTED_HARDWARE = re.compile(rf"\b({COUNTED_HARDWARE})", re.I)
_DURATION = re.compile(r"\b\d+(\.\d+)?\s*(hours?|hrs?|h|days?|d|minutes?|mins?|weeks?|GPU[- ]hours?)\b", re.I)
_PAPER_WORDS = re.compile(r"\b(paper|preprint|publication|article|manuscript)\b", re.I)
_BIBTEX_URL = re.compile(r"\burl\s*=\s*[{\"]\s*(https?://[^\s}\"]+)", re.I)
_LICENSE_HEADING = re.compile(r"^licen[cs]", re.I)
_LICENSE_NAME = re.compile(LICENSE_NAMES)
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
        _paper_and_citation(document, items)
        lines = (document.facts.text or "").split("\n")
        for number, line in enumerate(lines, 1):
            timed = _HARDWARE.search(line) and _DURATION.search(" ".join(lines[max(0, number - 2):number + 1]))
            if _ACCELERATOR.search(line) or _COUNTED_HARDWARE.search(line) or timed:
                items["hardware"].evidence.append(Evidence(document.rel, number, line.strip()))
            if _LICENSE_NAME.search(line) and any(_LICENSE_HEADING.match(h) for h in
                                                  section_of(document.facts.data, number)):
                items["license"].evidence.append(Evidence(document.rel, number, line.strip()))
        _data(document, [c for c in found if c.path == document.rel], items["data"])
    for rel in sorted(project.all_paths):
        if "/" not in rel and LICENSE_FILES.match(rel):
            items["license"].evidence.append(Evidence(rel, 1, rel))
        if rel.lower() in ("citation.cff", "citation.bib"):
            items["citation"].evidence.append(Evidence(rel, 1, rel))


def _paper_and_citation(document, items: dict) -> None:
    """Paper links: a paper host, any host the link's text or line calls the paper, a BibTeX entry's `url`."""
    doc = document.facts.data
    for url, label, line in doc["links"]:
        if _BADGE.search(url) or _DEFUNCT.search(url) or "://" not in url:
            continue
        if _PAPER.search(url) or (_PAPER_WORDS.search(label) if label else _line_says(document, line, _PAPER_WORDS)):
            items["paper"].evidence.append(Evidence(document.rel, line, url))
    for info, block in doc["blocks"]:
        text = "\n".join(code for _, code in block)
        if _BIBTEX.search(text):
            items["citation"].evidence.append(Evidence(document.rel, block[0][0], "a BibTeX entry"))
            for line, code in block:
                if match := _BIBTEX_URL.search(code):
                    items["paper"].evidence.append(Evidence(document.rel, line, match.group(1)))


def _data(document, found: list, item: Item) -> None:
    """A link (not a badge, the paper or a heading) or a download command in a section about the data, or on a
    line that names a dataset."""
    doc = document.facts.data
    about_data = lambda line: any(_DATA_HEADING.search(h) for h in section_of(doc, line))  # noqa: E731
    for url, _, line in doc["links"]:
        if _BADGE.search(url) or _PAPER.search(url) or url.startswith("#"):
            continue  # a badge, the paper or a heading: no place to get the data from
        if about_data(line) or _line_says(document, line, _DATASET):
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
    return enumerate(_split(document.facts.text or ""), 1)


def _line_says(document, line: int, pattern: re.Pattern) -> bool:
    """Whether a document's line matches: asked once per line and pattern, however many links the line holds
    (thousands of links on one line made this quadratic)."""
    lines = _split(document.facts.text or "")
    return 0 < line <= len(lines) and _matches(pattern, lines[line - 1])


@functools.lru_cache(maxsize=16)
def _split(text: str) -> tuple:
    return tuple(text.split("\n"))


@functools.lru_cache(maxsize=4096)
def _matches(pattern: re.Pattern, line: str) -> bool:
    return pattern.search(line) is not None


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
    for words in simple_commands(command.text):  # `cd experiments && python celeba.py --config configs/x.json`
        folder = folder_after(words, folder)
    for previous, word in zip([""] + run.arguments, run.arguments):
        flag, _, value = word.partition("=") if word.startswith("-") else (previous, "", word)
        if not _FILE_ARGUMENT.match(value or word):
            continue
        if flag.startswith("-") and _OUTPUT_OR_DATA_FLAG.search(flag):
            continue  # what a command writes, or data it is given: not the repository's files
        name = value or word
        if "/" not in name and project.paths_by_name.get(name):
            continue  # a bare name the script looks up on its search path (`--cfg yolov5s.yaml` in models/)
        if existing(project, folder, name) is None:
            yield name
