"""The edits that close the gaps the rules find: built here, attached to findings, applied by reprolint.fixes.

Each builder returns an Autofix whose `apply` works on the file's text as it is when the fix runs (after the
fixes before it), and changes nothing when what it would add is there already.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional

from reprolint import codemods, notebook_edits
from reprolint.discover import NOTEBOOK
from reprolint.fixes import Autofix
from reprolint.knowledge.distributions import conda_to_pip
from reprolint.knowledge.hubs import COMMIT_HASH, HF_CACHE_VARIABLES, HF_DEFAULT_HOME, HF_HOME_VARIABLE
from reprolint.project.calls import seeded_families
from reprolint.readers.interface import interface_of

# family -> (module to import, the seeding statement with {name} for the module's name and {seed})
SEED_STATEMENTS = {
    "random": ("random", "{name}.seed({seed})"),
    "numpy": ("numpy", "{name}.random.seed({seed})"),
    "torch": ("torch", "{name}.manual_seed({seed})"),
    "tensorflow": ("tensorflow", "{name}.random.set_seed({seed})"),
}
_SEED_OPTIONS = ("--seed", "--random-seed", "--random_seed", "--manual-seed", "--manual_seed", "--manualSeed",
                 "--rng-seed")


def _editable_python(project, rel: str) -> bool:
    file = project.files.get(rel)
    return file is not None and file.kind != NOTEBOOK and rel.endswith(".py") and file.facts.python is not None


def seed_source(project, rel: str, text: str):
    """(the seed expression, the statement to insert after, or None): a parsed `--seed` option, a Hydra config's
    seed, else the module constant SEED (added when missing)."""
    path = codemods.MainPath(text)
    interface = interface_of(project, rel)
    parsed = path.parsed_arguments()
    if interface is not None and parsed is not None:
        option = next((o for o in _SEED_OPTIONS if o in interface.options), None)
        if option:
            return f"{parsed.targets[0].id}.{option.lstrip('-').replace('-', '_')}", parsed, text
    if interface is not None and interface.hydra and path.parameter(("cfg", "config", "conf")):
        return f"{path.parameter(('cfg', 'config', 'conf'))}.seed", None, text
    return codemods.SEED_CONSTANT, None, codemods.ensure_constant(text, codemods.SEED_CONSTANT, "0")


def _seed_helpers(project) -> list:
    """(folder, module, function, families seeded) of each module-level function whose name says it seeds
    (set_seed, seed_everything, init_seeds) and that takes the seed; found once per run."""
    def compute():
        found = []
        for file in project.python_files:
            if not file.rel.endswith(".py") or file.rel.endswith("__init__.py"):
                continue
            seeds: dict = {}
            for call in file.facts.python.calls:
                if call.scope and "." not in call.scope and "seed" in call.scope.lower():
                    seeds.setdefault(call.scope, set()).update(seeded_families(call))
            for function, covered in seeds.items():
                if covered and file.facts.python.functions.get(function, (0, []))[1]:
                    found.append((file.directory, file.name[:-3], function, covered, file.rel))
        return found
    return project.shared("seed-helpers", compute)


def seed_helper(project, rel: str, families: set) -> Optional[tuple]:
    """The repository's own seeding function that covers these families, importable from the entrypoint (beside
    it, or at the root): (module, function)."""
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
    usable = [h for h in _seed_helpers(project) if h[4] != rel and h[0] in (folder, "") and families <= h[3]]
    best = min(usable, key=lambda h: (len(h[3]), h[4]), default=None)  # the one that does least beyond the need
    return best[1:3] if best else None


def seeding(project, rel: str, families: set) -> Optional[Autofix]:
    """Seed exactly these families at the start of the entrypoint's run, with the repository's helper if it has
    one, from `--seed` or a Hydra config when there is one, else from a SEED constant; a notebook gets a first
    code cell that seeds them."""
    if rel.endswith(".ipynb") and rel in project.files and project.files[rel].kind == NOTEBOOK:
        return _notebook_seeding(rel, families)
    if not _editable_python(project, rel):
        return None
    helper = seed_helper(project, rel, families)
    names = ", ".join(sorted(families))

    def apply(text: str) -> str:
        seed, after, text = seed_source(project, rel, text)
        if helper:
            module, function = helper
            text = codemods.ensure_from_import(text, module, function)
            return codemods.insert_on_main_path(text, [f"{function}({seed})"], _reparsed_after(text, after))
        statements = []
        for family in sorted(families):
            module, template = SEED_STATEMENTS[family]
            text, name = codemods.ensure_import(text, module)
            statements.append(template.format(name=name, seed=seed))
        return codemods.insert_on_main_path(text, statements, _reparsed_after(text, after))

    how = f"with {helper[0]}.{helper[1]}" if helper else f"({names})"
    return Autofix(rel, f"seed:{rel}", True, f"seed the run {how}", apply)


def _notebook_seeding(rel: str, families: set) -> Autofix:
    imports = [f"import {SEED_STATEMENTS[family][0]}" for family in sorted(families)]
    seeds = [SEED_STATEMENTS[family][1].format(name=SEED_STATEMENTS[family][0], seed=codemods.SEED_CONSTANT)
             for family in sorted(families)]
    source = "\n".join(imports + ["", f"{codemods.SEED_CONSTANT} = 0"] + seeds) + "\n"

    def apply(text: str) -> str:
        return notebook_edits.add_code_cell_first(text, source)

    return Autofix(rel, f"seed:{rel}", True, f"seed the notebook ({', '.join(sorted(families))}) in a first code cell",
                   apply)


def hub_revision(project, rel: str, call, name: str) -> Optional[Autofix]:
    """`revision="<commit>"` on a Hugging Face load, with --pin-from-env: the commit the local hub cache recorded
    for the name's main branch, the files the author's runs used (never fetched)."""
    if not project.config.pin_from_env or not _editable_python(project, rel) or "." not in call.name:
        return None
    commit = cached_hub_commit(name, dataset=call.name == "datasets.load_dataset")
    if commit is None:
        return None
    method = call.name.rsplit(".", 1)[-1]

    def apply(text: str) -> str:
        return codemods.add_keywords(text, call.line, method, {"revision": f'"{commit}"'})

    return Autofix(rel, f"revision:{rel}:{call.line}:{name}", True, f"pin {name} to revision {commit[:12]}", apply)


def cached_hub_commit(name: str, dataset: bool = False) -> Optional[str]:
    """The commit hash that the local Hugging Face cache's `refs/main` holds for a repository, if any."""
    cache = next((os.environ[v] for v in HF_CACHE_VARIABLES if os.environ.get(v)), None) or \
        os.path.join(os.environ.get(HF_HOME_VARIABLE) or os.path.expanduser(HF_DEFAULT_HOME), "hub")
    folder = ("datasets--" if dataset else "models--") + name.replace("/", "--")
    try:
        commit = (Path(cache) / folder / "refs" / "main").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return commit if COMMIT_HASH.match(commit) else None


def _reparsed_after(text: str, after):
    """The `args = parse_args()` statement in the text as it is now (imports added above it moved it)."""
    return codemods.MainPath(text).parsed_arguments() if after is not None else None


_BENCHMARK_ON = re.compile(r"^(\s*)(.*?)\.benchmark\s*=\s*True\b(.*)$")


def _original_occurrence(project, rel: str, line: int, pattern: str):
    """Which match of a pattern the finding's line is, in the file as analyzed: asked only when the fix runs (the
    file is written after all its fixes), so analysis without --fix reads nothing more."""
    index: list = []

    def get() -> int:
        if not index:
            try:
                text = (project.root / rel).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
            except OSError:
                text = ""
            index.append(codemods.occurrence(text, line, pattern))
        return index[0]
    return get


def cudnn_deterministic(project, rel: str, line: int) -> Autofix:
    """`cudnn.benchmark = True` -> `cudnn.benchmark = False` and `cudnn.deterministic = True`."""
    index = _original_occurrence(project, rel, line, _BENCHMARK_ON.pattern)

    def apply(text: str) -> str:
        at = codemods.nth_line(text, index(), _BENCHMARK_ON.pattern)
        if at is None:
            return text
        lines = text.split("\n")
        indent, owner, rest = _BENCHMARK_ON.match(lines[at - 1]).groups()
        lines[at - 1] = f"{indent}{owner}.benchmark = False{rest}"
        if f"{owner}.deterministic = True" not in text:
            lines.insert(at, f"{indent}{owner}.deterministic = True")
        return "\n".join(lines)
    return Autofix(rel, f"cudnn:{rel}:{line}", True, "turn cuDNN benchmark mode off and deterministic mode on", apply)


def deterministic_algorithms(project, rel: str, needs_cublas: bool) -> Optional[Autofix]:
    """torch.use_deterministic_algorithms(True) at the start of the run (unsafe: an op with no deterministic
    implementation then raises instead of running)."""
    if not _editable_python(project, rel):
        return None

    def apply(text: str) -> str:
        text, torch = codemods.ensure_import(text, "torch")
        statements = []
        if needs_cublas:
            text, os_name = codemods.ensure_import(text, "os")
            statements.append(f'{os_name}.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")')
        statements.append(f"{torch}.use_deterministic_algorithms(True)")
        return codemods.insert_on_main_path(text, statements)
    return Autofix(rel, f"deterministic:{rel}", False, "ask PyTorch for deterministic algorithms", apply)


_DATALOADER = r"\bDataLoader\s*\("
WORKER_SEED = '''def seed_worker(worker_id):
    """Seed each DataLoader worker's NumPy and random from the seed PyTorch gave it."""
    worker_seed = {torch}.initial_seed() % 2**32
    {numpy}.random.seed(worker_seed)
    {random}.seed(worker_seed)'''


def dataloader_seeding(project, rel: str, line: int) -> Optional[Autofix]:
    """A seeded `generator=` and a `worker_init_fn` on the DataLoader at this line."""
    if not _editable_python(project, rel):
        return None
    index = _original_occurrence(project, rel, line, _DATALOADER)

    def apply(text: str) -> str:
        seed, _, text = seed_source(project, rel, text)
        if seed == codemods.SEED_CONSTANT or "." in seed and not _local_to_loader(text, line, seed):
            text = codemods.ensure_constant(text, codemods.SEED_CONSTANT, "0")
            seed = codemods.SEED_CONSTANT
        names = {}
        for module in ("torch", "numpy", "random"):
            text, names[module] = codemods.ensure_import(text, module)
        at = codemods.nth_line(text, index(), _DATALOADER)
        if at is None:
            return text
        text = codemods.add_keywords(text, at, "DataLoader", {
            "generator": f"{names['torch']}.Generator().manual_seed({seed})", "worker_init_fn": "seed_worker"})
        return codemods.ensure_function(text, "seed_worker", WORKER_SEED.format(**names))
    return Autofix(rel, f"dataloader:{rel}:{line}", True, "seed the DataLoader's shuffling and workers", apply)


def _local_to_loader(text: str, line: int, seed: str) -> bool:
    """Whether `args.seed` is in scope at the DataLoader: it is assigned in the same function, above it."""
    import ast

    name = seed.split(".")[0]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno <= line <= node.end_lineno:
            return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) and n.lineno < line
                       for n in ast.walk(node))
    return False


# ---------------------------------------------------------------- dependencies

_REQUIREMENT_LINE = re.compile(r"^(\s*)([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*([^;#]*?)\s*(;[^#]*?)?\s*(#.*)?$")


def installed_version(name: str) -> Optional[str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def pinned_version(project, name: str) -> Optional[str]:
    """The version a lock file records for a distribution, else (with --pin-from-env) the installed one."""
    for versions in project.dependencies.locks.values():
        if versions.get(name):
            return versions[name]
    return installed_version(name) if project.config.pin_from_env else None


def pin(project, dependency) -> Optional[Autofix]:
    """Pin a declaration to the version a lock file (or, with --pin-from-env, this environment) records."""
    version = pinned_version(project, dependency.name)
    if version is None or dependency.url or dependency.group == "command":
        return None
    rel, line = dependency.rel, dependency.line
    name = rel.rsplit("/", 1)[-1]
    if name.endswith((".txt", ".in")):
        rewrite = _pin_requirement_line
    elif name == "pyproject.toml" and dependency.dialect == "pip":
        rewrite = _pin_quoted
    elif name.endswith((".yml", ".yaml")):
        rewrite = _pin_conda_line if dependency.dialect == "conda" else _pin_yaml_pip_line
    else:
        return None

    def apply(text: str) -> str:
        lines = text.split("\n")
        if 0 < line <= len(lines):
            lines[line - 1] = rewrite(lines[line - 1], dependency.name, version)
        return "\n".join(lines)
    return Autofix(rel, f"pin:{rel}:{line}:{dependency.name}", True, f"pin {dependency.name} to {version}", apply,
                   line)


def _same_name(written: str, name: str) -> bool:
    return re.sub(r"[-_.]+", "-", written).lower() == name


def _pin_requirement_line(line: str, name: str, version: str) -> str:
    match = _REQUIREMENT_LINE.match(line)
    if not match or not _same_name(match.group(2), name):
        return line
    indent, written, extras, _, marker, comment = match.groups()
    pinned = f"{indent}{written}{extras or ''}=={version}"
    if marker:
        pinned += f" {marker.strip()}"
    return pinned + (f"  {comment}" if comment else "")


def _pin_quoted(line: str, name: str, version: str) -> str:
    def replace(match: re.Match) -> str:
        inner = _pin_requirement_line(match.group(2), name, version)
        return f"{match.group(1)}{inner}{match.group(1)}"
    return re.sub(r"([\"'])([^\"']+)\1", replace, line)


def _pin_conda_line(line: str, name: str, version: str) -> str:
    match = re.match(r"^(\s*-\s*)(?:([\w.-]+)::)?([A-Za-z0-9_.-]+)\s*([^#]*?)\s*(#.*)?$", line)
    if not match:
        return line
    prefix, channel, written, _, comment = match.groups()
    if conda_to_pip(written) != name:
        return line  # not the package this fix pins
    channel = f"{channel}::" if channel else ""
    return f"{prefix}{channel}{written}={version}" + (f"  {comment}" if comment else "")


def _pin_yaml_pip_line(line: str, name: str, version: str) -> str:
    match = re.match(r"^(\s*-\s*)(.*)$", line)
    return match.group(1) + _pin_requirement_line(match.group(2), name, version) if match else line


def cuda_index(rel: str, tag: str) -> Optional[Autofix]:
    """The PyTorch wheel index of a `+cuXXX` pin, at the top of the requirements file that pins it."""
    if not rel.endswith((".txt", ".in")):
        return None
    url = f"https://download.pytorch.org/whl/cu{tag}"

    def apply(text: str) -> str:
        if url in text:
            return text
        return f"--extra-index-url {url}\n" + text
    return Autofix(rel, f"cuda-index:{rel}", True, f"add the cu{tag} PyTorch wheel index", apply)


def declare(project, rel_manifest: str, distribution: str) -> Autofix:
    """Add an undeclared distribution to the requirements file (unsafe: which distribution, and which
    version, are guesses; the installed or locked version is used when there is one)."""
    version = pinned_version(project, distribution) or installed_version(distribution)
    line = f"{distribution}=={version}" if version else distribution

    def apply(text: str) -> str:
        for existing in text.split("\n"):
            match = _REQUIREMENT_LINE.match(existing)
            if match and existing.strip() and _same_name(match.group(2), distribution):
                return text
        return text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
    return Autofix(rel_manifest, f"declare:{rel_manifest}:{distribution}", False, f"declare {line}", apply)


# ---------------------------------------------------------------- the README

README_SECTIONS = {
    "dependencies": ("Requirements", "setup", "pip install -r requirements.txt  # TODO: the exact install command"),
    "training": ("Training", "train", "python train.py  # TODO: the exact command, config and seed"),
    "evaluation": ("Evaluation", "eval", "python eval.py  # TODO: the exact command, checkpoint and split"),
    "pretrained": ("Pre-trained models", None, "TODO: link the weights (release asset, Hugging Face Hub, Zenodo)."),
    "results": ("Results", None, "TODO: the results table, next to the command that reproduces each row."),
}


def readme_skeleton(project, key: str) -> Optional[Autofix]:
    """Append a Markdown section for a missing checklist item, with TODO markers (unsafe: it is a skeleton the
    authors must fill in)."""
    readme = project.readme
    if readme is None or "/" in readme.rel or not readme.rel.lower().endswith((".md", ".markdown")):
        return None
    title, tag, body = README_SECTIONS[key]

    def apply(text: str) -> str:
        if f"## {title}" in text:
            return text
        block = f"```{tag}\n{body}\n```" if tag else body
        return text.rstrip("\n") + f"\n\n## {title}\n\n{block}\n"
    return Autofix(readme.rel, f"readme:{key}", False, f"add a {title} section to fill in", apply)
