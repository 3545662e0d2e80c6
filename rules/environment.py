"""Environment (RPL4xx): the interpreter and the CUDA build that the dependencies install into."""
from __future__ import annotations

import re
from typing import Optional

from reprolint.discover import MANIFEST, NOTEBOOK, PYTHON
from reprolint.knowledge.containers import CONTAINER_DEFINITION, MAJOR_ONLY_TAG, MOVING_IMAGE_TAGS
from reprolint.knowledge.cuda import CONDA_CUDA_PACKAGES, CUDA_TAG, PYTORCH_WHEEL_INDEX, TORCH_DISTRIBUTIONS
from reprolint.model import Hit, Severity, rule
from reprolint.project.files import is_test_file
from reprolint.project.runs import runs
from reprolint.project.scopes import is_library_project
from reprolint.readers.containers import base_images
from reprolint.readers.manifests import COMMAND, CONDA, Dependency, Index, command_lines
from reprolint.rules import autofixes
from reprolint.rules.general import WHOLE_REPOSITORY

# Where the fix for a missing Python version goes, most specific first.
_PRIMARY_MANIFESTS = ("pyproject.toml", "environment.yml", "environment.yaml", "setup.py", "setup.cfg",
                      "requirements.txt", "Pipfile")


@rule(
    code="RPL401", name="no-python-version", area="Environment", severity=Severity.WARNING,
    summary="No file says which Python version the code runs on",
    why="""
        Wheels, the standard library and numerics differ between Python versions, and pinned dependencies exist
        only for some of them: without the version, a pinned requirements file may not install at all.
    """,
    fix="""
        Declare it: `requires-python = ">=3.10"` in pyproject.toml, `python=3.10` in environment.yml,
        `python_requires` in setup.py, or a `.python-version` file with the version the results were produced on.
    """,
    example={
        "requirements.txt": "numpy==1.26.4\n",
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
    use_instead={
        "requirements.txt": "numpy==1.26.4\n",
        ".python-version": "3.11\n",
        "train.py": """
            import numpy as np

            rng = np.random.default_rng(0)
            weights = rng.normal(size=(10, 2))
        """,
    },
)
def no_python_version(project):
    if project.dependencies.python_versions or not any(f.kind in (PYTHON, NOTEBOOK) for f in project.files.values()):
        return
    for name in _PRIMARY_MANIFESTS:
        if name in project.files:
            yield Hit(name, 1, "no Python version is declared here or in any other manifest")
            return
    yield Hit(WHOLE_REPOSITORY, 1, "no manifest declares the Python version the code runs on")


# ---------------------------------------------------------------- the CUDA wheel index

def _cuda_tag(text: str) -> Optional[str]:
    match = CUDA_TAG.search(text)
    return match.group(1) if match else None


def _torch_declarations(project) -> list:
    """pip declarations of torch, or of torchvision and torchaudio where torch itself is not declared: the CUDA
    build is chosen once, for torch."""
    declared = [d for d in project.dependencies.declared(*TORCH_DISTRIBUTIONS) if d.dialect != CONDA and d.group != COMMAND]
    return [d for d in declared if d.name == "torch"] or declared


def _pytorch_indexes(project) -> list:
    return [i for i in project.dependencies.indexes if PYTORCH_WHEEL_INDEX.search(i.url)]


# A build made for machines without an NVIDIA GPU: a Dockerfile named or based for the CPU or ARM (Dockerfile-cpu,
# Dockerfile-arm64, `FROM arm64v8/ubuntu`, `--platform=linux/arm64`), or a CI workflow (hosted runners have no GPU).
# A CPU-only torch index there is that build's choice, not the CUDA story of the code.
_CPU_BUILD_NAME = re.compile(r"(?i)dockerfile[^/]*(cpu|arm|aarch64|jetson|mac|m1)|\.(cpu|arm64)\.dockerfile$")
_CPU_BASE_IMAGE = re.compile(r"(?im)^\s*FROM\s+(--platform=linux/(arm64|aarch64)\s+|arm64v8/|arm32v7/)")


def _cpu_only_build(project, rel: str) -> bool:
    if rel.startswith((".github/", ".gitlab-ci", ".circleci/")) or _CPU_BUILD_NAME.search(rel.rsplit("/", 1)[-1]):
        return True
    file = project.files.get(rel)
    return bool(file is not None and rel.rsplit("/", 1)[-1].lower().startswith("dockerfile") and file.facts.text
                and _CPU_BASE_IMAGE.search(file.facts.text))


def _serves_cuda(index: Index) -> bool:
    return "/cpu" not in index.url and "/rocm" not in index.url


def _conda_cuda(project) -> bool:
    return any(d.dialect == CONDA and (d.name in CONDA_CUDA_PACKAGES or "cuda" in d.specifier)
               for d in project.dependencies.dependencies)


def _code_uses_cuda(project) -> Optional[str]:
    """The first place a run puts work on a CUDA device (the determinism rules' walk knows it), as text."""
    places = sorted((run.first_gpu[0].endswith(".ipynb"), run.first_gpu[0], run.first_gpu[1].line)
                    for _, run in runs(project) if run.first_gpu)  # a script before a notebook
    return project.place(*places[0][1:]) if places else None


def _direct_cuda_wheel(dependency: Dependency) -> bool:
    return bool(dependency.url and _cuda_tag(dependency.url))


@rule(
    code="RPL402", name="torch-without-cuda-index", area="Environment", severity=Severity.WARNING,
    summary="PyTorch is declared for CUDA code, but no PyTorch wheel index says which CUDA build",
    why="""
        From PyPI, pip installs a CPU-only torch on Windows and macOS, and on Linux the one CUDA build that
        release was published with: the CUDA version the results were produced with is recorded nowhere, and a
        reproduction can silently run on the CPU or on another CUDA, with other kernels and other numbers.
    """,
    fix="""
        Name the index of the CUDA version you used and pin the build: `--extra-index-url
        https://download.pytorch.org/whl/cu121` and `torch==2.3.1+cu121` in requirements.txt, a
        `[[tool.uv.index]]` routed by `[tool.uv.sources]`, a Poetry source, or conda's `pytorch-cuda=12.1`.
    """,
    example={
        "requirements.txt": "torch==2.3.1\n",
        "train.py": """
            import torch

            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2).cuda()
            model(torch.randn(32, 10).cuda()).sum().backward()
        """,
    },
    use_instead={
        "requirements.txt": """
            --extra-index-url https://download.pytorch.org/whl/cu121
            torch==2.3.1+cu121
        """,
        "train.py": """
            import torch

            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2).cuda()
            model(torch.randn(32, 10).cuda()).sum().backward()
        """,
    },
)
def torch_without_cuda_index(project):
    declarations = _torch_declarations(project)
    if not declarations or _pytorch_indexes(project) or _conda_cuda(project) or is_library_project(project):
        return  # a library leaves the CUDA build to the application that installs it
    gpu = _code_uses_cuda(project)
    if gpu is None:
        return
    for dependency in declarations:
        if not _direct_cuda_wheel(dependency) and not _cuda_tag(dependency.specifier):
            yield Hit(dependency.rel, dependency.line,
                      f"{dependency.name}{dependency.specifier} comes from PyPI, which does not say which CUDA "
                      f"build; the code uses CUDA ({gpu}) and no manifest names a PyTorch wheel index")


@rule(
    code="RPL403", name="cuda-pin-without-index", area="Environment", severity=Severity.ERROR,
    summary="A `+cuXXX` build of PyTorch is pinned, but no index serves it",
    why="""
        Local versions such as `torch==2.0.1+cu118` exist only on the PyTorch wheel index. Without that index,
        `pip install` stops with "No matching distribution found" and nothing is installed.
    """,
    fix="""
        Add the index that serves the build beside the pin: `--extra-index-url
        https://download.pytorch.org/whl/cu118` in the same requirements file (or a uv index, or a Poetry source).
    """,
    example={
        "requirements.txt": "torch==2.0.1+cu118\n",
        "train.py": """
            import torch

            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2).cuda()
            model(torch.randn(32, 10).cuda()).sum().backward()
        """,
    },
    use_instead={
        "requirements.txt": """
            --extra-index-url https://download.pytorch.org/whl/cu118
            torch==2.0.1+cu118
        """,
        "train.py": """
            import torch

            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2).cuda()
            model(torch.randn(32, 10).cuda()).sum().backward()
        """,
    },
)
def cuda_pin_without_index(project):
    if _pytorch_indexes(project):
        return
    for dependency in _torch_declarations(project):
        tag = _cuda_tag(dependency.specifier)
        if tag and not dependency.url:
            fix = autofixes.cuda_index(dependency.rel, tag)
            yield Hit(dependency.rel, dependency.line,
                      f"{dependency.name}{dependency.specifier} exists only on the PyTorch wheel index, which no "
                      f"manifest names: pip cannot resolve it",
                      fix=f"add `--extra-index-url https://download.pytorch.org/whl/cu{tag}` to {dependency.rel}",
                      autofixes=(fix,) if fix else ())


@rule(
    code="RPL404", name="cuda-index-mismatch", area="Environment", severity=Severity.ERROR,
    summary="The PyTorch wheel index serves another CUDA version (or the CPU build) than the one pinned or used",
    why="""
        An index for cu118 does not serve `torch==2.1.0+cu121`, so the install fails; a CPU-only index
        (`/whl/cpu`) installs a torch on which the code's CUDA calls fail or fall back to the CPU.
    """,
    fix="Make the index and the pin name the same CUDA version, the one the results were produced with.",
    example={
        "requirements.txt": """
            --extra-index-url https://download.pytorch.org/whl/cu118
            torch==2.1.0+cu121
        """,
        "train.py": """
            import torch

            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2).cuda()
            model(torch.randn(32, 10).cuda()).sum().backward()
        """,
    },
    use_instead={
        "requirements.txt": """
            --extra-index-url https://download.pytorch.org/whl/cu121
            torch==2.1.0+cu121
        """,
        "train.py": """
            import torch

            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2).cuda()
            model(torch.randn(32, 10).cuda()).sum().backward()
        """,
    },
)
def cuda_index_mismatch(project):
    indexes = _pytorch_indexes(project)
    if not indexes:
        return
    tagged = {_cuda_tag(i.url): i for i in indexes if _cuda_tag(i.url)}
    cuda = [i for i in indexes if _serves_cuda(i)]
    for dependency in _torch_declarations(project):
        tag = _cuda_tag(dependency.specifier)
        if tag and tagged and tag not in tagged and not any(i.how == "find-links" and not _cuda_tag(i.url)
                                                            for i in indexes):
            index = next(iter(tagged.values()))
            yield Hit(dependency.rel, dependency.line,
                      f"{dependency.name}{dependency.specifier} is a cu{tag} build, but the index at "
                      f"{index.rel}:{index.line} serves cu{_cuda_tag(index.url)}")
        elif not cuda and _code_uses_cuda(project) and not tag and (
                cpu := [i for i in indexes if not _cpu_only_build(project, i.rel)]):
            index = cpu[0]
            gpu = _code_uses_cuda(project)
            yield Hit(dependency.rel, dependency.line,
                      f"{dependency.name} is installed from the CPU-only index at {index.rel}:{index.line}, but "
                      f"the code uses CUDA ({gpu})")


def _container_definitions(project):
    for file in project.files.values():
        if file.kind != MANIFEST or not file.facts.text or is_test_file(file.rel):
            continue
        name = file.rel.rsplit("/", 1)[-1].lower()
        if name.startswith("dockerfile") or CONTAINER_DEFINITION.search(name):
            yield file, name.startswith("dockerfile")


_BUILD_ARGUMENT = re.compile(r"--build-arg[\s=]+[\"']?(\w+)=")


def _build_arguments_passed(project) -> set:
    """The build arguments that the repository's commands (scripts, Makefiles, READMEs, CI) pass to a build."""
    return {name for _, _, text in command_lines(project) for name in _BUILD_ARGUMENT.findall(text)}


def _moving(image) -> Optional[str]:
    """Why a base image's tag moves, or None when it names one build (a digest, or a full version)."""
    if image.digest:
        return None
    if image.tag is None:
        return "has no tag, so it is `:latest`"
    if image.tag.lower() in MOVING_IMAGE_TAGS:
        return f"is tagged `{image.tag}`, which moves to each new release"
    if MAJOR_ONLY_TAG.match(image.tag):
        return f"is tagged `{image.tag}`, a major version that follows every minor release"
    return None


@rule(
    code="RPL405", name="moving-base-image", area="Environment", severity=Severity.WARNING,
    summary="A container built from a base image without a tag, or with a tag that moves",
    why="""
        `FROM pytorch/pytorch`, `FROM ubuntu:latest` or `FROM python:3` name whatever the registry holds on the
        day of the build: the same Dockerfile gives another CUDA, another Python or other system libraries next
        month, and the container that produced the results cannot be rebuilt.
    """,
    fix="Name a full version (`python:3.11.9-slim`, `pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime`), or pin the "
        "digest (`image@sha256:...`) of the image the results were produced with.",
    example={"Dockerfile": """
        FROM pytorch/pytorch:latest
        COPY . /workspace
        RUN pip install -r /workspace/requirements.txt
    """, "requirements.txt": "numpy==1.26.4\n"},
    use_instead={"Dockerfile": """
        FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime
        COPY . /workspace
        RUN pip install -r /workspace/requirements.txt
    """, "requirements.txt": "numpy==1.26.4\n"},
)
def moving_base_image(project):
    passed = _build_arguments_passed(project)
    for file, dockerfile in _container_definitions(project):
        for image in base_images(file.facts.text, dockerfile):
            why = _moving(image)
            if why and image.argument not in passed:  # a build command that passes the argument decides the image
                yield Hit(file.rel, image.line, f"the base image `{image.image}` {why}: a rebuild gets another "
                                                f"system, CUDA or Python than the one the results came from")
