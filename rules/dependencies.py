"""Dependencies (RPL3xx): what must be installed to run the code, and whether the manifests say so.

Decided statically, without the project's environment: declared distributions are matched to imported modules
through reprolint.distributions (a curated map for names that differ, `[tool.reprolint] module-names` for the
rest, and the installed environment's metadata only with `installed-metadata = true`).
"""
from __future__ import annotations

import posixpath
import re
from typing import Optional

from reprolint.discover import MANIFEST, NOTEBOOK, README
from reprolint.facts import member_of
from reprolint.knowledge import distributions
from reprolint.knowledge.distributions import (
    DEVELOPMENT_TOOLS, ModuleIndex, distributions_for, modules_of, normalise, provided_by_notebook_runtime,
    used_without_import,
)
from reprolint.knowledge.stdlib import is_stdlib
from reprolint.knowledge.transitive import carried_by
from reprolint.model import Hit, Severity, rule
from reprolint.project import is_test_file
from reprolint.project.scopes import is_library_project
from reprolint.readers.manifests import COMMAND, CONDA, PIP, POETRY, Dependency, command_lines
from reprolint.readers.readme import program_and_arguments, simple_commands
from reprolint.rules import autofixes

# Groups whose packages do not produce the results: their pins and their use are not judged.
TOOLING_GROUPS = {"docs", "doc", "documentation", "dev", "develop", "test", "tests", "testing", "lint", "linting",
                  "style", "typing", "types", "format", "ci", "build", "release"}


def declares_dependencies(project) -> bool:
    """Whether any manifest declares dependencies (install commands in a README or notebook are not one)."""
    return any(d.group != COMMAND for d in project.dependencies.dependencies)


def documents_installs(project) -> bool:
    """Whether install commands (a README's, an INSTALL guide's, a notebook's or a script's `pip install`) name
    packages: without a manifest, the environment can still be built by following them."""
    return any(d.group == COMMAND for d in project.dependencies.dependencies)


# ---------------------------------------------------------------- what the code uses

def _imported_names(project) -> set:
    """Every module name the repository imports, with `from a import b` also as `a.b`: tests, notebooks and
    setup.py included, since a dependency used anywhere is used."""
    def compute():
        names = set()
        for file in project.python_files:
            for imp in file.facts.python.imports:
                if not imp.module.startswith("."):
                    names.add(imp.module)
                    if imp.name and imp.name != "*":
                        names.add(member_of(imp.module, imp.name))
        return names | _commands(project)
    return project.shared("imported-names", compute)


_PYTHON_MODULE = re.compile(r"\bpython[\d.]*\s+(?:-\w+\s+)*-m\s+([\w.]+)")


def _commands(project) -> set:
    """The programs that shell scripts, Makefiles, Dockerfiles, notebooks and README commands run
    (`tensorboard --logdir`, `python -m spacy download`): a distribution used from the command line is used."""
    found = set()
    for _, _, line in command_lines(project):
        found.update(_PYTHON_MODULE.findall(line))
        for words in simple_commands(line.lstrip("$>!% ")):
            program = program_and_arguments(words)
            if program:
                found.add(program[0])
    return found


def _modules(project, dependency: Dependency) -> tuple:
    config = project.config
    names = modules_of(dependency.name, {normalise(k): v for k, v in config.module_names.items()})
    if config.installed_metadata:
        names += project.shared("installed-modules", distributions.installed_modules).get(dependency.name, ())
    return names


def _judged(project, dependency: Dependency) -> bool:
    """Dependencies whose pins and use matter to the results: not docs or dev tooling, and not install commands
    in a README (the documentation rules read those)."""
    if dependency.group == COMMAND and project.files.get(dependency.rel) and \
            project.files[dependency.rel].kind == README:
        return False
    return dependency.group.lower() not in TOOLING_GROUPS and not dependency.rel.lower().startswith(("docs/", "doc/"))


# ---------------------------------------------------------------- RPL301

@rule(
    code="RPL301", name="no-dependency-manifest", area="Dependencies", severity=Severity.ERROR,
    summary="Third-party packages are imported but no file declares the dependencies",
    why="""
        Without a requirements file, an environment file or a pyproject.toml, a reader must guess which packages,
        and which versions of them, the results were produced with. The guess is rarely right.
    """,
    fix="""
        Declare what the code imports, with the versions you used: `pip freeze > requirements.txt` in the
        environment that produced the results (then trim it), a pyproject.toml, or a conda environment.yml.
    """,
    example={
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
    use_instead={
        "requirements.txt": "numpy==1.26.4\n",
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
)
def no_dependency_manifest(project):
    if declares_dependencies(project):
        return
    imports = {}
    for file, imp, top in project.third_party_imports():
        imports.setdefault(top, (file, imp))
    if imports:
        file, imp = min(imports.values(), key=lambda pair: (pair[0].rel, pair[1].line))
        names = ", ".join(sorted(imports)[:5]) + (", ..." if len(imports) > 5 else "")
        yield Hit(file.rel, imp.line,
                  f"the code imports third-party packages ({names}) but no requirements file, pyproject.toml "
                  f"dependencies or environment file declares them")


# ---------------------------------------------------------------- RPL302, RPL303: pins

EXACT, TIGHT, RANGE, NONE = "exact", "tight", "range", "none"


def pin_strength(dependency: Dependency) -> str:
    """exact (one version), tight (one minor series: `~=1.2.3`, `==1.2.*`, conda `=1.2`, Poetry `~1.2`), range
    (`>=1.2`, `^1.2`, `~=1.2`), or none."""
    spec = dependency.specifier.strip()
    if dependency.url:
        return EXACT if re.search(r"@[0-9a-f]{7,}|\.whl|/tags?/|@v?\d", dependency.url) else RANGE
    if not spec or spec == "*":
        return NONE
    if dependency.dialect == CONDA:
        spec = spec.split("=", 2)[1] if spec.startswith("=") and not spec.startswith("==") else spec
        # conda versions may carry letters (`openssl=1.1.1c=h7b6447c_1`, `tzdata=2019c`)
        if re.fullmatch(r"=?=?\s*\d+(\.\w+)+(\.\*)?(=\S+)?", spec) or re.fullmatch(r"\d+\.\d+(\.\w+)*\*?", spec):
            return EXACT if spec.count(".") >= 2 and "*" not in spec else TIGHT
        return RANGE
    if dependency.dialect == POETRY:
        if re.fullmatch(r"=?=?\s*\d+(\.\d+)+(\+[\w.]+)?", spec):
            return EXACT
        if re.fullmatch(r"~\s*\d+\.\d+(\.\d+)*", spec):
            return TIGHT
        return _pip_strength(spec) if re.match(r"[<>=!~]", spec) else RANGE
    return _pip_strength(spec)


def _pip_strength(spec: str) -> str:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifiers = list(SpecifierSet(spec))
    except InvalidSpecifier:
        return RANGE
    for s in specifiers:
        release = s.version.split("+")[0].rstrip(".*").split(".")
        if s.operator in ("==", "===") and not s.version.endswith(".*"):
            return EXACT
        if (s.operator == "==" and len(release) >= 2) or (s.operator == "~=" and len(release) >= 3):
            return TIGHT
    uppers = [s for s in specifiers if s.operator in ("<", "<=")]
    lowers = [s for s in specifiers if s.operator in (">=", ">")]
    if uppers and lowers and _same_minor(lowers[0].version, uppers[0].version, uppers[0].operator):
        return TIGHT
    return RANGE


def _same_minor(low: str, high: str, operator: str) -> bool:
    """`>=1.2.0,<1.3`: the range stays within one minor series."""
    try:
        low_parts = [int(p) for p in low.split(".")[:2]] + [0]
        high_parts = [int(p) for p in high.split(".")[:3]] + [0, 0]
    except ValueError:
        return False
    if operator == "<=":
        return high_parts[:2] == low_parts[:2]
    return high_parts[:2] == low_parts[:2] or (
        high_parts[0] == low_parts[0] and high_parts[1] == low_parts[1] + 1 and high_parts[2] == 0)


def _pinned_elsewhere(project, dependency: Dependency) -> Optional[str]:
    """Where else the same distribution is pinned: another manifest (pip-compile output, a frozen requirements
    file, an environment.yml) or a lock file."""
    for other in project.dependencies.declared(dependency.name):
        if other is not dependency and pin_strength(other) in (EXACT, TIGHT):
            return f"{other.rel}:{other.line}"
    for rel, versions in project.dependencies.locks.items():
        if versions.get(dependency.name):
            return rel
    return None


def _unpinned(project, strengths: tuple):
    """Declarations of the given strengths that no other manifest or lock file pins."""
    is_library = is_library_project(project)
    for dependency in project.dependencies.dependencies:
        if not _pin_judged(project, dependency):
            continue
        strength = pin_strength(dependency)
        if is_library and (strength == RANGE or strength == NONE and _package_metadata(dependency)):
            continue  # a library's metadata states what it supports, if anything; its users' lock files pin it
        if _package_metadata(dependency) and _beside_an_environment(project, dependency):
            continue  # a requirements or environment file beside it sets the environment up: pins belong there
        if strength in strengths and not _pinned_elsewhere(project, dependency):
            yield dependency, is_library


def _pin_judged(project, dependency: Dependency) -> bool:
    """Whether a declaration is asked for a pin: not packaging tools, the repository itself, or development tools
    that no run uses (a test runner or linter)."""
    return _judged(project, dependency) and dependency.name not in ("pip", "setuptools", "wheel") and \
        dependency.name not in project.distribution_names and dependency.name not in DEVELOPMENT_TOOLS


def _beside_an_environment(project, dependency: Dependency) -> bool:
    """A requirements file or conda environment in the same folder as the package metadata declaring it."""
    folders = project.shared("environment-folders", lambda: frozenset(
        posixpath.dirname(d.rel) for d in project.dependencies.dependencies
        if not _package_metadata(d) and d.group != COMMAND))
    return posixpath.dirname(dependency.rel) in folders


def _package_metadata(dependency: Dependency) -> bool:
    """Declared in the package's own metadata (what `pip install` of the package reads), not in a requirements
    or environment file, which set up an application."""
    return dependency.rel.rsplit("/", 1)[-1] in ("pyproject.toml", "setup.py", "setup.cfg")


def _spaced(dependency: Dependency) -> str:
    """A specifier as it reads after the name: `numpy>=1.2`, but `numpy ^1.2` and `numpy =1.2`."""
    return dependency.specifier if dependency.dialect == PIP else " " + dependency.specifier


def _lock_note(project) -> str:
    locks = sorted(project.dependencies.locks)
    return f"; {', '.join(locks)} does not pin it either (regenerate the lock)" if locks else ""


@rule(
    code="RPL302", name="unpinned-dependency", area="Dependencies", severity=Severity.WARNING,
    summary="A dependency declared without any version",
    why="""
        An unversioned dependency installs whatever is newest on the day. Between the paper and the reproduction,
        NumPy, PyTorch and scikit-learn all changed defaults and numerics: the same code gives other numbers, or
        no longer runs.
    """,
    fix="""
        Pin the version the results were produced with (`numpy==1.26.4`), or commit a lock file (uv.lock,
        poetry.lock, a pip-compile requirements.txt) that pins it. A library published to PyPI should state at
        least the lowest version it supports (`numpy>=1.22`). `dependency-policy` in [tool.reprolint] chooses
        which standard applies.
    """,
    example={
        "requirements.txt": "numpy\n",
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
    use_instead={
        "requirements.txt": "numpy==1.26.4\n",
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
)
def unpinned_dependency(project):
    by_line: dict = {}  # an install command names several packages on one line: one finding for the line
    for dependency, published in _unpinned(project, (NONE,)):
        by_line.setdefault((dependency.rel, dependency.line, published), []).append(dependency)
    for (rel, line, published), dependencies in by_line.items():
        listed = _listed([d.name for d in dependencies])
        names = dependencies
        if published:
            message = (f"{listed} {'has' if len(names) == 1 else 'have'} no version: this package is published, "
                       f"so state the range it supports, at least a lower bound")
        else:
            message = f"{listed} {'is' if len(names) == 1 else 'are'} not pinned to any version{_lock_note(project)}"
        fixes = () if published else tuple(f for d in dependencies if (f := autofixes.pin(project, d)))
        yield Hit(rel, line, message, autofixes=fixes)


def _listed(names: list) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@rule(
    code="RPL303", name="loose-dependency-pin", area="Dependencies", severity=Severity.INFO,
    summary="A dependency pinned only by an open range, such as `>=` or `^`",
    why="""
        `torch>=1.8` admitted every release since: a fresh install today gets a version the authors never ran,
        with its own defaults and numerics. A range is right for a library; a reproduction needs the version.
    """,
    fix="""
        Pin the exact version the results were produced with (`torch==2.1.2`), keep the range and commit a lock
        file that pins it, or add a frozen requirements file beside the ranges.
    """,
    example={
        "requirements.txt": "torch>=1.8\n",
        "train.py": """
            import torch

            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2)
        """,
    },
    use_instead={
        "requirements.txt": "torch==2.1.2\n",
        "train.py": """
            import torch

            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2)
        """,
    },
)
def loose_dependency_pin(project):
    for dependency, _ in _unpinned(project, (RANGE,)):
        what = (f"{dependency.name} is installed from {dependency.url}, which names no release or commit"
                if dependency.url else f"{dependency.name}{_spaced(dependency)} admits many versions and "
                                       f"nothing pins the one that was used")
        fix = autofixes.pin(project, dependency)
        yield Hit(dependency.rel, dependency.line, what + _lock_note(project), autofixes=(fix,) if fix else ())


# ---------------------------------------------------------------- RPL304: declared, never used

@rule(
    code="RPL304", name="unused-dependency", area="Dependencies", severity=Severity.WARNING,
    summary="A declared dependency that nothing in the repository imports or runs",
    why="""
        A package declared but never used costs every reproduction an install, can pull conflicting pins, and
        often means the list was copied from another project and no longer describes this one.
    """,
    fix="""
        Remove it from the manifest. If it is used without an import (a plugin, a command-line tool, an engine a
        library loads, a pin that another package needs), add it to `used-without-import` in [tool.reprolint];
        if its modules have other names than reprolint knows, add them to `module-names`.
    """,
    example={
        "requirements.txt": """
            numpy==1.26.4
            pandas==2.2.2
        """,
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
    use_instead={
        "requirements.txt": "numpy==1.26.4\n",
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
)
def unused_dependency(project):
    imported = _imported_names(project)
    imported_index = ModuleIndex(imported)
    own = project.distribution_names
    extra = project.config.used_without_import
    by_name: dict = {}
    frozen = _frozen_files(project)
    for dependency in project.dependencies.dependencies:
        if dependency.dialect != CONDA and dependency.group != COMMAND and _judged(project, dependency) and \
                dependency.name not in own and dependency.rel not in frozen:
            by_name.setdefault(dependency.name, []).append(dependency)
    for name, declarations in sorted(by_name.items()):
        if used_without_import(name, extra):
            continue
        modules = _modules(project, declarations[0])
        if any(imported_index.relates(module) for module in modules) or name in imported:
            continue
        first = min(declarations, key=lambda d: (d.rel, d.line))
        others = sorted({f"{d.rel}:{d.line}" for d in declarations} - {f"{first.rel}:{first.line}"})
        also = f" (also declared at {', '.join(others)})" if others else ""
        yield Hit(first.rel, first.line,
                  f"{name} is declared but no file imports {_either(modules)} or runs it{also}")


def _runs_on_colab(file) -> bool:
    """A Colab notebook: what it imports is Colab's runtime or installed by its own `!pip` lines."""
    return file.kind == NOTEBOOK and isinstance(file.facts.data, dict) and bool(file.facts.data.get("colab"))


def _frozen_files(project) -> set:
    """Manifests that record a whole environment (pip-compile or `uv pip compile` output, hashes, a long list of
    exact pins from `pip freeze`): they pin what other packages need, which the code never imports."""
    counts: dict = {}
    for dependency in project.dependencies.dependencies:
        exact, total = counts.get(dependency.rel, (0, 0))
        counts[dependency.rel] = (exact + (pin_strength(dependency) == EXACT), total + 1)
    return {rel for rel, (exact, total) in counts.items() if total >= 25 and exact >= 0.9 * total} | \
        project.dependencies.compiled


def _either(names) -> str:
    names = [f"`{n}`" for n in names]
    return " or ".join(names) if names else "it"


# ---------------------------------------------------------------- RPL305: imported, never declared

@rule(
    code="RPL305", name="undeclared-import", area="Dependencies", severity=Severity.ERROR,
    summary="A third-party module the code imports that no manifest declares",
    why="""
        Whoever installs from the manifest gets `ModuleNotFoundError` at this import, then has to guess which
        distribution provides the module (`cv2` is opencv-python, `yaml` is pyyaml) and which version of it.
    """,
    fix="""
        Add the distribution that provides the module, with the version you used, to the manifest. If the module
        is the repository's own, name it in `known-first-party`; if a declared distribution provides it under a
        name reprolint does not know, map it in `module-names`.
    """,
    example={
        "requirements.txt": "numpy==1.26.4\n",
        "train.py": """
            import numpy as np
            import yaml

            with open("config.yaml") as f:
                config = yaml.safe_load(f)
            rng = np.random.default_rng(config["seed"])
        """,
    },
    use_instead={
        "requirements.txt": """
            numpy==1.26.4
            PyYAML==6.0.1
        """,
        "train.py": """
            import numpy as np
            import yaml

            with open("config.yaml") as f:
                config = yaml.safe_load(f)
            rng = np.random.default_rng(config["seed"])
        """,
    },
)
def undeclared_import(project):
    if not declares_dependencies(project):
        return  # RPL301 says it once for the whole repository
    target = _target_python(project)
    places: dict = {}
    for top, found in third_party_imports(project).items():
        places[top] = [(rel, line, module) for rel, line, module, declared in found if not declared]
    for top, found in sorted((top, found) for top, found in places.items() if found):
        rel, line, module = min(found)
        files = {r for r, _, _ in found} - {rel}
        elsewhere = f" (and in {len(files)} other file{'s' * (len(files) != 1)})" if files else ""
        providers = distributions_for(module)
        fixes = (autofixes.declare(project, "requirements.txt", providers[0]),) \
            if "requirements.txt" in project.files and not is_stdlib(top) else ()
        yield Hit(rel, line, f"`{module.split('.')[0]}` is imported here{elsewhere} but no manifest declares "
                             f"{_provider(top, target, providers)}",
                  fix=f"add {' or '.join(providers)} with the version you used to the manifest", autofixes=fixes)


def third_party_imports(project) -> dict:
    """Top-level module -> [(file, line, module, whether a declared distribution provides it)] for each import of
    a package that is neither the standard library nor the repository's own (tests, docs, optional imports and
    Colab notebooks aside): what the manifests must declare."""
    return project.shared("third-party-imports", lambda: _third_party_imports(project))


def _third_party_imports(project) -> dict:
    dependencies = project.dependencies.dependencies
    # Pillow with torchvision, omegaconf with hydra-core: what the main install brings (not an extra's)
    carried = carried_by({d.name for d in dependencies if not d.group})
    declared = ModuleIndex([m for d in dependencies for m in _modules(project, d)] +
                           [m for name in carried for m in modules_of(name)])
    target = _target_python(project)
    skipped = set(project.config.known_first_party) | _local_names(project)
    answers: dict = {}  # imported name -> whether a declared distribution provides it: asked once per name

    def is_declared(name: str) -> bool:
        if name not in answers:
            answers[name] = declared.relates(name)
        return answers[name]

    found: dict = {}
    for file in project.python_files:
        if file.kind == MANIFEST or is_test_file(file.rel) or file.rel.startswith(("docs/", "doc/")) or \
                _runs_on_colab(file):
            continue
        for imp in file.facts.python.imports:
            top = imp.module.split(".")[0]
            if not top or imp.guarded or imp.type_only or top in skipped or is_stdlib(top, target) or \
                    project.is_local_module(file.rel, top):
                continue
            names = [imp.module] + ([member_of(imp.module, imp.name)] if imp.name and imp.name != "*" else [])
            if file.kind == NOTEBOOK and any(provided_by_notebook_runtime(n) for n in names):
                continue  # the kernel or Colab provides it
            found.setdefault(top, []).append((file.rel, imp.line, names[-1], any(is_declared(n) for n in names)))
    return found


def pin_coverage(project) -> tuple:
    """(declarations pinned, declarations judged): a pin in a lock or another manifest counts, and so does a
    library's range (its users' locks pin it)."""
    judged = [d for d in project.dependencies.dependencies if _pin_judged(project, d)]
    unpinned = {id(d) for d, _ in _unpinned(project, (NONE, RANGE))}
    return sum(id(d) not in unpinned for d in judged), len(judged)


def _provider(top: str, target: tuple, providers: tuple) -> str:
    if is_stdlib(top):
        version = ".".join(map(str, target))
        return f"it, and it is not in the standard library of Python {version}, the lowest this project supports"
    return f"the distribution that provides it ({' or '.join(providers)})"


def _local_names(project) -> set:
    """Module and package names anywhere in the repository: code run with its own folder on sys.path (or
    a sys.path insert) imports them by their bare names."""
    def compute():
        names = set()
        for rel in project.files:
            if rel.endswith(".py"):
                parts = rel[:-3].split("/")
                names.add(parts[-1] if parts[-1] != "__init__" else (parts[-2] if len(parts) > 1 else ""))
                names.update(parts[:-1])
        return names
    return project.shared("local-module-names", compute)


def _target_python(project) -> tuple:
    """The lowest Python version the project declares it supports, or () when it declares none."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    lowest = []
    for declared in project.dependencies.python_versions:
        spec = declared.spec.strip().lstrip("=").strip() if declared.spec.strip()[:1] == "=" and \
            declared.spec.strip()[:2] != "==" else declared.spec.strip()
        if re.fullmatch(r"\d+(\.\d+)*(\.\*)?", spec):
            parts = spec.split(".")
            lowest.append(tuple(int(p) for p in parts[:2] if p.isdigit()))
            continue
        try:
            specifiers = SpecifierSet(spec.replace("^", ">="))
        except InvalidSpecifier:
            continue
        allowed = [(3, minor) for minor in range(0, 20) if specifiers.contains(f"3.{minor}")]
        if allowed:
            lowest.append(allowed[0])
    return max(lowest) if lowest else ()

# ---------------------------------------------------------------- RPL306: manifests pip cannot install from

@rule(
    code="RPL306", name="broken-requirements", area="Dependencies", severity=Severity.ERROR,
    summary="A requirements line pip cannot parse, or an include (`-r`, `-c`, a setup.py's file) that is missing "
            "or cyclic",
    why="""
        `pip install -r requirements.txt` stops at the first line it cannot parse or the first include it cannot
        open: nothing after it is installed, and the reader is left to repair the file before anything runs.
    """,
    fix="Correct the line, commit the missing file or correct its path, or break the include cycle.",
    example={
        "requirements.txt": "-r base.txt\n",
        "requirements/base.txt": "numpy==1.26.4\n",
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
    use_instead={
        "requirements.txt": "-r requirements/base.txt\n",
        "requirements/base.txt": "numpy==1.26.4\n",
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
)
def broken_requirements(project):
    for problem in project.dependencies.problems:
        yield Hit(problem.rel, problem.line, problem.message)
